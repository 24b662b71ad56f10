/**
 * Float token rows that live in WASM memories the pooling kernel runs on
 * directly, so that per-token features exist once and no pooling call
 * copies them: the caller's `perToken` blocks and the kernel's reads are the
 * same bytes.
 *
 * One WASM memory holds at most 4 GiB, so the rows are split into shards:
 * consecutive reviews fill a shard up to {@linkcode ResidentFloatOptions.shardBytes},
 * then the next begins. Each shard's memory holds the kernels' stacks and
 * static data below {@linkcode RESIDENT_START}, its reviews' rows back to
 * back, then free space that a kernel uses as scratch. The memories are
 * shared, so they can grow without invalidating the views.
 *
 * @module
 */
import { RESIDENT_START } from "./resident_rows.ts";

const PAGE = 65536;

/** Rows kept per shard by default: 3.5 GiB, leaving half a GiB of the 4 GiB for scratch. */
export const DEFAULT_SHARD_BYTES = 3.5 * 2 ** 30;

/** Sizes of resident float rows. */
export interface ResidentFloatOptions {
  /**
   * Most bytes of rows in one shard (one WASM memory); a review larger than
   * this still gets a shard of its own, if it fits in 4 GiB.
   * @default 3.5 GiB
   */
  shardBytes?: number;
}

/** One shard: a memory and the first byte its kernel may use as scratch. */
export interface ResidentFloatShard {
  /** The memory (shared) holding the rows. */
  memory: WebAssembly.Memory;
  /** The memory's buffer when the rows were laid out: every review's block is a view of it. */
  buffer: ArrayBufferLike;
  /** First byte after the rows (16-byte aligned): a kernel's scratch starts here. */
  end: number;
}

/** Where every review's float rows are. */
export interface ResidentFloatRows {
  /** The memories holding them. */
  shards: ResidentFloatShard[];
  /** Review r's shard. */
  shardOf: Int32Array;
  /** Float offset (byte offset / 4) of review r's first row in its shard. */
  rowAt: Int32Array;
}

