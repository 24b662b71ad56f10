import { join } from "node:path";
import { parseTrainArgs } from "../tasks/train.ts";
import { OUTPUT_MARKER, OUTPUT_MARKER_TEXT, outputMarkerText } from "../lib/io/output_dir.ts";
import { repoPath } from "./support/shared.ts";
import { runTask } from "./support/run_task.ts";
import { assert, assertEquals, assertStringIncludes, assertThrows } from "./support/assert.ts";

Deno.test("parseTrainArgs maps flags onto the configuration, with defaults", () => {
  const parsed = parseTrainArgs([
    "--data",
    repoPath("fixtures/readers/interactions.csv"),
    "--format",
    "csv",
    "--columns",
    "user=u,item=i,rating=r",
    "--min-user-ratings",
    "3",
    "--k-core",
    "--variant",
    "drex-mlp",
    "--lr",
    "0.01",
    "--stop-on",
    "mae",
    "--hide-reviews",
    "0.5",
    "--out",
    "o",
  ]);
  assert(parsed !== "help");
  assertEquals(parsed.out, "o");
  assertEquals(parsed.config.data.format, "csv");
  assertEquals(parsed.config.data.columns, { user: "u", item: "i", rating: "r" } as never);
  assertEquals(parsed.config.prepare?.filter, {
    minUserRatings: 3,
    minItemRatings: undefined,
    kCore: true,
  });
  assertEquals(parsed.config.model, {
    variant: "drex-mlp",
    learningRate: 0.01,
    stoppingMetric: "mae",
    hideReviews: 0.5,
  });
  const defaults = parseTrainArgs([]);
  assert(defaults !== "help");
  assertEquals(defaults.config.data.path, repoPath("fixtures/synthetic/reviews.jsonl"));
  assertEquals(defaults.config.encoder, { kind: "static" });
  assertEquals(parseTrainArgs(["-h"]), "help");
  const paper = parseTrainArgs(["--preset", "paper"]);
  assert(paper !== "help");
  assertEquals(paper.config.model?.preset, "paper");
  const lazy = parseTrainArgs(["--lazy-tables"]);
  assert(lazy !== "help");
  assertEquals(lazy.config.model?.lazyTables, true);
  const two = parseTrainArgs(["--threads", "2"]);
  assert(two !== "help");
  assertEquals(two.config.model?.threads, 2);
});

Deno.test("parseTrainArgs rejects bad flags with a message naming the flag", () => {
  assertThrows(() => parseTrainArgs(["--lr", "fast"]), Error, "--lr expects a number");
  assertThrows(() => parseTrainArgs(["--threads", "4"]), Error, "--threads must be 1 or 2");
  assertThrows(
    () => parseTrainArgs(["--preset", "fast"]),
    Error,
    "--preset must be one of default, paper",
  );
  assertThrows(
    () => parseTrainArgs(["--variant", "drex2"]),
    Error,
    "--variant must be one of drex, drex-mlp",
  );
  assertThrows(() => parseTrainArgs(["--encoder", "bert"]), Error, "--bert-model");
  assertThrows(() => parseTrainArgs(["--columns", "user=u"]), Error, "item=");
  assertThrows(() => parseTrainArgs(["--nope"]), Error, "Unknown option");
  assertThrows(
    () => parseTrainArgs(["--rating-scale", "half"]),
    RangeError,
    "--rating-scale expects MIN:MAX:STEP",
  );
  assertThrows(() => parseTrainArgs(["--rating-scale", "1:5:0.3"]), RangeError, "--rating-scale:");
  assertThrows(
    () => parseTrainArgs(["--features-in-file", "--no-cache"]),
    Error,
    "--features-in-file keeps the features in the feature cache",
  );
});

Deno.test("parseTrainArgs: --rating-scale reaches the reader and the preparation", () => {
  const parsed = parseTrainArgs(["--rating-scale", "0.5:5:0.5"]);
  assert(parsed !== "help");
  const half = { min: 0.5, max: 5, step: 0.5 };
  assertEquals(parsed.config.data.ratingScale, half);
  assertEquals(parsed.config.prepare?.ratingScale, half);
  const auto = parseTrainArgs(["--rating-scale", "auto"]);
  assert(auto !== "help");
  assertEquals(auto.config.prepare?.ratingScale, "auto");
});

