import { repoPath } from "./support/shared.ts";
import { assert, assertEquals, assertStringIncludes } from "./support/assert.ts";

async function bench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", repoPath("tasks", "bench.ts"), ...args],
    cwd: repoPath(),
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("deno task bench --help prints the usage; an unknown part is a one-line error", async () => {
  const help = await bench(["--help"]);
  assertEquals(help.code, 0);
  assertStringIncludes(help.stdout, "Usage: deno task bench [model] [features]");
  const bad = await bench(["speed"]);
  assertEquals(bad.code, 2);
  assertStringIncludes(bad.stderr, 'unknown bench "speed"');
  assert(!bad.stderr.includes("    at "));
});
