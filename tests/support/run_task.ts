/**
 * Runs one of the repository's command-line scripts in a separate Deno
 * process, as a user would, and collects what it printed.
 *
 * @module
 */
import { repoPath } from "./shared.ts";

/** Exit code and decoded output of a finished run. */
export interface TaskRun {
  /** Exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Runs `deno run -A <repo>/<script> ...args` in `cwd` (the repository by default), without colour. */
export function runTask(
  script: string[],
  args: string[],
  cwd = repoPath(),
): Promise<TaskRun> {
  return runDeno(["run", "-A", repoPath(...script), ...args], cwd);
}

/** Runs `deno ...args` in `cwd` (the repository by default), without colour. */
export async function runDeno(args: string[], cwd = repoPath()): Promise<TaskRun> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}
