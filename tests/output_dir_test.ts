import { join } from "node:path";
import {
  assertReplaceable,
  checkOutputDir,
  OUTPUT_MARKER,
  OutputDirError,
  outputMarkerText,
} from "../lib/io/output_dir.ts";
import { replaceDir } from "../lib/io/replace_dir.ts";
import { assertEquals, assertRejects, assertThrows } from "./support/assert.ts";

Deno.test("assertReplaceable: new, empty and marked folders pass; anything else is refused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assertReplaceable(join(dir, "new"));
    await Deno.mkdir(join(dir, "empty"));
    assertReplaceable(join(dir, "empty"));
    await Deno.mkdir(join(dir, "ours"));
    await Deno.writeTextFile(join(dir, "ours", OUTPUT_MARKER), "");
    await Deno.writeTextFile(join(dir, "ours", "summary.md"), "");
    assertReplaceable(join(dir, "ours"));
    await Deno.mkdir(join(dir, "theirs"));
    await Deno.writeTextFile(join(dir, "theirs", "thesis.txt"), "");
    assertThrows(() => assertReplaceable(join(dir, "theirs"), "--out"), OutputDirError, '--out "');
    assertThrows(() => assertReplaceable(join(dir, "theirs")), OutputDirError, '"thesis.txt"');
    await Deno.writeTextFile(join(dir, "file"), "");
    assertThrows(() => assertReplaceable(join(dir, "file")), OutputDirError, "is a file");
    // Outputs of an earlier DReX, written before the marker existed, are recognised by their files.
    await Deno.mkdir(join(dir, "old-model"));
    await Deno.writeTextFile(join(dir, "old-model", "model.json"), '{"format":"drex-model"}');
    await Deno.writeTextFile(join(dir, "old-model", "weights.bin"), "");
    assertReplaceable(join(dir, "old-model"));
    await Deno.mkdir(join(dir, "old-compare"));
    for (const f of ["results.md", "runs.csv", "aggregate.csv", "fixture.svg"]) {
      await Deno.writeTextFile(join(dir, "old-compare", f), "");
    }
    assertReplaceable(join(dir, "old-compare"));
    // ... but not with anything else beside them, nor a model.json of someone else's.
    await Deno.writeTextFile(join(dir, "old-compare", "notes.txt"), "mine");
    assertThrows(() => assertReplaceable(join(dir, "old-compare")), OutputDirError, '"notes.txt"');
    await Deno.mkdir(join(dir, "their-model"));
    await Deno.writeTextFile(join(dir, "their-model", "model.json"), '{"format":"keras"}');
    assertThrows(() => assertReplaceable(join(dir, "their-model")), OutputDirError);
    assertThrows(() => assertReplaceable("."), OutputDirError, "current folder or one above it");
    assertThrows(() => assertReplaceable(".."), OutputDirError, "current folder or one above it");
    assertThrows(() => assertReplaceable("/"), OutputDirError, "current folder or one above it");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("assertReplaceable: another task's output is refused, --force replaces anything but the current folder", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const compare = join(dir, "compare");
    await Deno.mkdir(compare);
    await Deno.writeTextFile(join(compare, OUTPUT_MARKER), outputMarkerText("compare"));
    await Deno.writeTextFile(join(compare, "results.md"), "");
    assertReplaceable(compare, "--out", { kind: "compare" });
    assertThrows(
      () => assertReplaceable(compare, "--out", { kind: "train" }),
      OutputDirError,
      "holds the output of deno task compare, not of deno task train",
    );
    assertThrows(() => assertReplaceable(compare, "--out", { kind: "train" }), Error, "--force");
    assertReplaceable(compare, "--out", { kind: "train", force: true });
    // An unmarked output of an earlier DReX counts as its kind too; a marker without a kind passes.
    const oldTune = join(dir, "old-tune");
    await Deno.mkdir(oldTune);
    for (const f of ["settings.json", "trials.csv"]) await Deno.writeTextFile(join(oldTune, f), "");
    assertReplaceable(oldTune, "--out", { kind: "tune" });
    assertThrows(() => assertReplaceable(oldTune, "folder", { kind: "model" }), OutputDirError);
    const legacy = join(dir, "legacy");
    await Deno.mkdir(legacy);
    await Deno.writeTextFile(join(legacy, OUTPUT_MARKER), "This folder was written by DReX.\n");
    assertReplaceable(legacy, "--out", { kind: "train" });
    // --force: a folder of someone else's files, yes; a file or the current folder, never.
    const theirs = join(dir, "theirs");
    await Deno.mkdir(theirs);
    await Deno.writeTextFile(join(theirs, "thesis.txt"), "");
    assertThrows(() => assertReplaceable(theirs, "--out", { kind: "train" }), Error, "--force");
    assertThrows(() => assertReplaceable(theirs, "folder"), Error, "move those files first");
    assertReplaceable(theirs, "--out", { kind: "train", force: true });
    await Deno.writeTextFile(join(dir, "file"), "");
    assertThrows(
      () => assertReplaceable(join(dir, "file"), "--out", { force: true }),
      OutputDirError,
    );
    assertThrows(() => assertReplaceable(".", "--out", { force: true }), OutputDirError, "current");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkOutputDir finds a path through a file and an unwritable place, creating nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await checkOutputDir(join(dir, "a", "b", "c"));
    assertEquals([...Deno.readDirSync(dir)], []);
    await Deno.writeTextFile(join(dir, "file"), "");
    await assertRejects(
      () => checkOutputDir(join(dir, "file", "out")),
      OutputDirError,
      "is a file, not a folder",
    );
    if (Deno.build.os === "linux") {
      await assertRejects(
        () => checkOutputDir("/proc/drex-out"),
        OutputDirError,
        "cannot be written",
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("replaceDir marks what it writes, keeps a folder it did not write, and leaves it readable", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = join(dir, "out");
    await replaceDir(out, (tmp) => Deno.writeTextFile(join(tmp, "a.txt"), "1"));
    assertEquals([...Deno.readDirSync(out)].map((e) => e.name).sort(), [OUTPUT_MARKER, "a.txt"]);
    if (Deno.build.os !== "windows") assertEquals((await Deno.stat(out)).mode! & 0o777, 0o755);
    // Written by us: replaced as a whole.
    await replaceDir(out, (tmp) => Deno.writeTextFile(join(tmp, "b.txt"), "2"));
    assertEquals([...Deno.readDirSync(out)].map((e) => e.name).sort(), [OUTPUT_MARKER, "b.txt"]);
    // Not written by us: refused before `fill` runs.
    const theirs = join(dir, "theirs");
    await Deno.mkdir(theirs);
    await Deno.writeTextFile(join(theirs, "thesis.txt"), "years");
    let filled = false;
    await assertRejects(
      () => replaceDir(theirs, () => Promise.resolve(void (filled = true))),
      OutputDirError,
    );
    assertEquals(filled, false);
    assertEquals(await Deno.readTextFile(join(theirs, "thesis.txt")), "years");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
