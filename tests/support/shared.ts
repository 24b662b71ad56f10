/**
 * Where tests find the real data and model files (`../shared` beside the
 * repository), and a helper to skip cleanly when it is absent.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";

/** Absolute path of the repository root. */
export const REPO_ROOT: string = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Absolute path of `../shared` (override with the DREX_SHARED environment variable). */
export const SHARED_DIR: string = Deno.env.get("DREX_SHARED") ?? resolve(REPO_ROOT, "..", "shared");

/** Path inside the shared folder. */
export function sharedPath(...parts: string[]): string {
  return join(SHARED_DIR, ...parts);
}

/** Path inside the repository. */
export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * `true` when `../shared/<parts>` exists. When it does not, prints one clear
 * line saying which test is skipped and why, so a skip is never silent.
 */
export function hasShared(testName: string, ...parts: string[]): boolean {
  const path = sharedPath(...parts);
  if (exists(path)) return true;
  console.warn(`SKIP ${testName}: ${path} is absent (real data and models live in ../shared)`);
  return false;
}