Deno.test("deno task train on bad data exits 2 with a clear error and leaves earlier outputs intact", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = join(dir, "out");
    await Deno.mkdir(out);
    await Deno.writeTextFile(join(out, "summary.md"), "earlier run");
    await Deno.writeTextFile(join(out, OUTPUT_MARKER), OUTPUT_MARKER_TEXT);
    const bad = join(dir, "bad.jsonl");
    await Deno.writeTextFile(
      bad,
      '{"user_id":"a","parent_asin":"x","rating":3}\n{"user_id":"b","rating":4}\n',
    );
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", repoPath("tasks", "train.ts"), "--data", bad, "--out", out],
      cwd: repoPath(),
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    assertEquals(result.code, 2);
    assertStringIncludes(
      new TextDecoder().decode(result.stderr),
      'bad.jsonl:2: field "parent_asin"',
    );
    assertEquals(await Deno.readTextFile(join(out, "summary.md")), "earlier run");
    // Half stars on the default scale: the error says which flag changes it.
    const half = join(dir, "half.csv");
    await Deno.writeTextFile(half, "userId,movieId,rating\n1,10,4.0\n1,11,0.5\n");
    const halfResult = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        repoPath("tasks", "train.ts"),
        "--data",
        half,
        "--columns",
        "user=userId,item=movieId,rating=rating",
        "--out",
        out,
      ],
      cwd: repoPath(),
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    assertEquals(halfResult.code, 2);
    const stderr = new TextDecoder().decode(halfResult.stderr);
    assertStringIncludes(
      stderr,
      'half.csv:3: field "rating": expected a number in [1, 5], got "0.5"',
    );
    assertStringIncludes(stderr, "--rating-scale MIN:MAX:STEP");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Runs `deno task train` with `args` in `cwd`. */
const train = (args: string[], cwd: string) => runTask(["tasks", "train.ts"], args, cwd);

/** Names and contents of every file under `dir`, sorted. */
async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const path = join(dir, e.name);
    out.push(e.isDirectory ? `${e.name}/` : `${e.name}=${await Deno.readTextFile(path)}`);
  }
  return out.sort();
}

