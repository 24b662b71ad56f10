/**
 * Writes a directory as a unit: the new contents are built in a sibling
 * temporary directory and swapped in only once complete, so a failure half
 * way never damages what `dir` held before.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";

/**
 * Fills a fresh temporary directory with `fill(tmpDir)`, then replaces `dir`
 * with it. If `fill` throws, `dir` is left untouched and the temporary
 * directory is removed.
 */
export async function replaceDir(
  dir: string,
  fill: (tmpDir: string) => Promise<void>,
): Promise<void> {
  const parent = dirname(dir);
  await Deno.mkdir(parent, { recursive: true });
  const tmp = await Deno.makeTempDir({ dir: parent, prefix: `.${basename(dir)}.tmp-` });
  try {
    await fill(tmp);
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
