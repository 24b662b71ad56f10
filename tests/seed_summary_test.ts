import { assertAlmostEquals, assertEquals } from "./support/assert.ts";
import { finiteOrNull, meanSpread, runsOf } from "../lib/plots/seed_summary.ts";
import type { EvaluationResult } from "../lib/metrics/evaluate.ts";

Deno.test("meanSpread: mean and sample standard deviation of the finite values", () => {
  const s = meanSpread([1, 2, 3, NaN, Infinity]);
  assertEquals(s.runs, 3);
  assertAlmostEquals(s.mean, 2);
  assertAlmostEquals(s.spread as number, 1);
  assertEquals(meanSpread([5]), { mean: 5, spread: null, runs: 1 });
  const none = meanSpread([NaN]);
  assertEquals([Number.isNaN(none.mean), none.spread, none.runs], [true, null, 0]);
});

Deno.test("runsOf and finiteOrNull normalise inputs", () => {
  const r: EvaluationResult = { mae: 1, rmse: 1, ratedTestInteractions: 1, ranking: {} };
  assertEquals(runsOf(r).length, 1);
  assertEquals(runsOf([r, r]).length, 2);
  assertEquals([finiteOrNull(NaN), finiteOrNull(undefined), finiteOrNull(2)], [null, null, 2]);
});