Deno.test("deno task train: bad inputs exit 2 with one line naming the flag or file, and destroy nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const put = async (name: string, text: string | Uint8Array) => {
      const path = join(dir, name);
      if (typeof text === "string") await Deno.writeTextFile(path, text);
      else await Deno.writeFile(path, text);
      return path;
    };
    const fixture = repoPath("fixtures/synthetic/reviews.jsonl");
    const csv = await put("ratings.csv", "user,item,rating\nu1,i1,5\n");
    const empty = await put("empty.jsonl", "");
    const gz = await Deno.readFile(repoPath("fixtures/readers/amazon2023.jsonl.gz"));
    const truncated = await put("truncated.jsonl.gz", gz.slice(0, Math.floor(gz.length / 2)));
    const nanRating = await put("nan.jsonl", '{"user_id":"a","parent_asin":"x","rating":"NaN"}\n');
    const latin1 = await put(
      "latin1.csv",
      new Uint8Array([
        ...new TextEncoder().encode("user,item,rating\nu1,caf"),
        0xe9,
        ...new TextEncoder().encode(",5\n"),
      ]),
    );
    const dupHeader = await put("dup.csv", "user,user,rating\nu1,i1,5\n");
    await Deno.mkdir(join(dir, "folder"));
    const thesis = join(dir, "thesis");
    await Deno.mkdir(thesis);
    await put("thesis/thesis.txt", "three years of work");
    const aFile = await put("a-file", "not a folder");
    const compareOut = join(dir, "compare-out");
    await Deno.mkdir(compareOut);
    await put("compare-out/" + OUTPUT_MARKER, outputMarkerText("compare"));
    await put("compare-out/results.md", "a comparison");
    // Each case: flags (--out added unless given), exit code, and what stderr must say.
    const cases: [string[], string][] = [
      [["--out", thesis], 'already holds files DReX did not write ("thesis.txt")'],
      [["--out", thesis], "or pass --force to replace it anyway"],
      [["--out", compareOut], "holds the output of deno task compare, not of deno task train"],
      [["--out", "."], "or one above it"],
      [["--out", ".."], "or one above it"],
      [["--out", join(aFile, "x")], "is a file, not a folder"],
      [["--data", csv], "pass --columns"],
      [
        ["--data", csv, "--columns", "user=user,item=item,stars=rating"],
        '--columns: unknown key "stars"',
      ],
      [["--data", empty], "empty.jsonl: the file is empty"],
      [["--data", truncated], "is the file truncated?"],
      [["--data", join(dir, "folder")], "is a folder, not a file"],
      [["--data", join(dir, "missing.jsonl")], "missing.jsonl: no such file"],
      [["--data", nanRating], 'nan.jsonl:1: field "rating"'],
      [
        ["--data", latin1, "--columns", "user=user,item=item,rating=rating"],
        "latin1.csv:2: not valid UTF-8",
      ],
      [
        ["--data", dupHeader, "--columns", "user=user,item=item,rating=rating"],
        'dup.csv:1: field "item"',
      ],
      [
        ["--encoder", "bert", "--bert-model", "./no-such-model"],
        "--bert-model ./no-such-model: no such folder",
      ],
      [["--hide-ratings", "1"], "--hide-ratings must be in [0, 1)"],
      [["--d", "100000000"], "--d must be at most 4096"],
      [["--lr", "0"], "--lr must be a finite positive number"],
      [
        ["--data", fixture, "--lr", "1e6", "--max-epochs", "3", "--no-report"],
        "training diverged in epoch 1",
      ],
    ];
    if (Deno.build.os === "linux") cases.push([["--out", "/proc/drex-out"], "cannot be written"]);
    const results = [];
    // Four at a time: each is a separate Deno process.
    for (let i = 0; i < cases.length; i += 4) {
      results.push(
        ...await Promise.all(
          cases.slice(i, i + 4).map(async ([flags, message], j) => {
            const out = join(dir, `out-${i + j}`);
            await Deno.mkdir(out);
            await Deno.writeTextFile(join(out, OUTPUT_MARKER), OUTPUT_MARKER_TEXT);
            await Deno.writeTextFile(join(out, "summary.md"), "earlier run");
            const before = await snapshot(out);
            const args = flags.includes("--out") ? flags : [...flags, "--out", out];
            const { code, stderr } = await train(args, dir);
            return {
              flags,
              message,
              code,
              stderr,
              intact: (await snapshot(out)).join() === before.join(),
            };
          }),
        ),
      );
    }
    for (const r of results) {
      const label = r.flags.join(" ");
      assertEquals(r.code, 2, `${label}: exit code (stderr: ${r.stderr})`);
      assertStringIncludes(r.stderr, r.message, label);
      assert(!r.stderr.includes("    at "), `${label}: stack trace in ${r.stderr}`);
      assert(r.intact, `${label}: earlier output changed`);
    }
    assertEquals(await Deno.readTextFile(join(thesis, "thesis.txt")), "three years of work");
    assertEquals(await Deno.readTextFile(join(compareOut, "results.md")), "a comparison");
    // Nothing half-written is left beside the outputs.
    const leftovers = [...Deno.readDirSync(dir)].filter((e) =>
      /^\.(out|thesis)-?.*\.(tmp|old)-|^\.drex-probe-/.test(e.name)
    );
    assertEquals(leftovers.map((e) => e.name), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task train --force replaces a folder that holds other files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = join(dir, "mine");
    await Deno.mkdir(out);
    await Deno.writeTextFile(join(out, "draft.txt"), "replace me");
    const quick = [
      "--max-epochs",
      "1",
      "--no-report",
      "--no-baselines",
      "--no-explanation-quality",
    ];
    const { code, stderr } = await train([...quick, "--force", "--out", out], dir);
    assertEquals(code, 0, stderr);
    const names = (await snapshot(out)).join(" ");
    assert(!names.includes("draft.txt") && names.includes("summary.md"), names);
    assertStringIncludes(await Deno.readTextFile(join(out, OUTPUT_MARKER)), "kind: train");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task train stopped with Ctrl-C mid-run exits non-zero and leaves earlier output whole", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = join(dir, "out");
    await Deno.mkdir(out);
    await Deno.writeTextFile(join(out, OUTPUT_MARKER), OUTPUT_MARKER_TEXT);
    await Deno.writeTextFile(join(out, "summary.md"), "earlier run");
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        repoPath("tasks", "train.ts"),
        "--max-epochs",
        "500",
        "--patience",
        "500",
        "--out",
        out,
      ],
      cwd: dir,
      stdout: "null",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).spawn();
    // Interrupt once training has started (its first epoch line is on stderr).
    let seen = "";
    const decoder = new TextDecoder();
    for await (const chunk of child.stderr) {
      seen += decoder.decode(chunk, { stream: true });
      if (/DReX 1\/500/.test(seen)) break;
    }
    child.kill("SIGINT");
    const status = await child.status;
    assert(!status.success, "an interrupted run must not exit 0");
    assertEquals(await snapshot(out), [
      `${OUTPUT_MARKER}=${OUTPUT_MARKER_TEXT}`,
      "summary.md=earlier run",
    ]);
    assertEquals(
      [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.startsWith(".out")),
      [],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
