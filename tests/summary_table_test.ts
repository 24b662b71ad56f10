import { summaryTable } from "../lib/pipeline/summary_table.ts";
import type { EvaluationResult } from "../lib/metrics/evaluate.ts";
import { assertEquals, assertStringIncludes } from "./support/assert.ts";

const metrics: EvaluationResult = {
  mae: 0.81234,
  rmse: 1.01,
  ratedTestInteractions: 5,
  ranking: {
    "test-items": {
      users: 2,
      usersWithRelevant: 2,
      ndcg: { 10: 0.95 },
      precision: {},
      recall: {},
      f1: { 10: 0.7 },
      hitRate: {},
    },
  },
};
const report = { history: [], bestEpoch: 0, stoppedEarly: false, seconds: 3.21 };

Deno.test("summaryTable shows each model's metrics, a dash for what it lacks, and optionally its time", () => {
  const table = summaryTable({ DReX: { metrics, report } });
  assertStringIncludes(table, "| DReX | 0.8123 | 1.0100 | 0.9500 | 0.7000 | — | — | — | 3.2 |");
  const stable = summaryTable({ DReX: { metrics, report } }, { seconds: false });
  assertEquals(stable.includes("train s") || stable.includes("3.2"), false);
  assertStringIncludes(
    summaryTable({ DReX: { metrics, report } }, { k: 5 }),
    "NDCG@5 (test items)",
  );
});
