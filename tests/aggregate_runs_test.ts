import { aggregateRuns } from "../lib/compare/aggregate_runs.ts";
import { comparisonMetrics } from "../lib/compare/comparison_metrics.ts";
import type { RunRecord } from "../lib/compare/run_comparison.ts";
import { significanceTests } from "../lib/compare/significance_tests.ts";
import type { EvaluationResult } from "../lib/metrics/evaluate.ts";
import { assertAlmostEquals, assertEquals } from "./support/assert.ts";

function run(dataset: string, model: string, seed: number, mae: number, ndcg10: number): RunRecord {
  const at = (v: number) => ({ 1: v, 10: v });
  const metrics: EvaluationResult = {
    mae,
    rmse: mae + 0.2,
    ratedTestInteractions: 10,
    ranking: {
      "test-items": {
        users: 5,
        usersWithRelevant: 4,
        ndcg: at(ndcg10),
        precision: at(0),
        recall: at(0),
        f1: at(0),
        hitRate: at(0),
      },
    },
  };
  return {
    dataset,
    key: model,
    model,
    seed,
    options: {},
    metrics,
    report: { history: [], bestEpoch: 0, stoppedEarly: false, seconds: 0 },
  };
}

Deno.test("aggregateRuns averages seeds, gives sample sd, and ranks per dataset in the metric's direction", () => {
  const metrics = comparisonMetrics([1, 10]);
  const table = aggregateRuns([
    run("A", "m1", 1, 0.8, 0.9),
    run("A", "m1", 2, 0.6, 0.7),
    run("A", "m2", 1, 0.9, 0.95),
    run("A", "m3", 0, NaN, 0.95), // a model without MAE (like DMF)
  ], metrics);
  const m1 = table.A.m1;
  assertAlmostEquals(m1.mae.mean, 0.7, 1e-12);
  assertAlmostEquals(m1.mae.sd, Math.sqrt(0.02), 1e-12); // sample sd of 0.8 and 0.6
  assertEquals(m1.mae.runs, 2);
  assertEquals(m1.mae.rank, 1); // lower MAE is better
  assertEquals(table.A.m2.mae.rank, 2);
  assertEquals(Number.isNaN(table.A.m3.mae.rank), true); // no MAE, no rank
  // higher NDCG is better; m2 and m3 tie and share rank 1.5
  assertEquals(table.A.m2["test-items:ndcg@10"].rank, 1.5);
  assertEquals(table.A.m3["test-items:ndcg@10"].rank, 1.5);
  assertEquals(m1["test-items:ndcg@10"].rank, 3);
  assertEquals(Number.isNaN(m1["full:ndcg@10"].mean), true); // protocol not run
});

Deno.test("aggregateRuns: means equal up to float noise tie, and the Friedman test sees no difference", () => {
  const exact = 0.8333333333333333;
  // Three equal seeds average to 0.8333333333333334: one ulp above the exact value.
  const runs: RunRecord[] = [];
  for (const dataset of ["A", "B"]) {
    for (const seed of [1, 2, 3]) runs.push(run(dataset, "seeded", seed, exact, 0.5));
    runs.push(run(dataset, "deterministic", 0, exact, 0.5));
  }
  const metrics = comparisonMetrics([1, 10]);
  const table = aggregateRuns(runs, metrics);
  assertEquals(table.A.seeded.mae.mean === table.A.deterministic.mae.mean, false);
  assertEquals(table.A.seeded.mae.rank, 1.5);
  assertEquals(table.A.deterministic.mae.rank, 1.5);
  const [mae] = significanceTests(table, metrics.filter((m) => m.id === "mae"));
  assertEquals(mae.friedman.chiSquare, 0);
  assertEquals(mae.friedman.averageRanks, [1.5, 1.5]);
});
