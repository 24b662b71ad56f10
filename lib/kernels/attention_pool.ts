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
import { PerTokenFileReader } from "../text/per_token_file.ts";
import type { TokenFeatures } from "../text/token_features.ts";
import { attentionPoolWasmBase64 } from "./attention_pool_wasm.ts";
import { KernelMemory } from "./kernel_memory.ts";
import { describesBlocks } from "./resident_float_rows.ts";
import { residentRows } from "./resident_rows.ts";

/**
 * The kernel's exports (see `attention_pool.c` for their arguments): every
 * argument is an int32 (a byte offset or a count), so calls go by name.
 */
type PoolExports = Record<
  "pool_forward" | "pool_backward" | "pool_forward_q8" | "pool_backward_q8",
  (...args: number[]) => void
>;

/** The kernel exports a helper thread may call. */
const HELPER_EXPORTS = ["pool_forward", "pool_backward", "pool_forward_q8", "pool_backward_q8"];

/** A `D × width` matrix (row-major) that the kernel applies to each pooled row. */
export interface PoolProjection {
  /** The matrix, `D × width` values. */
  weights: Float32Array;
  /** Columns: the projected width. */
  width: number;
}

/** The result of pooling a batch of reviews; keep it to run the backward pass. */
export interface PoolResult {
  /** Review indices (rows of the features; -1 = no review) in batch order. */
  reviews: Int32Array;
  /**
   * Pooled features, `reviews.length × D` row-major; zeros for a review
   * without tokens. Empty when a projection was asked without keeping them.
   */
  pooled: Float32Array;
  /** The pooled rows projected, `reviews.length × width` (when a projection was asked). */
  projected?: Float32Array;
  /** The projection applied (kept for the backward pass). */
  projection?: PoolProjection;
  /** Attention weights of every token, concatenated in batch order (empty when not kept). */
  attention: Float32Array;
  /** `offsets[m] .. offsets[m + 1]` are review m's entries in `attention`. */
  offsets: Int32Array;
}

