/**
 * The review CNN of DeepCoNN and NARRE (convolution with window `w`, ReLU,
 * max-over-time pooling), computed in two parts that together equal the
 * plain computation, values and gradients:
 *
 * 1. **Scan** (no gradient). Token features times the shifted weights
 *    ({@linkcode shiftedWeights}) give every token's contribution at every
 *    window offset, `P = X W'` (one matrix product over the distinct rows a
 *    chunk of reviews uses: for static features, one row per distinct
 *    lemma). A JavaScript loop then adds the `w` contributions of each
 *    window and keeps, per review and filter, the largest window sum and
 *    where it starts.
 * 2. **Window values** (with gradient). Max-over-time pooling passes
 *    gradient only to the window that attains the maximum, and the bias and
 *    ReLU commute with the maximum (`max_t relu(c_t + b) = relu(max_t c_t + b)`),
 *    so the pooled output and all its gradients depend only on those windows.
 *    This part recomputes the sums of exactly those windows from the
 *    weights, with standard differentiable ops: a product over the distinct
 *    token rows they touch and a gather ({@linkcode gatherRows}).
 *
 * The window sums are those of {@linkcode windowConv} with the same weight
 * (tests check values and gradients against it). A review shorter than `w`
 * words has one window, padded with zero vectors. Ties between windows go
 * to the earliest (the plain computation would split the gradient among
 * them; both are valid subgradients).
 *
 * A *unit* is the first `words` words of a training review: DeepCoNN
 * documents may cut their last review short.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import { gatherRows } from "./gather_rows.ts";
import type { TokenRows } from "./token_rows.ts";
import { shiftedWeights } from "./window_conv.ts";

/** Reviews to encode: unit `u` is the first `words[u]` words of training row `rows[u]`. */
export interface ReviewUnits {
  /** Training row (review) of each unit. */
  rows: Int32Array;
  /** Words of the review the unit keeps (at least 1). */
  words: Int32Array;
}

/** What a scan finds, per unit and filter (`units × F`, row-major). */
export interface PooledScan {
  /** The largest window sum (convolution output before the bias). */
  max: Float32Array;
  /** The 0-based position of the first word of the window attaining it. */
  start: Int32Array;
}

/**
 * Windows whose sums to recompute with gradients: window `e` starts at word
 * `starts[e]` of unit (`rows[e]`, `words[e]`), for filter `filters[e]`.
 * A row of -1 is an all-padding window, whose sum is 0.
 */
export interface WindowRefs {
  /** Training row of each window's review, or -1. */
  rows: Int32Array;
  /** Words of the review the unit keeps. */
  words: Int32Array;
  /** First word of the window. */
  starts: Int32Array;
  /** Filter index. */
  filters: Int32Array;
}

/** Floats of per-token features copied per scan chunk (bounds memory for wide features). */
const CHUNK_FLOATS = 1 << 22;
/** Tokens per scan chunk when rows are shared per lemma. */
const SHARED_CHUNK_TOKENS = 1 << 20;

/** A review CNN's forward computations over one {@linkcode TokenRows}. */
export class PooledReviewCnn {
  /** Token features. */
  readonly rows: TokenRows;
  /** Window width w. */
  readonly window: number;
  /** Number of filters F. */
  readonly filters: number;
  #stamp: Int32Array;
  #local: Int32Array;
  #epoch = 0;

  /** A CNN with window `window` and `filters` filters over `rows`. */
  constructor(rows: TokenRows, window: number, filters: number) {
    if (!Number.isInteger(window) || window < 1) {
      throw new RangeError(`PooledReviewCnn: window must be a positive integer, got ${window}`);
    }
    if (!Number.isInteger(filters) || filters < 1) {
      throw new RangeError(`PooledReviewCnn: filters must be a positive integer, got ${filters}`);
    }
    this.rows = rows;
    this.window = window;
    this.filters = filters;
    this.#stamp = new Int32Array(rows.size);
    this.#local = new Int32Array(rows.size);
  }

  /** Number of windows of a unit of `words` words (at least one). */
  windowCount(words: number): number {
    return Math.max(words - this.window + 1, 1);
  }

  /**
   * Max-over-time pooling of every unit's convolution under `weight`
   * (`[w·D, F]`), without gradients; see {@linkcode PooledScan}.
   */
  scan(units: ReviewUnits, weight: tf.Tensor2D): PooledScan {
    const F = this.filters;
    const U = units.rows.length;
    const max = new Float32Array(U * F);
    const start = new Int32Array(U * F);
    const shifted = shiftedWeights(weight, this.window);
    try {
      // Per-token rows: every token is a row of the chunk's matrix. Shared
      // (per-lemma) rows: a chunk's matrix has one row per distinct lemma, at
      // most the vocabulary, so chunks can hold many more tokens.
      const maxTokens = this.rows.shared
        ? SHARED_CHUNK_TOKENS
        : Math.max(1024, Math.floor(CHUNK_FLOATS / this.rows.dim));
      let from = 0;
      while (from < U) {
        let to = from;
        let tokens = 0;
        while (to < U && (to === from || tokens + units.words[to] <= maxTokens)) {
          tokens += units.words[to++];
        }
        this.#scanChunk(units, from, to, shifted, max, start);
        from = to;
      }
    } finally {
      shifted.dispose();
    }
    return { max, start };
  }

