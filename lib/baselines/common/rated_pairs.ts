/**
 * Rated interactions as parallel typed arrays, and the validation errors of
 * a rating predictor on them: what the rating-matrix baselines train and
 * stop early on.
 *
 * @module
 */
import type { IndexedInteraction } from "../../data/types.ts";
import type { ValidationErrors } from "../../train/early_stopping.ts";

/** Rated `(user, item, rating)` triples as parallel arrays. */
export interface RatedPairs {
  /** User index of each triple. */
  users: Int32Array;
  /** Item index of each triple. */
  items: Int32Array;
  /** Rating of each triple. */
  ratings: Float64Array;
}

/** The interactions of `part` that have a rating, in order (unrated ones are left out). */
export function ratedPairs(part: readonly IndexedInteraction[]): RatedPairs {
  const rated = part.filter((it) => it.rating !== undefined);
  return {
    users: Int32Array.from(rated, (it) => it.user),
    items: Int32Array.from(rated, (it) => it.item),
    ratings: Float64Array.from(rated, (it) => it.rating as number),
  };
}

/** Mean of the ratings, and their smallest and largest value. */
export function ratingSummary(pairs: RatedPairs): { mean: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const r of pairs.ratings) {
    sum += r;
    if (r < min) min = r;
    if (r > max) max = r;
  }
  return { mean: sum / pairs.ratings.length, min, max };
}

/**
 * MAE and RMSE of `predict` on `pairs` (NaN for both when there is no pair,
 * which makes the epoch loop keep the last epoch).
 */
export function pairErrors(
  pairs: RatedPairs,
  predict: (users: Int32Array, items: Int32Array) => ArrayLike<number>,
): ValidationErrors {
  const n = pairs.ratings.length;
  if (n === 0) return { mae: NaN, rmse: NaN };
  const predicted = predict(pairs.users, pairs.items);
  let abs = 0;
  let sq = 0;
  for (let j = 0; j < n; j++) {
    const e = predicted[j] - pairs.ratings[j];
    abs += Math.abs(e);
    sq += e * e;
  }
  return { mae: abs / n, rmse: Math.sqrt(sq / n) };
}

/** Throws a `RangeError` naming `model` unless every index is an integer in `[0, size)`. */
export function checkIndices(
  model: string,
  what: "user" | "item",
  ids: ArrayLike<number>,
  size: number,
): void {
  for (let j = 0; j < ids.length; j++) {
    const v = ids[j];
    if (!Number.isInteger(v) || v < 0 || v >= size) {
      throw new RangeError(`${model}: ${what} index ${v} outside [0, ${size})`);
    }
  }
}
