/**
 * `deno task repeat-test`: runs one test file (optionally filtered) many times
 * in a row while busy processes load every core, and stops at the first
 * failure. This is how a race in a test is hunted, and how a fix is shown:
 * a flaky test fails now and then under load; a fixed one passes every run.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { availableParallelism } from "node:os";

const HELP = `deno task repeat-test [options] TEST_FILE

Runs \`deno test -A TEST_FILE\` --runs times in a row while --load busy
processes keep the cores working, and prints one line per run. Exits non-zero
at the first failing run (its output is printed), zero when every run passed.

  --filter TEXT   only the tests whose name contains TEXT (deno test --filter)
  --runs N        how many runs   [20]
  --load N        busy processes beside the tests   [number of cores]
  -h, --help      this help

Example (the Jupyter kernel test, 20 runs under load):
  deno task repeat-test tests/display_test.ts --filter "Jupyter kernel"
`;

/** Fails with a one-line message and exit code 2 (bad usage). */
function usage(message: string): never {
  console.error(`repeat-test: ${message} (see --help)`);
  Deno.exit(2);
}

/** An integer flag of at least `min`, or `fallback` when absent. */
function intFlag(flag: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    usage(`${flag} must be an integer of at least ${min}, got "${value}"`);
  }
  return n;
}

/** A process that spins one core until it is killed. */
function busyProcess(): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["eval", "let x = 0; for (;;) x = (x * 1103515245 + 12345) % 2147483648;"],
    stdout: "null",
    stderr: "null",
  }).spawn();
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      allowPositionals: true,
      options: {
        filter: { type: "string" },
        runs: { type: "string" },
        load: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    usage((error as Error).message);
  }
  if (parsed.values.help) {
    console.log(HELP);
    return 0;
  }
  if (parsed.positionals.length !== 1) usage("give exactly one TEST_FILE");
  const file = parsed.positionals[0];
  try {
    if (!Deno.statSync(file).isFile) usage(`TEST_FILE ${file} is not a file`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) usage(`TEST_FILE ${file} does not exist`);
    throw error;
  }
  const runs = intFlag("--runs", parsed.values.runs, 20, 1);
  const load = intFlag("--load", parsed.values.load, availableParallelism(), 0);
  const filter = parsed.values.filter;
  const busy = Array.from({ length: load }, busyProcess);
  try {
    for (let run = 1; run <= runs; run++) {
      const started = performance.now();
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["test", "-A", ...(filter === undefined ? [] : ["--filter", filter]), file],
        env: { NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      const summary = text.match(/^(?:ok|FAILED) \| .*$/m)?.[0] ?? "(no summary)";
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `run ${run}/${runs}: ${out.success ? "passed" : "FAILED"} in ${seconds} s, ${summary}`,
      );
      if (!out.success) {
        console.log(text);
        console.log(`repeat-test: run ${run} of ${runs} failed under a load of ${load}`);
        return 1;
      }
      if (/\b0 passed\b/.test(summary)) {
        console.log(`repeat-test: no test ran (is the filter right, or was the test skipped?)`);
        return 1;
      }
    }
    console.log(`repeat-test: ${runs} of ${runs} runs passed in a row under a load of ${load}`);
    return 0;
  } finally {
    for (const p of busy) {
      p.kill("SIGKILL");
      await p.status;
    }
  }
}

Deno.exit(await main());