  #scanChunk(
    units: ReviewUnits,
    from: number,
    to: number,
    shifted: tf.Tensor2D,
    max: Float32Array,
    start: Int32Array,
  ): void {
    const w = this.window;
    const F = this.filters;
    const wF = w * F;
    // Local row of every word of every unit in the chunk; distinct rows in `ids`.
    let total = 0;
    for (let u = from; u < to; u++) total += units.words[u];
    const local = new Int32Array(total);
    const ids = this.#distinctRows(units, from, to, local);
    const pad = ids.length;
    const P = this.#products(ids, shifted);
    const acc = new Float64Array(F);
    const best = new Float64Array(F);
    const arg = new Int32Array(F);
    let at = 0;
    for (let u = from; u < to; u++) {
      const L = units.words[u];
      const n = this.windowCount(L);
      const base = u * F;
      best.fill(-Infinity);
      arg.fill(0);
      for (let k = 0; k < n; k++) {
        // Window sum for every filter: the w tokens' contributions at offsets 0..w-1.
        const o0 = (k < L ? local[at + k] : pad) * wF;
        if (w === 3) {
          // The common case, without an accumulator array.
          const o1 = (k + 1 < L ? local[at + k + 1] : pad) * wF + F;
          const o2 = (k + 2 < L ? local[at + k + 2] : pad) * wF + 2 * F;
          for (let f = 0; f < F; f++) {
            const v = P[o0 + f] + P[o1 + f] + P[o2 + f];
            if (v > best[f]) {
              best[f] = v;
              arg[f] = k;
            }
          }
          continue;
        }
        for (let f = 0; f < F; f++) acc[f] = P[o0 + f];
        for (let s = 1; s < w; s++) {
          const os = (k + s < L ? local[at + k + s] : pad) * wF + s * F;
          for (let f = 0; f < F; f++) acc[f] += P[os + f];
        }
        for (let f = 0; f < F; f++) {
          if (acc[f] > best[f]) {
            best[f] = acc[f];
            arg[f] = k;
          }
        }
      }
      max.set(best, base);
      start.set(arg, base);
      at += L;
    }
  }

  /** Fills `local` with each word's index into the returned list of distinct row ids. */
  #distinctRows(units: ReviewUnits, from: number, to: number, local: Int32Array): Int32Array {
    const epoch = this.#nextEpoch();
    const ids: number[] = [];
    let at = 0;
    for (let u = from; u < to; u++) {
      const r = units.rows[u];
      for (let p = 0; p < units.words[u]; p++) {
        local[at++] = this.#localOf(this.rows.id(r, p), ids, epoch);
      }
    }
    return Int32Array.from(ids);
  }

  #nextEpoch(): number {
    if (++this.#epoch === 0x7fffffff) {
      this.#stamp.fill(0);
      this.#epoch = 1;
    }
    return this.#epoch;
  }

  #localOf(id: number, ids: number[], epoch: number): number {
    if (this.#stamp[id] !== epoch) {
      this.#stamp[id] = epoch;
      this.#local[id] = ids.length;
      ids.push(id);
    }
    return this.#local[id];
  }

  /** `[ids.length + 1, w·F]` token contributions (last row: padding, zeros), as data. */
  #products(ids: Int32Array, shifted: tf.Tensor2D): Float32Array {
    const D = this.rows.dim;
    // Not returned from tf.tidy: tidy walks a returned typed array element by element.
    const x = tf.tensor2d(this.rows.copyRows(ids), [ids.length + 1, D]);
    const P = tf.matMul(x, shifted);
    const data = P.dataSync() as Float32Array;
    tf.dispose([x, P]);
    return data;
  }

  /**
   * The sums of the windows `refs` under `weight` (`[w·D, F]`), as a
   * differentiable `[refs.rows.length]` tensor (no bias).
   */
  windowValues(refs: WindowRefs, weight: tf.Tensor2D): tf.Tensor1D {
    const w = this.window;
    const F = this.filters;
    const wF = w * F;
    const E = refs.rows.length;
    const epoch = this.#nextEpoch();
    const ids: number[] = [];
    const local = new Int32Array(E * w).fill(-1);
    for (let e = 0; e < E; e++) {
      const r = refs.rows[e];
      if (r < 0) continue;
      for (let s = 0; s < w; s++) {
        const p = refs.starts[e] + s;
        if (p < refs.words[e]) local[e * w + s] = this.#localOf(this.rows.id(r, p), ids, epoch);
      }
    }
    const pad = ids.length;
    const index = new Int32Array(E * w);
    for (let e = 0; e < E; e++) {
      const f = refs.filters[e];
      for (let s = 0; s < w; s++) {
        const l = local[e * w + s];
        index[e * w + s] = (l < 0 ? pad : l) * wF + s * F + f;
      }
    }
    const D = this.rows.dim;
    return tf.tidy(() => {
      const x = tf.tensor2d(this.rows.copyRows(Int32Array.from(ids)), [pad + 1, D]);
      const P = tf.reshape(tf.matMul(x, shiftedWeights(weight, w)), [-1]);
      const picked = tf.reshape(gatherRows(P, index), [E, w]);
      return tf.sum(picked, 1) as tf.Tensor1D;
    });
  }
}

/**
 * The maximising window of every unit and filter (units × F entries,
 * row-major), for when every unit's pooled vector needs gradients (NARRE).
 */
export function argmaxWindows(units: ReviewUnits, scan: PooledScan, filters: number): WindowRefs {
  const U = units.rows.length;
  const rows = new Int32Array(U * filters);
  const words = new Int32Array(U * filters);
  const filterOf = new Int32Array(U * filters);
  for (let u = 0; u < U; u++) {
    rows.fill(units.rows[u], u * filters, (u + 1) * filters);
    words.fill(units.words[u], u * filters, (u + 1) * filters);
    for (let f = 0; f < filters; f++) filterOf[u * filters + f] = f;
  }
  return { rows, words, starts: scan.start.slice(), filters: filterOf };
}
