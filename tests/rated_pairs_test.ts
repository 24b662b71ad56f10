import {
  checkIndices,
  pairErrors,
  ratedPairs,
  ratingSummary,
} from "../lib/baselines/common/rated_pairs.ts";
import { assertAlmostEquals, assertEquals, assertThrows } from "./support/assert.ts";

Deno.test("ratedPairs keeps rated interactions in order; ratingSummary describes them", () => {
  const pairs = ratedPairs([
    { user: 0, item: 1, rating: 4 },
    { user: 1, item: 0 },
    { user: 2, item: 2, rating: 2 },
  ]);
  assertEquals(Array.from(pairs.users), [0, 2]);
  assertEquals(Array.from(pairs.items), [1, 2]);
  assertEquals(Array.from(pairs.ratings), [4, 2]);
  assertEquals(ratingSummary(pairs), { mean: 3, min: 2, max: 4 });
});

Deno.test("pairErrors computes MAE and RMSE, NaN when there is nothing to compare", () => {
  const pairs = ratedPairs([{ user: 0, item: 0, rating: 3 }, { user: 0, item: 1, rating: 5 }]);
  const e = pairErrors(pairs, () => Float32Array.of(4, 2));
  assertAlmostEquals(e.mae, 2);
  assertAlmostEquals(e.rmse, Math.sqrt(5));
  const none = pairErrors(ratedPairs([]), () => new Float32Array());
  assertEquals([none.mae, none.rmse], [NaN, NaN]);
});

Deno.test("checkIndices names the model and the bad index", () => {
  checkIndices("M", "user", [0, 2], 3);
  assertThrows(
    () => checkIndices("M", "item", [3], 3),
    RangeError,
    "M: item index 3 outside [0, 3)",
  );
  assertThrows(() => checkIndices("M", "user", [0.5], 3), RangeError, "user index 0.5");
});
