/**
 * Atomic file output: write everything to a temporary file in the target's
 * own folder, flush it to disk, then rename it over the final name. A rename
 * within one file system is atomic, so a reader (or a later run after a crash)
 * sees either the old file or the complete new one, never half a file under
 * the final name.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";

/** What {@linkcode writeFileAtomic} can write: text (UTF-8), bytes, or a (async) sequence of byte chunks. */
export type AtomicWriteData =
  | string
  | Uint8Array
  | Iterable<Uint8Array>
  | AsyncIterable<Uint8Array>;

/** Options for {@linkcode writeFileAtomic}. */
export interface AtomicWriteOptions {
  /**
   * Create the parent folder (and its parents) when it does not exist.
   * @default true
   */
  createDirs?: boolean;
  /**
   * Flush the temporary file's data to disk before the rename, so that a
   * power loss cannot leave an empty file under the final name.
   * @default true
   */
  sync?: boolean;
  /**
   * File mode (permission bits) of the new file; ignored on Windows.
   * @default 0o644 (less the process umask)
   */
  mode?: number;
}

/**
 * The temporary path used while writing `path`: a hidden file beside it whose
 * name holds the process id and a random UUID (unique within and across
 * running processes) and ends in `.tmp`.
 */
export function atomicTempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${Deno.pid}.${crypto.randomUUID()}.tmp`);
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.length) at += await file.write(bytes.subarray(at));
}

function isAsyncIterable(x: unknown): x is AsyncIterable<Uint8Array> {
  return typeof x === "object" && x !== null && Symbol.asyncIterator in x;
}

/**
 * Writes `data` to `path` atomically (temporary file in the same folder, then
 * rename). On any error the temporary file is removed and the error rethrown;
 * an existing file at `path` is left untouched.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "./atomic_write.ts";
 * await writeFileAtomic("out/result.json", JSON.stringify({ ok: true }));
 * ```
 */
export async function writeFileAtomic(
  path: string,
  data: AtomicWriteData,
  options: AtomicWriteOptions = {},
): Promise<void> {
  if (typeof path !== "string" || path === "") {
    throw new TypeError("writeFileAtomic: path must be a non-empty string");
  }
  const { createDirs = true, sync = true, mode } = options;
  if (createDirs) await Deno.mkdir(dirname(path), { recursive: true });
  const temp = atomicTempPath(path);
  const file = await Deno.open(temp, { write: true, createNew: true, mode });
  let closed = false;
  try {
    if (typeof data === "string") {
      await writeAll(file, new TextEncoder().encode(data));
    } else if (data instanceof Uint8Array) {
      await writeAll(file, data);
    } else if (isAsyncIterable(data)) {
      for await (const chunk of data) await writeAll(file, chunk);
    } else {
      for (const chunk of data) await writeAll(file, chunk);
    }
    if (sync) await file.syncData();
    file.close();
    closed = true;
    await Deno.rename(temp, path);
  } catch (error) {
    if (!closed) {
      try {
        file.close();
      } catch { /* already closed */ }
    }
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}