function align(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

/**
 * Lays out resident float rows: say how many rows each review has, then
 * fill each review's block (`views`), or `set` it from a copy.
 *
 * @example
 * ```ts
 * import { ResidentFloatBuilder } from "./resident_float_rows.ts";
 * const builder = new ResidentFloatBuilder(2, [1, 0]);
 * builder.set(0, Float32Array.of(1, -0.5));
 * const { perToken, resident } = builder.build();
 * perToken[0]; // Float32Array [1, -0.5], a view of resident.shards[0].memory
 * ```
 */
export class ResidentFloatBuilder {
  readonly #dim: number;
  readonly #rows: ResidentFloatRows;
  readonly #counts: Int32Array;

  /** Reserves the rows of `rowsPerReview.length` reviews of width `dim`. */
  constructor(dim: number, rowsPerReview: ArrayLike<number>, options: ResidentFloatOptions = {}) {
    const shardBytes = options.shardBytes ?? DEFAULT_SHARD_BYTES;
    if (!(shardBytes > 0)) {
      throw new RangeError(`ResidentFloatBuilder: shardBytes must be positive, got ${shardBytes}`);
    }
    const reviews = rowsPerReview.length;
    const shardOf = new Int32Array(reviews);
    const rowAt = new Int32Array(reviews);
    const ends: number[] = [];
    let at = RESIDENT_START;
    for (let r = 0; r < reviews; r++) {
      const bytes = rowsPerReview[r] * dim * 4;
      if (at > RESIDENT_START && at - RESIDENT_START + bytes > shardBytes) {
        ends.push(at);
        at = RESIDENT_START;
      }
      shardOf[r] = ends.length;
      rowAt[r] = at / 4;
      at = align(at + bytes);
    }
    ends.push(at);
    const shards = ends.map((end, s) => {
      const pages = Math.ceil(end / PAGE);
      if (pages > 65536) {
        throw new RangeError(
          `ResidentFloatBuilder: shard ${s} needs ${(end / 2 ** 30).toFixed(2)} GiB in one WASM ` +
            `memory (limit 4 GiB); a single review is too large`,
        );
      }
      const memory = new WebAssembly.Memory({ initial: pages, maximum: 65536, shared: true });
      return { memory, buffer: memory.buffer, end };
    });
    this.#dim = dim;
    this.#counts = Int32Array.from(rowsPerReview);
    this.#rows = { shards, shardOf, rowAt };
  }

  /** Review `r`'s block (`rows × dim` floats), a view into its shard. */
  view(r: number): Float32Array {
    const { shards, shardOf, rowAt } = this.#rows;
    if (!(r >= 0 && r < shardOf.length)) {
      throw new RangeError(`ResidentFloatBuilder: no review ${r}`);
    }
    return new Float32Array(shards[shardOf[r]].buffer, rowAt[r] * 4, this.#counts[r] * this.#dim);
  }

  /** Copies review `r`'s `rows × dim` floats into place. */
  set(r: number, block: Float32Array): void {
    const into = this.view(r);
    if (block.length !== into.length) {
      throw new RangeError(
        `ResidentFloatBuilder: review ${r} has ${
          this.#counts[r]
        } rows of ${this.#dim}, got ${block.length} values`,
      );
    }
    into.set(block);
  }

  /** Every review's block, and where they live. */
  build(): { perToken: Float32Array[]; resident: ResidentFloatRows } {
    const perToken: Float32Array[] = [];
    for (let r = 0; r < this.#counts.length; r++) perToken.push(this.view(r));
    return { perToken, resident: this.#rows };
  }
}

/**
 * Whether `resident` still describes `perToken`: every block is the view the
 * builder made (same buffer, same place, same length). Objects are easy to
 * rebuild with some blocks replaced; a kernel must then not read the rows.
 */
export function describesBlocks(
  resident: ResidentFloatRows,
  perToken: readonly Float32Array[],
  dim: number,
): boolean {
  const { shards, shardOf, rowAt } = resident;
  if (shardOf.length !== perToken.length) return false;
  for (let r = 0; r < perToken.length; r++) {
    const block = perToken[r];
    const shard = shards[shardOf[r]];
    if (
      !shard || block.buffer !== shard.buffer || block.byteOffset !== rowAt[r] * 4 ||
      block.length % dim !== 0
    ) {
      return false;
    }
  }
  return true;
}

/**
 * Moves `perToken`'s blocks into resident rows: each entry of the array is
 * replaced by its resident view as soon as it is copied, so that an
 * original block can be collected before the next is copied (the array is
 * changed; pass a copy to keep the originals). Returns the array and where
 * its rows live. `extractFeatures` and the feature cache already return
 * resident blocks; use this for per-token features made another way, so
 * that DReX's pooling reads them in place instead of copying each batch.
 *
 * @example
 * ```ts
 * import { moveIntoResidentRows } from "./resident_float_rows.ts";
 * const blocks = [Float32Array.of(1, 2, 3, 4), Float32Array.of(5, 6)];
 * const { perToken, perTokenResident } = moveIntoResidentRows(blocks, 2);
 * // features = { ...features, perToken, perTokenResident }
 * perTokenResident.shards.length; // 1
 * ```
 */
export function moveIntoResidentRows(
  perToken: Float32Array[],
  dim: number,
  options: ResidentFloatOptions = {},
): { perToken: Float32Array[]; perTokenResident: ResidentFloatRows } {
  const builder = new ResidentFloatBuilder(dim, perToken.map((b) => b.length / dim), options);
  for (let r = 0; r < perToken.length; r++) {
    builder.set(r, perToken[r]);
    perToken[r] = builder.view(r);
  }
  return { perToken, perTokenResident: builder.build().resident };
}