/**
 * Pools review token features with attention on the SIMD kernel.
 *
 * Int8 per-token features from `compactFeatures` already live in a
 * kernel-ready memory: the kernel runs on it and copies nothing (other int8
 * rows are copied into such a memory once). Float per-token features from
 * the feature cache or `extractFeatures` live in such memories too
 * (`perTokenResident`, one per shard of up to 3.5 GiB): the kernel runs on
 * each shard's reviews in its memory, and copies nothing. A table of
 * per-lemma features (static encoders) is copied into kernel memory once and
 * read there in place; other float per-token blocks are copied per batch, or
 * read per batch from their file (`perTokenFile`) straight into the kernel's
 * memory.
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
  /** The kernel over each memory holding features: one, or one per shard of resident float rows. */
  readonly #kernels: KernelMemory<PoolExports>[];
  /** Resident float features: review r's shard, and its first row's float offset there. */
  readonly #resident?: { shardOf: Int32Array; rowAt: Int32Array };
  /** Int8 features: review r's first token row, and where the rows' values and scales start. */
  readonly #int8?: { firstRow: Int32Array; valuesAt: number; scalesAt: number };
  /**
   * Review r's tokens are `[starts[r], starts[r + 1])` of all reviews' tokens;
   * with table features, `ids` holds them in one array. Reading a batch's
   * reviews from one array instead of one object per review saves a cache
   * miss per review, which grows with the data (at 300k reviews the arrays
   * outgrow the caches).
   */
  readonly #tokens: { starts: Int32Array; ids: Int32Array | null };
  /** The open file of features kept on disk (closed by `dispose`). */
  readonly #file?: PerTokenFileReader;
  /**
   * Copied or file-read features: the reviews whose rows the last call packed
   * at the start of the kernel's scratch. A backward pass right after its
   * forward pass finds them there and reads nothing (training's passes with
   * gradients do this for every batch: two of the seven reads of an epoch).
   */
  #packedFor: Int32Array | null = null;

  readonly #threads: number;

  /**
   * Prepares a pooler for `features` (rows of reviews to pool). With
   * `threads: 2` a helper thread pools half of each batch's tokens (call
   * `dispose` when done): the pooled features are the same as with one
   * thread, and the gradient differs only in the order its two halves are
   * summed. The result does not depend on whether or when the helper starts.
   */
  constructor(features: TokenFeatures, options: { threads?: number } = {}) {
    const threads = options.threads ?? 1;
    if (threads !== 1 && threads !== 2) {
      throw new RangeError(`AttentionPooler: threads must be 1 or 2, got ${threads}`);
    }
    this.#threads = threads;
    if (
      !features.table && !features.perToken && !features.perTokenInt8 && !features.perTokenFile
    ) {
      throw new Error("AttentionPooler: features have neither a table nor per-token rows");
    }
    this.#features = features;
    this.dim = features.dim;
    this.#tokens = packTokens(features.tokens, features.table !== undefined);
    const int8 = features.perTokenInt8;
    const resident = features.perToken && features.perTokenResident &&
        describesBlocks(features.perTokenResident, features.perToken, features.dim)
      ? features.perTokenResident
      : undefined;
    if (int8) {
      // The kernel runs on the memory the int8 rows live in, and copies nothing per call.
      const { memory, end, firstRow, valuesAt, scalesAt } = residentRows(int8, features.dim);
      this.#kernels = [
        new KernelMemory("attention_pool", attentionPoolWasmBase64, 0, { memory, end }),
      ];
      this.#int8 = { firstRow, valuesAt, scalesAt };
    } else if (resident) {
      // A kernel on each shard's memory: each runs on its own reviews' rows in place.
      this.#kernels = resident.shards.map(({ memory, end }) =>
        new KernelMemory<PoolExports>("attention_pool", attentionPoolWasmBase64, 0, { memory, end })
      );
      this.#resident = { shardOf: resident.shardOf, rowAt: resident.rowAt };
    } else {
      const kernel = new KernelMemory<PoolExports>(
        "attention_pool",
        attentionPoolWasmBase64,
        (features.table?.length ?? 0) * 4,
      );
      this.#kernels = [kernel];
      if (features.table) kernel.write(kernel.fixedStart, features.table);
      if (features.perTokenFile) {
        this.#file = new PerTokenFileReader(features.perTokenFile, features.tokens, features.dim);
      }
    }
  }

  /** The token features this pooler reads (lemma ids per review, vocabulary). */
  get features(): TokenFeatures {
    return this.#features;
  }

  /**
   * Pools `reviews` (feature rows; -1 or an empty review pools to zeros)
   * with scoring vector `v` (length D). With a `projection`, the kernel also
   * projects each pooled row while it is in cache (`projected`); the D-wide
   * pooled rows are then copied out only with `keep.pooled` (default true),
   * which {@linkcode AttentionPooler.backwardProjected} needs, and the
   * attention weights only with `keep.attention` (default true).
   */
  forward(
    reviews: Int32Array,
    v: Float32Array,
    projection?: PoolProjection,
    keep: { pooled?: boolean; attention?: boolean } = {},
  ): PoolResult {
    const D = this.dim;
    if (v.length !== D) {
      throw new RangeError(`AttentionPooler.forward: v has ${v.length} values, expected ${D}`);
    }
    const d = projection?.width ?? 0;
    if (projection && projection.weights.length !== D * d) {
      throw new RangeError(
        `AttentionPooler.forward: projection has ${projection.weights.length} values, expected ${
          D * d
        } (${D} × ${d})`,
      );
    }
    if (this.#kernels.length === 1 || reviews.length === 0) {
      return this.#forwardOn(0, reviews, v, projection, keep);
    }
    // Each shard pools its own reviews; the results are put back in batch order.
    const M = reviews.length;
    const offsets = new Int32Array(M + 1);
    for (let m = 0; m < M; m++) offsets[m + 1] = offsets[m] + this.#length(reviews[m]);
    const parts = this.#byShard(reviews).map((positions, s) =>
      positions.length === 0 ? undefined : {
        positions,
        result: this.#forwardOn(s, positions.map((m) => reviews[m]), v, projection, keep),
      }
    );
    const pooled = new Float32Array(!projection || keep.pooled !== false ? M * D : 0);
    const projected = new Float32Array(projection ? M * d : 0);
    const attention = new Float32Array(!projection || keep.attention !== false ? offsets[M] : 0);
    for (const part of parts) {
      if (!part) continue;
      const { positions, result } = part;
      positions.forEach((m, j) => {
        if (pooled.length > 0) pooled.set(result.pooled.subarray(j * D, j * D + D), m * D);
        if (projection) projected.set(result.projected!.subarray(j * d, j * d + d), m * d);
        if (attention.length > 0) {
          attention.set(
            result.attention.subarray(result.offsets[j], result.offsets[j + 1]),
            offsets[m],
          );
        }
      });
    }
    return {
      reviews,
      pooled,
      attention,
      offsets,
      ...(projection ? { projected, projection } : {}),
    };
  }

  /** {@linkcode AttentionPooler.forward} on the kernel of shard `s`, whose reviews `reviews` all are. */
  #forwardOn(
    s: number,
    reviews: Int32Array,
    v: Float32Array,
    projection: PoolProjection | undefined,
    keep: { pooled?: boolean; attention?: boolean },
  ): PoolResult {
    const D = this.dim;
    const d = projection?.width ?? 0;
    const M = reviews.length;
    const k = this.#kernels[s];
    const rows = this.#layoutRows(k, reviews);
    const pV = k.alloc(D);
    const pA = k.alloc(rows.tokens);
    const pPooled = k.alloc(M * D);
    const pW = k.alloc(D * d);
    const pT = k.alloc(M * d);
    const scratch = this.#scratch(k, rows.tokens);
    k.write(pV, v);
    if (projection) k.write(pW, projection.weights);
    const call = (from: number, count: number, part: number): [string, number[]] => {
      const offsets = rows.offsets + 4 * from;
      const pooled = pPooled + 4 * D * from;
      const t = pT + 4 * d * from;
      return this.#kernelCall(
        "pool_forward",
        [
          rows.rows,
          offsets,
          count,
          D,
          pV,
          pA,
          pooled,
          pW,
          d,
          t,
        ],
        scratch,
        part,
      );
    };
    this.#inHalves(k, rows.split, M, call);
    return {
      reviews,
      pooled: !projection || keep.pooled !== false
        ? k.readF32(pPooled, M * D)
        : new Float32Array(0),
      attention: !projection || keep.attention !== false
        ? k.readF32(pA, rows.tokens)
        : new Float32Array(0),
      offsets: k.i32.slice(rows.offsets / 4, rows.offsets / 4 + M + 1),
      ...(projection ? { projected: k.readF32(pT, M * d), projection } : {}),
    };
  }

  /** Gradient of the pooled features with respect to `v`, given their upstream gradient. */
  backward(result: PoolResult, dpooled: Float32Array): Float32Array {
    return this.#backward("backward", result, dpooled, undefined).dv;
  }

  /**
   * Gradients with respect to `v` and to the projection's weights, given the
   * upstream gradient of `result.projected` (`M × width`); `result` must come
   * from a projected forward pass that kept its pooled rows.
   */
  backwardProjected(
    result: PoolResult,
    dprojected: Float32Array,
  ): { dv: Float32Array; dweights: Float32Array } {
    if (!result.projection) {
      throw new Error("AttentionPooler.backwardProjected: the forward pass had no projection");
    }
    const { dv, dW } = this.#backward("backwardProjected", result, dprojected, result.projection);
    return { dv, dweights: dW };
  }

  /** The backward kernel call: `g` is dpooled (no projection) or the projected rows' gradient. */
  #backward(
    caller: string,
    result: PoolResult,
    g: Float32Array,
    projection: PoolProjection | undefined,
  ): { dv: Float32Array; dW: Float32Array } {
    const D = this.dim;
    const M = result.reviews.length;
    const d = projection?.width ?? 0;
    const width = projection ? d : D;
    if (g.length !== M * width) {
      throw new RangeError(
        `AttentionPooler.${caller}: the gradient has ${g.length} values, expected ${M * width}`,
      );
    }
    const tokens = result.offsets[M];
    if (result.pooled.length !== M * D || result.attention.length !== tokens) {
      throw new Error(
        `AttentionPooler.${caller}: the forward pass did not keep its pooled rows and attention`,
      );
    }
    if (this.#kernels.length === 1 || M === 0) {
      return this.#backwardOn(0, result.reviews, result.pooled, result.attention, g, projection);
    }
    // Each shard's gradients from its own reviews, summed in shard order.
    let sum: { dv: Float32Array; dW: Float32Array } | undefined;
    this.#byShard(result.reviews).forEach((positions, s) => {
      if (positions.length === 0) return;
      const reviews = positions.map((m) => result.reviews[m]);
      const pooled = new Float32Array(positions.length * D);
      const gs = new Float32Array(positions.length * width);
      const attention: Float32Array[] = [];
      positions.forEach((m, j) => {
        pooled.set(result.pooled.subarray(m * D, m * D + D), j * D);
        gs.set(g.subarray(m * width, m * width + width), j * width);
        attention.push(result.attention.subarray(result.offsets[m], result.offsets[m + 1]));
      });
      const part = this.#backwardOn(s, reviews, pooled, concat(attention), gs, projection);
      if (!sum) sum = part;
      else {
        for (let j = 0; j < D; j++) sum.dv[j] += part.dv[j];
        for (let j = 0; j < sum.dW.length; j++) sum.dW[j] += part.dW[j];
      }
    });
    return sum!;
  }

  /** The backward kernel call on shard `s`'s kernel, whose reviews `reviews` all are. */
  #backwardOn(
    s: number,
    reviews: Int32Array,
    pooled: Float32Array,
    attention: Float32Array,
    g: Float32Array,
    projection: PoolProjection | undefined,
  ): { dv: Float32Array; dW: Float32Array } {
    const D = this.dim;
    const M = reviews.length;
    const d = projection?.width ?? 0;
    const width = projection ? d : D;
    const k = this.#kernels[s];
    const rows = this.#layoutRows(k, reviews);
    const pA = k.alloc(rows.tokens);
    const pPooled = k.alloc(M * D);
    const pG = k.alloc(M * width);
    const pWT = k.alloc(D * d);
    const pDP = k.alloc(M * D * (d > 0 ? 1 : 0));
    const pDW = [k.alloc(D * d), k.alloc(D * d)];
    const pDv = [k.alloc(D), k.alloc(D)];
    const scratch = this.#scratch(k, rows.tokens);
    k.write(pA, attention);
    k.write(pPooled, pooled);
    k.write(pG, g);
    if (projection) {
      // The kernel reads W transposed (d × D): dpooled = G Wᵀ, one review's row at a time.
      const f32 = k.f32;
      const w = projection.weights;
      for (let j = 0; j < D; j++) {
        for (let c = 0; c < d; c++) f32[pWT / 4 + c * D + j] = w[j * d + c];
      }
    }
    const call = (from: number, count: number, part: number): [string, number[]] => {
      const offsets = rows.offsets + 4 * from;
      const pooled = pPooled + 4 * D * from;
      const gAt = pG + 4 * width * from;
      const dp = d > 0 ? pDP + 4 * D * from : 0;
      return this.#kernelCall(
        "pool_backward",
        [
          rows.rows,
          offsets,
          count,
          D,
          pA,
          pooled,
          gAt,
          pWT,
          d,
          dp,
          pDW[part],
          pDv[part],
        ],
        scratch,
        part,
      );
    };
    this.#inHalves(k, rows.split, M, call);
    const dv = k.readF32(pDv[0], D);
    const dW = k.readF32(pDW[0], D * d);
    if (this.#threads === 1) return { dv, dW };
    // The two halves' gradients, summed in a fixed order.
    const dv2 = k.readF32(pDv[1], D);
    for (let j = 0; j < D; j++) dv[j] += dv2[j];
    const dW2 = k.readF32(pDW[1], D * d);
    for (let j = 0; j < dW.length; j++) dW[j] += dW2[j];
    return { dv, dW };
  }

  /**
   * With one thread, runs a kernel call over all `M` reviews; with two, over
   * reviews `0 .. split` (on the helper thread once it runs) and
   * `split .. M` (an empty half still runs: it zeroes its outputs).
   */
  #inHalves(
    k: KernelMemory<PoolExports>,
    split: number,
    M: number,
    call: (from: number, count: number, part: number) => [string, number[]],
  ): void {
    const exports = k.exports as unknown as Record<string, (...args: number[]) => void>;
    if (this.#threads === 1) {
      const [name, args] = call(0, M, 0);
      exports[name](...args);
      return;
    }
    const [nameA, argsA] = call(0, split, 0);
    const [nameB, argsB] = call(split, M - split, 1);
    const theirs = () => exports[nameA](...argsA);
    const mine = () => exports[nameB](...argsB);
    k.helper(HELPER_EXPORTS).run(nameA, argsA, theirs, mine);
  }

  /** Threads pooling now: 2 once the helper thread has started (it starts on first use), else 1. */
  get threadsRunning(): number {
    return this.#threads === 2 && this.#kernels[0].helper(HELPER_EXPORTS).ready ? 2 : 1;
  }

  /**
   * Stops the helper thread, if any (the pooler still works, on one thread),
   * and closes the features' file, if any (the pooler then no longer works).
   */
  dispose(): void {
    for (const kernel of this.#kernels) kernel.dispose();
    this.#file?.close();
  }

  /**
   * The export and arguments of a call, given the arguments both forms share:
   * float features are read from byte 0 on (`base`); int8 features take their
   * values and scales first, and scratch last (see `attention_pool.c`).
   */
  #kernelCall(
    name: "pool_forward" | "pool_backward",
    shared: number[],
    scratch: { tmp: number; perThread: [number, number] },
    part: number,
  ): [string, number[]] {
    if (!this.#int8) return [name, [0, ...shared]];
    return [`${name}_q8`, [
      this.#int8.valuesAt,
      this.#int8.scalesAt,
      ...shared,
      scratch.tmp,
      scratch.perThread[part],
    ]];
  }

  /**
   * A call's scratch: one float per token (the int8 kernels' token weights;
   * both halves index it by token, so they share it) and, per thread, D
   * int16 and D int32 (see `attention_pool.c`).
   */
  #scratch(
    k: KernelMemory<PoolExports>,
    tokens: number,
  ): { tmp: number; perThread: [number, number] } {
    const D = this.dim;
    const perThread = Math.ceil((Math.ceil((2 * D) / 16) * 16 + 4 * D) / 4);
    return { tmp: k.alloc(tokens), perThread: [k.alloc(perThread), k.alloc(perThread)] };
  }

  /** Batch positions of each shard's reviews, in batch order (reviews without rows go to shard 0). */
  #byShard(reviews: Int32Array): Int32Array[] {
    const shardOf = this.#resident!.shardOf;
    const counts = new Int32Array(this.#kernels.length);
    for (const r of reviews) counts[r < 0 ? 0 : shardOf[r]]++;
    const positions = Array.from(counts, (n) => new Int32Array(n));
    counts.fill(0);
    reviews.forEach((r, m) => {
      const s = r < 0 ? 0 : shardOf[r];
      positions[s][counts[s]++] = m;
    });
    return positions;
  }

  /** Token count of review `r` (0 for -1). */
  #length(r: number): number {
    if (r < 0) return 0;
    const starts = this.#tokens.starts;
    if (!(r + 1 < starts.length)) throw new RangeError(`AttentionPooler: no review ${r}`);
    return starts[r + 1] - starts[r];
  }

  /**
   * Starts a call: copies per-token rows (if the features are float
   * per-token) and writes each token's row (a float offset, or for int8
   * features a row number) and each review's token offsets.
   */
  #layoutRows(
    k: KernelMemory<PoolExports>,
    reviews: Int32Array,
  ): { rows: number; offsets: number; tokens: number; split: number } {
    const D = this.dim;
    let tokens = 0;
    for (const r of reviews) tokens += this.#length(r);
    k.reset();
    const resident = this.#resident;
    const perToken = resident ? undefined : this.#features.perToken;
    const file = this.#file;
    const packed = perToken || file ? k.alloc(tokens * D) : -1;
    // Only this pooler's calls write its (private) scratch, and each packs from the same offset.
    const reuse = packed >= 0 && this.#packedFor !== null && sameValues(this.#packedFor, reviews);
    const rowsAt = k.alloc(tokens);
    const offsetsAt = k.alloc(reviews.length + 1);
    const f32 = k.f32;
    const i32 = k.i32;
    const table = k.fixedStart / 4;
    let t = 0;
    for (let m = 0; m < reviews.length; m++) {
      i32[offsetsAt / 4 + m] = t;
      const r = reviews[m];
      if (r < 0) continue;
      const length = this.#length(r);
      if (this.#int8) {
        const first = this.#int8.firstRow[r];
        for (let j = 0; j < length; j++) i32[rowsAt / 4 + t + j] = first + j;
      } else if (resident) {
        const at = resident.rowAt[r];
        for (let j = 0; j < length; j++) i32[rowsAt / 4 + t + j] = at + j * D;
      } else if (perToken || file) {
        const start = packed / 4 + t * D;
        // Reused: already there, from the call that packed the same reviews.
        if (!reuse && file) {
          file.readInto(r, new Uint8Array(f32.buffer, start * 4, length * D * 4));
        } else if (!reuse) f32.set(perToken![r], start);
        for (let j = 0; j < length; j++) i32[rowsAt / 4 + t + j] = start + j * D;
      } else {
        const ids = this.#tokens.ids!;
        const from = this.#tokens.starts[r];
        for (let j = 0; j < length; j++) i32[rowsAt / 4 + t + j] = table + ids[from + j] * D;
      }
      t += length;
    }
    i32[offsetsAt / 4 + reviews.length] = t;
    if (packed >= 0 && !reuse) this.#packedFor = reviews.slice();
    // The first review whose tokens start at or past half of them: two halves of equal work.
    let split = 0;
    while (split < reviews.length && i32[offsetsAt / 4 + split] * 2 < t) split++;
    return { rows: rowsAt, offsets: offsetsAt, tokens, split };
  }
}

/** Each review's token range in one array of offsets, and (`withIds`) all token ids in one array. */
function packTokens(
  tokens: readonly Int32Array[],
  withIds: boolean,
): { starts: Int32Array; ids: Int32Array | null } {
  const starts = new Int32Array(tokens.length + 1);
  for (let r = 0; r < tokens.length; r++) starts[r + 1] = starts[r] + tokens[r].length;
  if (!withIds) return { starts, ids: null };
  const ids = new Int32Array(starts[tokens.length]);
  tokens.forEach((t, r) => ids.set(t, starts[r]));
  return { starts, ids };
}

/** Whether two arrays hold the same values. */
function sameValues(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  return true;
}

/** The arrays one after another, in one array. */
function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
