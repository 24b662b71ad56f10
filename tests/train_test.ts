import { join } from "node:path";
import { parseTrainArgs } from "../tasks/train.ts";
import { repoPath } from "./support/shared.ts";
import { assert, assertEquals, assertStringIncludes, assertThrows } from "./support/assert.ts";

Deno.test("parseTrainArgs maps flags onto the configuration, with defaults", () => {
  const parsed = parseTrainArgs([
    "--data",
    "x.csv",
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
  assertEquals(defaults.config.data.path, "fixtures/synthetic/reviews.jsonl");
  assertEquals(defaults.config.encoder, { kind: "static" });
  assertEquals(parseTrainArgs(["-h"]), "help");
  const paper = parseTrainArgs(["--preset", "paper"]);
  assert(paper !== "help");
  assertEquals(paper.config.model?.preset, "paper");
});

Deno.test("parseTrainArgs rejects bad flags with a message naming the flag", () => {
  assertThrows(() => parseTrainArgs(["--lr", "fast"]), Error, "--lr expects a number");
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
