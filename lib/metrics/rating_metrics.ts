/**
 * Rating-accuracy metrics: mean absolute error and root mean squared error
 * of predicted against true ratings (spec section 4, the paper's eq. 9).
 *
 * Both take the predictions and the truths as parallel arrays, so callers
 * decide which interactions count (the evaluator passes the test
 * interactions that have a rating). An empty input has no error to report
 * and gives `NaN`, never a misleading 0.
 *
 * @module
 */

function checkPair(predicted: ArrayLike<number>, actual: ArrayLike<number>, name: string): void {
  if (predicted.length !== actual.length) {
    throw new RangeError(
      `${name}: ${predicted.length} predictions but ${actual.length} true ratings`,
    );
  }
}

/**
 * Mean absolute error, `sum |predicted_j - actual_j| / n`.
 * Lower is better; `NaN` when there is no pair.
 *
 * @example
 * ```ts
 * import { meanAbsoluteError } from "./rating_metrics.ts";
 * meanAbsoluteError([3, 4], [4, 4]); // 0.5
 * ```
 */
export function meanAbsoluteError(
  predicted: ArrayLike<number>,
  actual: ArrayLike<number>,
): number {
  checkPair(predicted, actual, "meanAbsoluteError");
  if (actual.length === 0) return NaN;
  let sum = 0;
  for (let j = 0; j < actual.length; j++) sum += Math.abs(predicted[j] - actual[j]);
  return sum / actual.length;
}

/**
 * Root mean squared error, `sqrt(sum (predicted_j - actual_j)^2 / n)`.
 * Lower is better; it weighs large errors more than MAE. `NaN` when there is no pair.
 *
 * @example
 * ```ts
 * import { rootMeanSquaredError } from "./rating_metrics.ts";
 * rootMeanSquaredError([3, 4], [5, 4]); // sqrt(2)
 * ```
 */
export function rootMeanSquaredError(
  predicted: ArrayLike<number>,
  actual: ArrayLike<number>,
): number {
  checkPair(predicted, actual, "rootMeanSquaredError");
  if (actual.length === 0) return NaN;
  let sum = 0;
  for (let j = 0; j < actual.length; j++) {
    const e = predicted[j] - actual[j];
    sum += e * e;
  }
  return Math.sqrt(sum / actual.length);
}
