import {
  pairedComparisons,
  pairedComparisonsCsv,
  pairedComparisonsTable,
} from "../lib/compare/paired_comparisons.ts";
import type { RunRecord, TestPredictions } from "../lib/compare/run_comparison.ts";
import type { EvaluationResult } from "../lib/metrics/evaluate.ts";
import { assertAlmostEquals, assertEquals, assertStringIncludes } from "./support/assert.ts";

const truth = Float32Array.of(4, 5, 3, 4);

function rmse(p: Float32Array): number {
  return Math.sqrt(p.reduce((s, x, j) => s + (x - truth[j]) ** 2, 0) / p.length);
}

function run(model: string, seed: number, values: number[]): [RunRecord, TestPredictions] {
  const v = Float32Array.from(values);
  const metrics: EvaluationResult = {
    mae: NaN,
    rmse: rmse(v),
    ratedTestInteractions: v.length,
    ranking: {},
  };
  return [
    {
      dataset: "d",
      key: model,
      model,
      seed,
      options: {},
      metrics,
      report: { history: [], bestEpoch: 0, stoppedEarly: false, seconds: 0 },
    },
    { dataset: "d", key: model, model, seed, values: v },
  ];
}

Deno.test("pairedComparisons: every model against the best by mean RMSE, seeds paired and pooled", () => {
  const pairs = [
    run("Seeded", 1, [4, 5, 3, 3]), // RMSE 0.5
    run("Seeded", 2, [4, 5, 3, 4.5]), // RMSE 0.25
    run("Bias", 0, [4, 4, 3, 4]), // RMSE 0.5: worse than Seeded's mean 0.375
    run("Mean", 0, [4, 4, 4, 4]),
  ];
  const rows = pairedComparisons({
    runs: pairs.map(([r]) => r),
    testPredictions: pairs.map(([, p]) => p),
    testRatings: { d: truth },
  }, { resamples: 500 });
  assertEquals(rows.map((r) => [r.model, r.best, r.seeds]), [
    ["Bias", "Seeded", [1, 2]],
    ["Mean", "Seeded", [1, 2]],
  ]);
  const bias = rows[0].bootstrap;
  assertEquals(bias.n, 8); // 2 seeds × 4 ratings; the deterministic run pairs with each seed
  // Pooled: Bias errs by 1 on rating 1 in both copies; Seeded by 1 and 0.5 on rating 3.
  assertAlmostEquals(bias.a, Math.sqrt(2 / 8), 1e-6);
  assertAlmostEquals(bias.b, Math.sqrt(1.25 / 8), 1e-6);
  assertAlmostEquals(bias.difference, bias.a - bias.b, 1e-12);
  const csv = pairedComparisonsCsv(rows);
  assertEquals(csv.split("\n")[0].split(",").slice(0, 6), [
    "dataset",
    "model",
    "best",
    "metric",
    "seeds",
    "pairs",
  ]);
  assertStringIncludes(csv, "d,Bias,Seeded,rmse,1 2,8,");
  const md = pairedComparisonsTable(rows);
  assertStringIncludes(md, "| d | Bias | Seeded | 0.5000 / 0.3953 | +0.1047 |");
});

Deno.test("pairedComparisons: two deterministic models pair once; one model alone gives nothing", () => {
  const pairs = [run("Bias", 0, [4, 4, 3, 4]), run("Mean", 0, [4, 4, 4, 4])];
  const rows = pairedComparisons({
    runs: pairs.map(([r]) => r),
    testPredictions: pairs.map(([, p]) => p),
    testRatings: { d: truth },
  }, { resamples: 100 });
  assertEquals(rows.length, 1);
  assertEquals([rows[0].seeds, rows[0].bootstrap.n], [[0], 4]);
  const alone = pairedComparisons({
    runs: [pairs[0][0]],
    testPredictions: [pairs[0][1]],
    testRatings: { d: truth },
  });
  assertEquals(alone, []);
});
