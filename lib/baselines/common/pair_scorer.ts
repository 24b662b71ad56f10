/**
 * How a trained tensor baseline predicts once training is over: unclipped
 * ratings for given pairs, and for every item at once (the recommender
 * clips both to the rating scale).
 *
 * @module
 */

/** Unclipped rating predictions of a trained model. */
export interface PairScorer {
  /** Predictions for pairs `(users[j], items[j])`. */
  predict(users: Int32Array, items: Int32Array): Float32Array;
  /** Predictions of every item for each of `users`, `users.length × numItems` row-major. */
  scoreAll(users: Int32Array): Float32Array;
}

/**
 * A {@linkcode PairScorer} from a score per pair: `predict` and `scoreAll`
 * both call {@linkcode PointwiseScorer.score}, so they agree exactly.
 */
export abstract class PointwiseScorer implements PairScorer {
  /** Number of items (the width of a `scoreAll` row). */
  abstract readonly numItems: number;

  /** The unclipped prediction for user `u` and item `i`. */
  protected abstract score(u: number, i: number): number;

  /** Predictions for pairs `(users[j], items[j])` (not clipped). */
  predict(users: Int32Array, items: Int32Array): Float32Array {
    const out = new Float32Array(users.length);
    for (let j = 0; j < users.length; j++) out[j] = this.score(users[j], items[j]);
    return out;
  }

  /** Predictions of every item for each of `users`, `users.length × numItems` row-major (not clipped). */
  scoreAll(users: Int32Array): Float32Array {
    const nI = this.numItems;
    const out = new Float32Array(users.length * nI);
    for (let b = 0; b < users.length; b++) {
      for (let i = 0; i < nI; i++) out[b * nI + i] = this.score(users[b], i);
    }
    return out;
  }
}
