import { assertAlmostEquals, assertEquals } from "./support/assert.ts";
import type { EvaluationResult, ProtocolMetrics } from "../lib/metrics/evaluate.ts";
import { summaryFromEvaluations } from "../lib/report/report_summary.ts";

function protocol(ndcg: number): ProtocolMetrics {
  const at = { 5: ndcg / 2, 10: ndcg };
  return {
    users: 3,
    usersWithRelevant: 2,
    ndcg: at,
    precision: at,
    recall: at,
    f1: at,
    hitRate: at,
  };
}

function result(mae: number, ndcg: number, full: boolean): EvaluationResult {
  return {
    mae,
    rmse: mae + 0.2,
    ratedTestInteractions: 9,
    ranking: { "test-items": protocol(ndcg), ...(full ? { full: protocol(ndcg / 4) } : {}) },
  };
}

Deno.test("summaryFromEvaluations: columns for present protocols, mean ± spread over runs", () => {
  const table = summaryFromEvaluations({
    A: [result(0.6, 0.8, true), result(0.8, 0.9, true)],
    B: result(0.9, 0.5, false),
  });
  assertEquals(table.columns, [
    "MAE",
    "RMSE",
    "NDCG@10 (test-items)",
    "NDCG@10 (full)",
    "Recall@10 (full)",
    "Hit rate@10 (full)",
    "runs",
  ]);
  assertEquals(table.best?.MAE, "min");
  assertEquals(table.best?.["NDCG@10 (full)"], "max");
  const [a, b] = table.rows;
  assertAlmostEquals(a.values[0] as number, 0.7);
  assertAlmostEquals(a.spreads?.[0] as number, Math.SQRT2 * 0.1, 1e-12);
  assertEquals(a.values[6], 2);
  assertEquals(Number.isNaN(b.values[3]), true, "B has no full-protocol results");
  assertEquals(b.spreads?.[0], null);
  assertEquals(
    summaryFromEvaluations({ B: result(1, 1, false) }, { k: 5 }).columns[2],
    "NDCG@5 (test-items)",
  );
});
