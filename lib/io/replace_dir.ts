/**
 * Writes a directory as a unit: the new contents are built in a sibling
 * temporary directory and swapped in only once complete, so a failure half
 * way never damages what `dir` held before. Only a folder that is new, empty
 * or written by us may be replaced (see {@linkcode assertReplaceable}).
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import {
  assertReplaceable,
  OUTPUT_MARKER,
  outputMarkerText,
  type ReplaceOptions,
} from "./output_dir.ts";

/**
 * Fills a fresh temporary directory with `fill(tmpDir)`, then replaces `dir`
 * with it, marked with {@linkcode OUTPUT_MARKER} (recording `options.kind`).
 * If `fill` throws, `dir` is left untouched and the temporary directory is
 * removed. Throws an `OutputDirError` before calling `fill` when `dir` holds
 * files we did not write, or another kind of output (see
 * `assertReplaceable`); `label` names `dir` in that message (a CLI flag, for
 * example).
 */
export async function replaceDir(
  dir: string,
  fill: (tmpDir: string) => Promise<void>,
  label = "folder",
  options: ReplaceOptions = {},
): Promise<void> {
  assertReplaceable(dir, label, options);
  const parent = dirname(dir);
  await Deno.mkdir(parent, { recursive: true });
  const tmp = await Deno.makeTempDir({ dir: parent, prefix: `.${basename(dir)}.tmp-` });
  try {
    await fill(tmp);
    await Deno.writeTextFile(join(tmp, OUTPUT_MARKER), outputMarkerText(options.kind));
    // Temporary folders are private (0700); the result is an ordinary folder.
    if (Deno.build.os !== "windows") await Deno.chmod(tmp, 0o755);
  } catch (err) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw err;
  }
  const old = join(parent, `.${basename(dir)}.old-${crypto.randomUUID().slice(0, 8)}`);
  let hadOld = false;
  try {
    await Deno.rename(dir, old);
    hadOld = true;
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) {
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
      throw err;
    }
  }
  try {
    await Deno.rename(tmp, dir);
  } catch (err) {
    if (hadOld) await Deno.rename(old, dir).catch(() => {});
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw err;
  }
  if (hadOld) await Deno.remove(old, { recursive: true });
}
