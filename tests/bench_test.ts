import { runTask } from "./support/run_task.ts";
import { assert, assertEquals, assertStringIncludes } from "./support/assert.ts";

const bench = (args: string[]) => runTask(["tasks", "bench.ts"], args);

Deno.test("deno task bench --help prints the usage; an unknown part is a one-line error", async () => {
  const help = await bench(["--help"]);
  assertEquals(help.code, 0);
  assertStringIncludes(help.stdout, "Usage: deno task bench [model] [features]");
  const bad = await bench(["speed"]);
  assertEquals(bad.code, 2);
  assertStringIncludes(bad.stderr, 'unknown bench "speed"');
  assert(!bad.stderr.includes("    at "));
});
