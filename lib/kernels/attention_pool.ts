/**
 * Attention pooling of review token features on a WASM SIMD kernel
 * (`attention_pool.c`): the hot loop of DReX's review encoder.
 *
 * DReX's review vector is `t = W_t (sum_k a_k e_k) + b_t` with
 * `a = softmax(e_k . v)` and `v = W_t w` (exactly the paper's
 * `sum_k a_k (W_t e_k + b_t)`, since the weights sum to one). This class
 * computes the pooled `sum_k a_k e_k` and its gradient with respect to `v`
 * for a batch of reviews, reading each token's features once per direction.
 *
 * @module
 */
import type { TokenFeatures } from "../text/token_features.ts";
import { attentionPoolWasmBase64 } from "./attention_pool_wasm.ts";
import { decodeBase64 } from "./base64.ts";

interface PoolExports {
  /** First byte after the kernel's own stack and data: our buffers start here. */
  __heap_base: WebAssembly.Global;
  pool_forward(
    base: number,
    rows: number,
    offsets: number,
    M: number,
    D: number,
    v: number,
    a: number,
    pooled: number,
  ): void;
  pool_backward(
    base: number,
    rows: number,
    offsets: number,
    M: number,
    D: number,
    a: number,
    pooled: number,
    dpooled: number,
    dv: number,
  ): void;
}

/** The result of pooling a batch of reviews; keep it to run the backward pass. */
export interface PoolResult {
  /** Review indices (rows of the features; -1 = no review) in batch order. */
  reviews: Int32Array;
  /** Pooled features, `reviews.length × D` row-major; zeros for a review without tokens. */
  pooled: Float32Array;
  /** Attention weights of every token, concatenated in batch order. */
  attention: Float32Array;
  /** `offsets[m] .. offsets[m + 1]` are review m's entries in `attention`. */
  offsets: Int32Array;
}

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB, the wasm32 limit

/** Compiles the kernel (3 KB; about a millisecond, so each pooler compiles its own). */
function kernelModule(): WebAssembly.Module {
  return new WebAssembly.Module(decodeBase64(attentionPoolWasmBase64) as BufferSource);
}

/**
 * Pools review token features with attention on the SIMD kernel.
 *
 * A table of per-lemma features (static encoders) is copied into kernel memory
 * once; per-token features (contextual encoders) are copied per batch.
 *
 * @example
 * ```ts
 * import { AttentionPooler } from "./attention_pool.ts";
 * const pooler = new AttentionPooler({
 *   encoder: "toy", dim: 2, vocab: ["a", "b"],
 *   tokens: [Int32Array.of(0, 1)], table: Float32Array.of(1, 0, 0, 1),
 * });
 * const r = pooler.forward(Int32Array.of(0), Float32Array.of(0, 0));
 * r.pooled; // [0.5, 0.5]: equal scores, equal weights
 * ```
 */
export class AttentionPooler {
  /** Feature width D. */
  readonly dim: number;
  readonly #features: TokenFeatures;
  readonly #memory: WebAssembly.Memory;
  readonly #exports: PoolExports;
  /** Byte offset of the resident table (after the kernel's stack and data). */
  readonly #tableStart: number;
  /** Byte offset where per-call scratch space starts (after the resident table). */
  readonly #scratchStart: number;
  #f32: Float32Array;
  #i32: Int32Array;

  /** Prepares a pooler for `features` (rows of reviews to pool). */
  constructor(features: TokenFeatures) {
    if (!features.table && !features.perToken) {
      throw new Error("AttentionPooler: features have neither a table nor per-token rows");
    }
    this.#features = features;
    this.dim = features.dim;
    const module = kernelModule();
    this.#memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.#memory } });
    this.#exports = instance.exports as unknown as PoolExports;
    this.#tableStart = align(Number(this.#exports.__heap_base.value));
    const tableBytes = features.table ? features.table.length * 4 : 0;
    this.#scratchStart = align(this.#tableStart + tableBytes);
    this.#f32 = new Float32Array(this.#memory.buffer);
    this.#i32 = new Int32Array(this.#memory.buffer);
    this.#reserve(this.#scratchStart);
    if (features.table) this.#f32.set(features.table, this.#tableStart / 4);
  }

  /** The token features this pooler reads (lemma ids per review, vocabulary). */
  get features(): TokenFeatures {
    return this.#features;
  }

