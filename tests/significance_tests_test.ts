import type { AggregateTable } from "../lib/compare/aggregate_runs.ts";
import { comparisonMetrics, metricById } from "../lib/compare/comparison_metrics.ts";
import { significanceTests } from "../lib/compare/significance_tests.ts";
import { friedmanTest } from "../lib/stats/friedman.ts";
import { assertAlmostEquals, assertEquals } from "./support/assert.ts";

const cell = (mean: number) => ({ mean, sd: 0, runs: 1, rank: NaN });

Deno.test("significanceTests ranks models per dataset by their means and skips models missing a metric", () => {
  const metrics = comparisonMetrics([10]);
  const mae = metricById(metrics, "mae");
  const table: AggregateTable = {
    d1: {
      a: { mae: cell(0.7) },
      b: { mae: cell(0.8) },
      c: { mae: cell(0.9) },
      dmf: { mae: cell(NaN) },
    },
    d2: {
      a: { mae: cell(0.6) },
      b: { mae: cell(0.9) },
      c: { mae: cell(0.8) },
      dmf: { mae: cell(NaN) },
    },
    d3: {
      a: { mae: cell(0.5) },
      b: { mae: cell(0.7) },
      c: { mae: cell(0.9) },
      dmf: { mae: cell(NaN) },
    },
  };
  const [t] = significanceTests(table, [mae]);
  assertEquals(t.models, ["a", "b", "c"]);
  assertEquals(t.datasets, ["d1", "d2", "d3"]);
  const direct = friedmanTest({
    models: ["a", "b", "c"],
    values: [[0.7, 0.8, 0.9], [0.6, 0.9, 0.8], [0.5, 0.7, 0.9]],
    higherIsBetter: false,
  });
  assertEquals(t.friedman.averageRanks, direct.averageRanks);
  assertAlmostEquals(t.friedman.chiSquare, direct.chiSquare, 1e-12);
  assertEquals(t.nemenyi.models[0], "a");
  assertEquals(significanceTests({ d1: table.d1 }, [mae]), []); // one dataset: nothing to test
});
