import { aggregateRuns } from "../lib/compare/aggregate_runs.ts";
import { comparisonMetrics } from "../lib/compare/comparison_metrics.ts";
import {
  datasetTable,
  metricTable,
  runsCsv,
  significanceTable,
} from "../lib/compare/format_comparison.ts";
import { modelEntry } from "../lib/compare/model_registry.ts";
import { pairedComparisons } from "../lib/compare/paired_comparisons.ts";
import { runComparison } from "../lib/compare/run_comparison.ts";
import { significanceTests } from "../lib/compare/significance_tests.ts";
import { repoPath } from "./support/shared.ts";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "./support/assert.ts";

const fixture = repoPath("fixtures", "synthetic", "reviews.jsonl");

Deno.test("runComparison trains every model on identical splits, seeded models once per seed", async () => {
  const result = await runComparison({
    datasets: [
      { name: "split-a", data: { path: fixture } },
      { name: "split-b", data: { path: fixture }, prepare: { split: { seed: 7 } } },
    ],
    models: ["global-mean", "bias", "drex"],
    seeds: [1, 2],
    modelOptions: { drex: { maxEpochs: 2 } },
    evaluation: { protocols: ["test-items"] },
  });
  // 2 datasets × (1 + 1 + 2 seeds) runs
  assertEquals(result.runs.length, 8);
  assertEquals(result.runs.filter((r) => r.model === "DReX").map((r) => r.seed), [1, 2, 1, 2]);
  const a = result.datasets[0];
  const b = result.datasets[1];
  assertEquals(
    a.interactions.train + a.interactions.validation + a.interactions.test,
    b.interactions.train + b.interactions.validation + b.interactions.test,
  );
  assert(a.interactions.test > 0 && a.features !== null);
  const metrics = comparisonMetrics([1, 10]);
  const table = aggregateRuns(result.runs, metrics);
  const tests = significanceTests(table, metrics.filter((m) => m.id === "mae"));
  assertEquals(tests.length, 1);
  const md = [
    datasetTable(result),
    metricTable(table, metrics, ["mae", "test-items:ndcg@10"]),
    significanceTable(tests),
  ]
    .join("\n");
  for (
    const name of ["split-a", "split-b", "GlobalMean", "UserItemBias", "DReX", "MAE ↓", "NDCG@10 ↑"]
  ) {
    assertStringIncludes(md, name);
  }
  assertEquals(runsCsv(result.runs, metrics).trim().split("\n").length, 1 + 8 * metrics.length);
  // Every run's test predictions are kept, aligned with the rated test ratings.
  assertEquals(result.testPredictions.length, 8);
  for (const p of result.testPredictions) {
    const truth = result.testRatings[p.dataset];
    assertEquals(p.values.length, truth.length);
    const run = result.runs.find((r) =>
      r.dataset === p.dataset && r.key === p.key && r.seed === p.seed
    )!;
    const sq = p.values.reduce((s, v, j) => s + (v - truth[j]) ** 2, 0);
    assertAlmostEquals(Math.sqrt(sq / truth.length), run.metrics.rmse, 1e-9);
  }
  assertEquals(result.datasets[0].ratingScale, { min: 1, max: 5, step: 1 });
  const paired = pairedComparisons(result, { resamples: 200 });
  assertEquals(paired.length, 2 * 2); // per dataset, each of the 3 models but the best
});

Deno.test("an unknown model key is a clear error", () => {
  assertThrows(() => modelEntry("deepconnn"), RangeError, "known models: drex");
});