  /**
   * Pools `reviews` (feature rows; -1 or an empty review pools to zeros)
   * with scoring vector `v` (length D).
   */
  forward(reviews: Int32Array, v: Float32Array): PoolResult {
    const D = this.dim;
    if (v.length !== D) {
      throw new RangeError(`AttentionPooler.forward: v has ${v.length} values, expected ${D}`);
    }
    const M = reviews.length;
    const lay = this.#layout(reviews);
    const pV = lay.alloc(D);
    const pA = lay.alloc(lay.tokens);
    const pPooled = lay.alloc(M * D);
    this.#reserve(lay.end);
    this.#fillRows(reviews, lay);
    this.#f32.set(v, pV / 4);
    this.#exports.pool_forward(0, lay.rows, lay.offsets, M, D, pV, pA, pPooled);
    return {
      reviews,
      pooled: this.#f32.slice(pPooled / 4, pPooled / 4 + M * D),
      attention: this.#f32.slice(pA / 4, pA / 4 + lay.tokens),
      offsets: this.#i32.slice(lay.offsets / 4, lay.offsets / 4 + M + 1),
    };
  }

  /** Gradient of the pooled features with respect to `v`, given their upstream gradient. */
  backward(result: PoolResult, dpooled: Float32Array): Float32Array {
    const D = this.dim;
    const M = result.reviews.length;
    if (dpooled.length !== M * D) {
      throw new RangeError(
        `AttentionPooler.backward: dpooled has ${dpooled.length} values, expected ${M * D}`,
      );
    }
    const lay = this.#layout(result.reviews);
    const pA = lay.alloc(lay.tokens);
    const pPooled = lay.alloc(M * D);
    const pDp = lay.alloc(M * D);
    const pDv = lay.alloc(D);
    this.#reserve(lay.end);
    this.#fillRows(result.reviews, lay);
    this.#f32.set(result.attention, pA / 4);
    this.#f32.set(result.pooled, pPooled / 4);
    this.#f32.set(dpooled, pDp / 4);
    this.#exports.pool_backward(0, lay.rows, lay.offsets, M, D, pA, pPooled, pDp, pDv);
    return this.#f32.slice(pDv / 4, pDv / 4 + D);
  }

  /** Token count of review `r` (0 for -1). */
  #length(r: number): number {
    if (r < 0) return 0;
    const ids = this.#features.tokens[r];
    if (ids === undefined) throw new RangeError(`AttentionPooler: no review ${r}`);
    return ids.length;
  }

  /** Plans scratch space: packed per-token rows (if any), row pointers, offsets. */
  #layout(reviews: Int32Array): Layout {
    let tokens = 0;
    for (const r of reviews) tokens += this.#length(r);
    const lay = new Layout(this.#scratchStart);
    lay.packed = this.#features.perToken ? lay.alloc(tokens * this.dim) : -1;
    lay.rows = lay.alloc(tokens);
    lay.offsets = lay.alloc(reviews.length + 1);
    lay.tokens = tokens;
    return lay;
  }

  /** Writes row pointers and review offsets (and packed per-token rows) into memory. */
  #fillRows(reviews: Int32Array, lay: Layout): void {
    const D = this.dim;
    const f32 = this.#f32;
    const i32 = this.#i32;
    const rowsAt = lay.rows / 4;
    const offAt = lay.offsets / 4;
    let k = 0;
    for (let m = 0; m < reviews.length; m++) {
      i32[offAt + m] = k;
      const r = reviews[m];
      if (r < 0) continue;
      const ids = this.#features.tokens[r];
      if (this.#features.perToken) {
        const block = this.#features.perToken[r];
        const start = lay.packed / 4 + k * D;
        f32.set(block, start);
        for (let t = 0; t < ids.length; t++) i32[rowsAt + k + t] = start + t * D;
      } else {
        const table = this.#tableStart / 4;
        for (let t = 0; t < ids.length; t++) i32[rowsAt + k + t] = table + ids[t] * D;
      }
      k += ids.length;
    }
    i32[offAt + reviews.length] = k;
  }

  #reserve(bytes: number): void {
    const have = this.#memory.buffer.byteLength;
    if (bytes <= have) return;
    const pages = Math.ceil((bytes - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) {
      throw new RangeError(
        `AttentionPooler: a batch needs ${
          (bytes / 2 ** 30).toFixed(2)
        } GiB of kernel memory (limit 4 GiB); use smaller batches`,
      );
    }
    this.#memory.grow(pages);
    this.#f32 = new Float32Array(this.#memory.buffer);
    this.#i32 = new Int32Array(this.#memory.buffer);
  }
}

/** 16-byte alignment keeps SIMD loads aligned. */
function align(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

/** A bump allocator over the kernel's scratch space (byte offsets). */
class Layout {
  end: number;
  packed = -1;
  rows = 0;
  offsets = 0;
  tokens = 0;
  constructor(start: number) {
    this.end = start;
  }
  alloc(floats: number): number {
    const at = this.end;
    this.end = align(this.end + floats * 4);
    return at;
  }
}
