import { runTask } from "./support/run_task.ts";
import { assert, assertEquals, assertStringIncludes } from "./support/assert.ts";

const example = (args: string[]) => runTask(["tasks", "examples", "biased_mf.ts"], args);

Deno.test("the model examples answer --help, and bad flags or files with one line", async () => {
  const help = await example(["--help"]);
  assertEquals(help.code, 0);
  assertStringIncludes(help.stdout, "Usage: deno run -A tasks/examples/<model>.ts");
  for (
    const [args, message] of [
      [["--bogus"], "Unknown option '--bogus'"],
      [["no-such-file.jsonl"], "reviews file no-such-file.jsonl: no such file"],
      [["--epochs", "0"], "--epochs must be a positive integer"],
    ] as const
  ) {
    const r = await example([...args]);
    assertEquals(r.code, 2, r.stderr);
    assertStringIncludes(r.stderr, message);
    assert(!r.stderr.includes("    at "), r.stderr);
  }
});
