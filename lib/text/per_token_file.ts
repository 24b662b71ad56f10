/**
 * Float per-token features left in a file and read review by review when
 * needed, so that they take no memory of the process: a contextual
 * encoder's features are `tokens × D` floats (3.1 GB for 31,670 reviews of
 * 64 words at D = 384), and the operating system's file cache keeps what
 * fits in free memory. Reading a review's rows from that cache costs about
 * what copying them from an array does. The feature cache's files hold
 * their features this way (`FeatureCache.read` with `{ perToken: "disk" }`);
 * {@linkcode writePerTokenFile} writes such a file from blocks.
 *
 * @module
 */
import { closeSync, openSync, readSync } from "node:fs";
import { resolve } from "node:path";

/**
 * Where per-token features are: every review's `tokens[r].length × dim`
 * float32 rows (little-endian), back to back in review order.
 */
export interface PerTokenFile {
  /** The file (an absolute path once resolved by {@linkcode writePerTokenFile} or the cache). */
  path: string;
  /** Byte offset of review 0's first row. */
  offset: number;
}

/**
 * An open {@linkcode PerTokenFile}: reads one review's rows per call (one
 * system call for the whole block). Hold one for many reads, and `close` it.
 *
 * @example
 * ```ts ignore
 * import { PerTokenFileReader } from "./per_token_file.ts";
 * const reader = new PerTokenFileReader(features.perTokenFile!, features.tokens, features.dim);
 * try {
 *   const rows = reader.read(0); // review 0's tokens × dim floats
 * } finally {
 *   reader.close();
 * }
 * ```
 */
export class PerTokenFileReader {
  /** Feature width D. */
  readonly dim: number;
  readonly #file: PerTokenFile;
  readonly #fd: number;
  /** Review r's first row; `firstRow[reviews]` is the row count (float64: rows × D × 4 passes 2³¹). */
  readonly #firstRow: Float64Array;

  /** Opens `file`, whose reviews have `tokens[r].length` rows of `dim` floats each. */
  constructor(file: PerTokenFile, tokens: readonly Int32Array[], dim: number) {
    this.dim = dim;
    this.#file = file;
    this.#firstRow = new Float64Array(tokens.length + 1);
    for (let r = 0; r < tokens.length; r++) {
      this.#firstRow[r + 1] = this.#firstRow[r] + tokens[r].length;
    }
    this.#fd = openSync(file.path, "r");
  }

  /** Rows of review `r`. */
  rows(r: number): number {
    if (!(r >= 0 && r + 1 < this.#firstRow.length)) {
      throw new RangeError(`PerTokenFileReader: no review ${r} in ${this.#file.path}`);
    }
    return this.#firstRow[r + 1] - this.#firstRow[r];
  }

  /**
   * Reads review `r`'s rows from row `fromRow` on (default 0) into `into`
   * (bytes: a whole number of rows, by default all of the review's), for
   * example a view of a kernel's memory.
   */
  readInto(r: number, into: Uint8Array, fromRow = 0): void {
    const rowBytes = this.dim * 4;
    const bytes = into.length;
    if (
      bytes % rowBytes !== 0 || fromRow < 0 || fromRow * rowBytes + bytes > this.rows(r) * rowBytes
    ) {
      throw new RangeError(
        `PerTokenFileReader: review ${r} has ${this.rows(r)} rows; cannot read ${
          bytes / rowBytes
        } from row ${fromRow}`,
      );
    }
    const at = this.#file.offset + (this.#firstRow[r] + fromRow) * rowBytes;
    let done = 0;
    while (done < bytes) {
      const n = readSync(this.#fd, into, done, bytes - done, at + done);
      if (n <= 0) {
        throw new Error(
          `${this.#file.path}: ends before review ${r}'s features (byte ${at + done}); ` +
            "the file was cut or replaced",
        );
      }
      done += n;
    }
  }

  /** Review `r`'s rows in a new array. */
  read(r: number): Float32Array {
    const out = new Float32Array(this.rows(r) * this.dim);
    this.readInto(r, new Uint8Array(out.buffer));
    return out;
  }

  /** Closes the file. */
  close(): void {
    closeSync(this.#fd);
  }
}

/**
 * Writes `blocks` (review after review, each `tokens × dim` floats) to
 * `path` as a {@linkcode PerTokenFile} at offset 0, one block at a time, so
 * that the blocks may be made as they are written and never all held.
 * Returns where they are. The file is replaced if it exists, and is on disk
 * (synced) when this returns, so that no write-back competes with readers.
 */
export function writePerTokenFile(path: string, blocks: Iterable<Float32Array>): PerTokenFile {
  const file = Deno.openSync(path, { write: true, create: true, truncate: true });
  try {
    for (const block of blocks) {
      const bytes = new Uint8Array(block.buffer, block.byteOffset, block.byteLength);
      for (let done = 0; done < bytes.length;) done += file.writeSync(bytes.subarray(done));
    }
    file.syncSync();
  } finally {
    file.close();
  }
  return { path: resolve(path), offset: 0 };
}
