/**
 * Where dense Adam carries a table row that gets no gradient. TF.js's Adam
 * steps every row of a table at every step: a row outside the batch has a
 * zero gradient, but its moments are not zero, so it keeps moving,
 * `p ← p − lr · (β1^i m / c1) / (√(β2^i v / c2) + ε)` at the i-th step
 * since its last gradient. This module computes k such steps at once, and
 * what they do to the row's moving average, in O(d) per row plus a scalar
 * sum shared by all rows that stood still over the same steps.
 *
 * With `s = √v`, `α_i = β1^i / (1 − β1^t)` and `q_i = √(β2^i / (1 − β2^t))`
 * (t the step's number), step i moves the row by
 * `−lr · m · α_i / (q_i s + ε) = −(lr m / s) Σ_n (−ε/s)^n α_i / q_i^(n+1)`,
 * a series in `ε / (q_i s)`; summed over the steps it needs only the scalar
 * sums `A_n = Σ_i α_i / q_i^(n+1)`. The moving average
 * (`avg ← a · avg + (1 − a) · p` after every step) becomes
 * `a^k avg + (1 − a^k) p − Σ_i u_i (1 − a^(k−i+1))` (u_i step i's move), the
 * same series with sums `B_n` weighted by `1 − a^(k−i+1)`. Steps after the
 * first 263 are left out: `β1^263 < 1e-12`, so together they move a row by
 * less than 1e-11 of its first step. Elements whose `ε / (q s)` exceeds
 * {@linkcode SERIES_LIMIT} (a moment `v` near zero) are summed step by step.
 * The result equals TF.js's step-by-step float32 arithmetic up to rounding.
 *
 * @module
 */

/** TF.js's Adam constants (`tf.train.adam` with its default beta1, beta2 and the float32 epsilon). */
export const BETA1 = 0.9;
/** See {@linkcode BETA1}. */
export const BETA2 = 0.999;
/** See {@linkcode BETA1}. */
export const EPSILON = 1e-7;

/** Steps after a row's last gradient that still move it: `β1^263 < 1e-12`. */
export const DRIFT_STEPS = Math.ceil(Math.log(1e-12) / Math.log(BETA1));
/** Terms of the series in `ε / (q s)`. */
const TERMS = 6;
/** Largest `ε / (q s)` summed as a series (its error is then below `0.05^6 / 0.95 ≈ 2e-8`). */
export const SERIES_LIMIT = 0.05;

/** The scalar sums of k zero-gradient steps after step `t0`; shared by every row with the same (t0, k). */
export interface DriftSums {
  /** Steps that stood still. */
  k: number;
  /** Steps that still move a row, `min(k, DRIFT_STEPS)`. */
  moving: number;
  /** `β1^k` and `β2^k`: what the moments shrink by. */
  decay1: number;
  decay2: number;
  /** `a^k`: what the moving average keeps of itself. */
  keep: number;
  /** `A_n` and `B_n` (see the module doc), n = 0..TERMS−1. */
  a: Float64Array;
  b: Float64Array;
  /** Per moving step: `α_i`, `q_i` and the average's weight `1 − a^(k−i+1)` (for the step-by-step path). */
  alpha: Float64Array;
  q: Float64Array;
  w: Float64Array;
  /** The smallest `q_i`: the series applies where `ε / (qMin s) ≤ SERIES_LIMIT`. */
  qMin: number;
}

/** The sums for k steps after step `t0` (the steps are t0+1 … t0+k), with moving-average decay `a`. */
export function driftSums(t0: number, k: number, a: number): DriftSums {
  const moving = Math.min(k, DRIFT_STEPS);
  const alpha = new Float64Array(moving);
  const q = new Float64Array(moving);
  const w = new Float64Array(moving);
  const sa = new Float64Array(TERMS);
  const sb = new Float64Array(TERMS);
  let qMin = Infinity;
  // Running powers: β1^i, β2^i, β1^t, β2^t, and a^(k−i+1) (from a^(k+1), down by a each step;
  // for a = 0 every weight is 1, since k − i + 1 ≥ 1).
  let b1i = 1, b2i = 1;
  let b1t = Math.pow(BETA1, t0), b2t = Math.pow(BETA2, t0);
  let ai = a > 0 ? Math.pow(a, k + 1) : 0;
  for (let i = 1; i <= moving; i++) {
    b1i *= BETA1;
    b2i *= BETA2;
    b1t *= BETA1;
    b2t *= BETA2;
    if (a > 0) ai /= a;
    const al = b1i / (1 - b1t);
    const qi = Math.sqrt(b2i / (1 - b2t));
    const wi = 1 - ai;
    alpha[i - 1] = al;
    q[i - 1] = qi;
    w[i - 1] = wi;
    qMin = Math.min(qMin, qi);
    let term = al / qi;
    for (let n = 0; n < TERMS; n++) {
      sa[n] += term;
      sb[n] += term * wi;
      term /= qi;
    }
  }
  return {
    k,
    moving,
    decay1: Math.pow(BETA1, k),
    decay2: Math.pow(BETA2, k),
    keep: Math.pow(a, k),
    a: sa,
    b: sb,
    alpha,
    q,
    w,
    qMin,
  };
}

/**
 * Applies k zero-gradient steps (`sums`) to one row in place: its values
 * `p`, moments `m` and `v`, and (when not null) its moving average `avg`,
 * each over `[at, at + d)`; `lr` is the learning rate.
 */
export function driftRow(
  sums: DriftSums,
  lr: number,
  p: Float32Array,
  m: Float32Array,
  v: Float32Array,
  avg: Float32Array | null,
  at: number,
  d: number,
): void {
  const { a, b, alpha, q, w, moving, keep, qMin } = sums;
  for (let i = at; i < at + d; i++) {
    const m0 = m[i];
    const p0 = p[i];
    let move = 0;
    let averageMove = 0;
    if (m0 !== 0) {
      const s = Math.sqrt(v[i]);
      const x = s > 0 ? EPSILON / s : Infinity;
      if (x / qMin <= SERIES_LIMIT) {
        let pa = 0;
        let pb = 0;
        let power = 1;
        for (let n = 0; n < a.length; n++) {
          pa += power * a[n];
          pb += power * b[n];
          power *= -x;
        }
        move = (-lr * m0 / s) * pa;
        averageMove = (-lr * m0 / s) * pb;
      } else {
        for (let j = 0; j < moving; j++) {
          const u = lr * m0 * alpha[j] / (q[j] * s + EPSILON);
          move -= u;
          averageMove -= w[j] * u;
        }
      }
      p[i] = p0 + move;
    }
    m[i] = m0 * sums.decay1;
    v[i] = v[i] * sums.decay2;
    if (avg) avg[i] = keep * avg[i] + (1 - keep) * p0 + averageMove;
  }
}
