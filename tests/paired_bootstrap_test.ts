import { pairedBootstrap, ratingLosses } from "../lib/stats/paired_bootstrap.ts";
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "./support/assert.ts";

Deno.test("pairedBootstrap: identical errors give a difference of 0, a zero interval and p = 1", () => {
  const losses = [0.25, 1, 0, 4, 0.01];
  const r = pairedBootstrap(losses, losses, { resamples: 500 });
  assertEquals([r.difference, r.ci[0], r.ci[1], r.pValue], [0, 0, 0, 1]);
  assertEquals([r.n, r.resamples, r.seed, r.metric], [5, 500, 1, "rmse"]);
});

Deno.test("pairedBootstrap: a constant shift in MAE never flips sign (interval is the point, p = 0)", () => {
  const b = [0.5, 0.1, 1.2, 0.7];
  const a = b.map((x) => x + 0.1);
  const r = pairedBootstrap(a, b, { metric: "mae", resamples: 1000 });
  assertAlmostEquals(r.difference, 0.1, 1e-12);
  assertAlmostEquals(r.ci[0], 0.1, 1e-12);
  assertAlmostEquals(r.ci[1], 0.1, 1e-12);
  assertEquals(r.pValue, 0);
});

Deno.test("pairedBootstrap: two ratings, by hand — MAE difference 0.5, p ≈ 2 · P(both draws pick the tie) = 0.5", () => {
  // A errs by 1 on rating 0 and not on rating 1; B is exact. A resample's
  // difference is (number of draws of rating 0) / 2: 0, 0.5 or 1 with
  // probabilities 1/4, 1/2, 1/4. The sign "flips" (d <= 0) with probability
  // 1/4, so p = 2 · 1/4 = 0.5; the 95% interval is [0, 1].
  const r = pairedBootstrap([1, 0], [0, 0], { metric: "mae", resamples: 20000, seed: 7 });
  assertEquals(r.difference, 0.5);
  assertAlmostEquals(r.pValue, 0.5, 0.02);
  assertEquals(r.ci, [0, 1]);
});

Deno.test("pairedBootstrap: RMSE is the root of the mean squared error; order of A and B flips the sign only", () => {
  const truth = [4, 5, 3, 4, 2, 5, 1, 3];
  const a = ratingLosses([3.9, 4.6, 3.4, 4.1, 2.2, 4.8, 1.5, 3.1], truth);
  const b = ratingLosses([3.0, 4.0, 4.0, 3.0, 3.0, 4.0, 2.5, 4.0], truth);
  const ab = pairedBootstrap(a, b, { resamples: 2000 });
  const ba = pairedBootstrap(b, a, { resamples: 2000 });
  const rmse = (l: Float64Array) => Math.sqrt(l.reduce((s, x) => s + x, 0) / l.length);
  assertAlmostEquals(ab.a, rmse(a), 1e-12);
  assertAlmostEquals(ab.b, rmse(b), 1e-12);
  assert(ab.difference < 0 && ab.ci[1] < 0, "A is clearly better");
  assertAlmostEquals(ba.difference, -ab.difference, 1e-12);
  assertAlmostEquals(ba.ci[0], -ab.ci[1], 1e-12);
  assertEquals(ba.pValue, ab.pValue);
  assert(ab.pValue < 0.05);
  // Seeded: the same call gives the same answer.
  assertEquals(pairedBootstrap(a, b, { resamples: 2000 }), ab);
});

Deno.test("pairedBootstrap and ratingLosses: bad input is an error naming the problem", () => {
  assertThrows(() => pairedBootstrap([1], [1, 2]), RangeError, "1 losses for A but 2 for B");
  assertThrows(() => pairedBootstrap([], []), RangeError, "no ratings");
  assertThrows(() => pairedBootstrap([1], [NaN]), RangeError, "loss 0");
  assertThrows(() => pairedBootstrap([1], [1], { resamples: 0 }), RangeError, "resamples");
  assertThrows(() => ratingLosses([1], [1, 2]), RangeError, "1 predictions for 2 ratings");
  assertEquals(Array.from(ratingLosses([1, 4], [2, 2], "mae")), [1, 2]);
});
