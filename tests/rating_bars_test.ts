import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertStringIncludes,
} from "./support/assert.ts";
import type { EvaluationResult } from "../lib/metrics/evaluate.ts";
import { ratingMetricsFigure, ratingSummaryOf } from "../lib/plots/rating_bars.ts";

function result(mae: number, rmse: number): EvaluationResult {
  return { mae, rmse, ratedTestInteractions: 10, ranking: {} };
}

Deno.test("ratingMetricsFigure: grouped MAE/RMSE bars per model with value labels", () => {
  const fig = ratingMetricsFigure({ A: result(0.7, 0.9), B: result(0.8, 1.1) }, { digits: 2 });
  assertEquals(JSON.parse(JSON.stringify(fig)), fig);
  assertEquals(fig.layout.barmode, "group");
  assertEquals(fig.data.map((t) => [t.type, t.name, t.x, t.y]), [
    ["bar", "A", ["MAE", "RMSE"], [0.7, 0.9]],
    ["bar", "B", ["MAE", "RMSE"], [0.8, 1.1]],
  ]);
  assertEquals(fig.data[1].text, ["0.80", "1.10"]);
  assert(fig.data.every((t) => t.error_y === undefined));
});

Deno.test("ratingMetricsFigure: seeded runs and given spreads become error bars", () => {
  const fig = ratingMetricsFigure({
    seeds: [result(0.6, 0.8), result(0.8, 1.0)],
    given: { mae: { mean: 0.5, spread: 0.05 }, rmse: { mean: 0.7 } },
  });
  const [seeds, given] = fig.data;
  assertAlmostEquals(seeds.y?.[0] as number, 0.7);
  assertAlmostEquals(seeds.error_y?.array[0] as number, Math.SQRT2 * 0.1, 1e-12);
  assertStringIncludes((seeds.customdata as string[])[0], "±");
  assertEquals(given.error_y?.array, [0.05, null]);
});

Deno.test("ratingMetricsFigure: a model without rating predictions gets no bar and a note", () => {
  const fig = ratingMetricsFigure({ DMF: result(NaN, NaN) });
  assertEquals(fig.data[0].y, [null, null]);
  assertStringIncludes(fig.data[0].name ?? "", "no rating predictions");
  assertEquals(ratingSummaryOf(result(1, 2)).rmse, { mean: 2, spread: null });
});
