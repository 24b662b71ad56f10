import { join } from "node:path";
import {
  assertReplaceable,
  checkOutputDir,
  OUTPUT_MARKER,
  OutputDirError,
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
