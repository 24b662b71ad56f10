/**
 * The pieces of a rating-regression training run that the review baselines
 * (DeepCoNN, NARRE, PESI) share: which training interactions are targets,
 * the validation pairs, seeded mini-batches and dropout masks, and clipped
 * validation errors.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import type { DatasetSplit } from "../../data/types.ts";
import type { Rng } from "../../random.ts";
import type { ValidationErrors } from "../../train/early_stopping.ts";

/** Rated (user, item) pairs with their ratings; `rows` are training rows when the pairs are training targets. */
export interface RatedPairs {
  /** Row of `split.train` (training targets) or position in the source list. */
  rows: Int32Array;
  /** User of each pair. */
  users: Int32Array;
  /** Item of each pair. */
  items: Int32Array;
  /** Rating of each pair. */
  ratings: Float32Array;
}

/** The training interactions that have a rating: the regression targets. Throws if there is none. */
export function ratedTrainingPairs(split: DatasetSplit, model: string): RatedPairs {
  const rows: number[] = [];
  split.train.forEach((it, r) => {
    if (it.rating !== undefined) rows.push(r);
  });
  if (rows.length === 0) throw new Error(`${model}: no training interaction has a rating`);
  return {
    rows: Int32Array.from(rows),
    users: Int32Array.from(rows, (r) => split.train[r].user),
    items: Int32Array.from(rows, (r) => split.train[r].item),
    ratings: Float32Array.from(rows, (r) => split.train[r].rating as number),
  };
}

/** The validation interactions that have a rating (early stopping watches them). */
export function validationPairs(split: DatasetSplit): RatedPairs {
  const rated = split.validation.filter((it) => it.rating !== undefined);
  return {
    rows: Int32Array.from(rated, (_, j) => j),
    users: Int32Array.from(rated, (it) => it.user),
    items: Int32Array.from(rated, (it) => it.item),
    ratings: Float32Array.from(rated, (it) => it.rating as number),
  };
}

/** A seeded shuffle of `0 .. count-1` cut into batches of `batchSize` positions (the last may be short). */
export function shuffledBatches(count: number, batchSize: number, rng: Rng): Int32Array[] {
  const order = rng.shuffle(Array.from({ length: count }, (_, j) => j));
  const out: Int32Array[] = [];
  for (let s = 0; s < count; s += batchSize) {
    out.push(Int32Array.from(order.slice(s, s + batchSize)));
  }
  return out;
}

/**
 * An inverted-dropout mask `[rows, cols]`: each entry is 0 with probability
 * `rate`, else `1 / (1 - rate)`, drawn from `rng`. `undefined` when `rate` is 0.
 */
export function dropoutMask(
  rows: number,
  cols: number,
  rate: number,
  rng: Rng,
): tf.Tensor2D | undefined {
  if (rate <= 0) return undefined;
  const keep = 1 / (1 - rate);
  const values = new Float32Array(rows * cols);
  for (let j = 0; j < values.length; j++) values[j] = rng.next() < rate ? 0 : keep;
  return tf.tensor2d(values, [rows, cols]);
}

/** `parts[k]` times `masks[k]` for every part (inverted dropout); `parts` unchanged without masks. */
export function applyDropout<T extends tf.Tensor>(
  parts: readonly T[],
  masks: readonly tf.Tensor[] | undefined,
): T[] {
  return masks ? parts.map((p, k) => tf.mul(p, masks[k]) as T) : [...parts];
}

/** Clips a prediction to the rating scale. */
export function clip(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

/** MAE and RMSE of `predicted` (clipped to `[min, max]`) against `truth`; NaN for no pairs. */
export function ratingErrors(
  predicted: Float32Array,
  truth: Float32Array,
  min: number,
  max: number,
): ValidationErrors {
  if (truth.length === 0) return { mae: NaN, rmse: NaN };
  let abs = 0;
  let sq = 0;
  for (let j = 0; j < truth.length; j++) {
    const e = clip(predicted[j], min, max) - truth[j];
    abs += Math.abs(e);
    sq += e * e;
  }
  return { mae: abs / truth.length, rmse: Math.sqrt(sq / truth.length) };
}
