/**
 * Scores of a (biased) latent-factor model, `μ + b_u + b_i + p_u · q_i`,
 * for given pairs or for every item, in plain typed-array arithmetic. Shared
 * by BiasedMF and EMF (which has no mean and no biases).
 *
 * @module
 */
import type { PairScorer } from "./pair_scorer.ts";

/** Parameters of a latent-factor model; row `u` of `userFactors` is `p_u`. */
export interface FactorParams {
  /** Latent size d. */
  dim: number;
  /** Global offset μ (0 for a model without one). */
  mean: number;
  /** `b_u` per user; absent for a model without biases. */
  userBias?: Float64Array;
  /** `b_i` per item; absent for a model without biases. */
  itemBias?: Float64Array;
  /** `numUsers × dim`, row-major. */
  userFactors: Float64Array;
  /** `numItems × dim`, row-major. */
  itemFactors: Float64Array;
}

/** The score of one pair. */
export function pairScore(p: FactorParams, user: number, item: number): number {
  const d = p.dim;
  const ou = user * d;
  const oi = item * d;
  let s = p.mean + (p.userBias?.[user] ?? 0) + (p.itemBias?.[item] ?? 0);
  for (let k = 0; k < d; k++) s += p.userFactors[ou + k] * p.itemFactors[oi + k];
  return s;
}

/** Scores of the pairs `(users[j], items[j])`. */
export function pairScores(p: FactorParams, users: Int32Array, items: Int32Array): Float32Array {
  const out = new Float32Array(users.length);
  for (let j = 0; j < users.length; j++) out[j] = pairScore(p, users[j], items[j]);
  return out;
}

/** Every item's score for each of `users`: `users.length × numItems`, row-major. */
export function allItemScores(p: FactorParams, users: Int32Array): Float32Array {
  const d = p.dim;
  const nI = p.itemFactors.length / d;
  const out = new Float32Array(users.length * nI);
  const pu = new Float64Array(d);
  for (let b = 0; b < users.length; b++) {
    const u = users[b];
    pu.set(p.userFactors.subarray(u * d, (u + 1) * d));
    const base = p.mean + (p.userBias?.[u] ?? 0);
    const row = b * nI;
    for (let i = 0; i < nI; i++) {
      const oi = i * d;
      let s = base + (p.itemBias?.[i] ?? 0);
      for (let k = 0; k < d; k++) s += pu[k] * p.itemFactors[oi + k];
      out[row + i] = s;
    }
  }
  return out;
}

/** Fills `values` with draws from `N(0, scale²)`. */
export function fillNormal(
  values: Float64Array,
  scale: number,
  normal: () => number,
): Float64Array {
  for (let k = 0; k < values.length; k++) values[k] = scale * normal();
  return values;
}

/** The {@linkcode PairScorer} of a latent-factor model: {@linkcode pairScores} and {@linkcode allItemScores}. */
export class FactorScorer implements PairScorer {
  /** A scorer reading `params` (shared, not copied). */
  constructor(readonly params: FactorParams) {}

  /** Scores of the pairs `(users[j], items[j])`. */
  predict(users: Int32Array, items: Int32Array): Float32Array {
    return pairScores(this.params, users, items);
  }

  /** Every item's score for each of `users`, row-major. */
  scoreAll(users: Int32Array): Float32Array {
    return allItemScores(this.params, users);
  }
}
