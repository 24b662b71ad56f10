import { meanAbsoluteError, rootMeanSquaredError } from "../lib/metrics/rating_metrics.ts";
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "./support/assert.ts";

Deno.test("meanAbsoluteError: hand-computed example", () => {
  // |1-2| + |2-2| + |3-5| = 1 + 0 + 2 = 3, over 3 pairs.
  assertAlmostEquals(meanAbsoluteError([1, 2, 3], [2, 2, 5]), 1);
  assertAlmostEquals(meanAbsoluteError(Float32Array.of(4.5), [3]), 1.5);
  assertEquals(meanAbsoluteError([2, 3], [2, 3]), 0);
});

Deno.test("rootMeanSquaredError: hand-computed example, weighs large errors more than MAE", () => {
  // Squared errors 1, 0, 4: sqrt(5 / 3).
  assertAlmostEquals(rootMeanSquaredError([1, 2, 3], [2, 2, 5]), Math.sqrt(5 / 3));
  // Same total absolute error (2), concentrated vs spread: RMSE 2/sqrt(2) vs 1.
  assertAlmostEquals(rootMeanSquaredError([3, 1], [1, 1]), Math.sqrt(2));
  assertAlmostEquals(rootMeanSquaredError([2, 2], [1, 1]), 1);
});

Deno.test("rating metrics: empty input is NaN, mismatched lengths throw", () => {
  assert(Number.isNaN(meanAbsoluteError([], [])));
  assert(Number.isNaN(rootMeanSquaredError([], [])));
  assertThrows(() => meanAbsoluteError([1, 2], [1]), RangeError, "2 predictions but 1");
  assertThrows(() => rootMeanSquaredError([1], [1, 2]), RangeError);
});
