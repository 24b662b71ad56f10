/**
 * DeepCoNN's factorisation-machine head evaluated for many pairs at once.
 *
 * For `z = [x ; y]` (user part x, item part y, each of size d), the FM is
 * `w0 + w·z + Σ_{a<b} <v_a, v_b> z_a z_b`. Splitting the sums by half gives
 * `c(x) + c'(y) + (x V_u)·(y V_i)`, where `c(x) = w0 + w_u·x + pair(x)`,
 * `c'(y) = w_i·y + pair(y)` and `pair(x) = ½(‖x V_u‖² − Σ_a x_a² ‖v_a‖²)`.
 * So each user and item is reduced once to a constant and a k-vector, and
 * scoring every item for a user costs one k-dimensional dot product per item.
 * `predict` and `scoreAll` evaluate the same expression in the same order,
 * so they agree exactly.
 *
 * @module
 */
import { PointwiseScorer } from "../common/pair_scorer.ts";

/** The FM head's parameters. */
export interface FmWeights {
  /** Global bias. */
  w0: number;
  /** Linear weights, `2d` (user half first). */
  w: Float32Array;
  /** Factors, `2d × k` row-major (user half first). */
  v: Float32Array;
}

function reduce(
  vectors: Float32Array,
  count: number,
  d: number,
  k: number,
  fm: FmWeights,
  half: 0 | 1,
): { c: Float64Array; a: Float64Array } {
  const c = new Float64Array(count);
  const a = new Float64Array(count * k);
  const norms = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let f = 0; f < k; f++) s += fm.v[(half * d + j) * k + f] ** 2;
    norms[j] = s;
  }
  for (let e = 0; e < count; e++) {
    let linear = half === 0 ? fm.w0 : 0;
    let squares = 0;
    for (let j = 0; j < d; j++) {
      const x = vectors[e * d + j];
      linear += fm.w[half * d + j] * x;
      squares += x * x * norms[j];
      for (let f = 0; f < k; f++) a[e * k + f] += x * fm.v[(half * d + j) * k + f];
    }
    let sq = 0;
    for (let f = 0; f < k; f++) sq += a[e * k + f] ** 2;
    c[e] = linear + 0.5 * (sq - squares);
  }
  return { c, a };
}

/** Precomputed per-user and per-item parts of the FM; see the module doc. */
export class FmScores extends PointwiseScorer {
  /** Number of users. */
  readonly numUsers: number;
  /** Number of items. */
  readonly numItems: number;
  #k: number;
  #user: { c: Float64Array; a: Float64Array };
  #item: { c: Float64Array; a: Float64Array };

  /** Reduces user vectors `x` (`numUsers × d`) and item vectors `y` (`numItems × d`). */
  constructor(x: Float32Array, y: Float32Array, d: number, k: number, fm: FmWeights) {
    super();
    this.numUsers = x.length / d;
    this.numItems = y.length / d;
    this.#k = k;
    this.#user = reduce(x, this.numUsers, d, k, fm, 0);
    this.#item = reduce(y, this.numItems, d, k, fm, 1);
  }

  /** The unclipped score of user `u` and item `i`. */
  protected score(u: number, i: number): number {
    const k = this.#k;
    const a = this.#user.a;
    const b = this.#item.a;
    let dot = 0;
    for (let f = 0; f < k; f++) dot += a[u * k + f] * b[i * k + f];
    return this.#user.c[u] + this.#item.c[i] + dot;
  }
}
