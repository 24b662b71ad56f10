import type { AggregateTable } from "../lib/compare/aggregate_runs.ts";
import { cdDiagramFigures, figureId } from "../lib/compare/comparison_figures.ts";
import { comparisonMetrics, metricById } from "../lib/compare/comparison_metrics.ts";
import { significanceTests } from "../lib/compare/significance_tests.ts";
import { figureToSvg } from "../lib/plots/static_svg.ts";
import { assert, assertEquals, assertMatch } from "./support/assert.ts";

const cell = (mean: number) => ({ mean, sd: 0, runs: 1, rank: NaN });

/** Model a is best on every dataset, c worst: the Friedman test rejects at 0.05 with 5 datasets. */
function table(): AggregateTable {
  const out: AggregateTable = {};
  for (let d = 0; d < 5; d++) {
    out[`d${d}`] = {
      a: { mae: cell(0.5 + d / 100), "test-items:ndcg@10": cell(0.9) },
      b: { mae: cell(0.7 + d / 100), "test-items:ndcg@10": cell(0.8) },
      c: { mae: cell(0.9 + d / 100), "test-items:ndcg@10": cell(0.7) },
      dmf: { mae: cell(NaN), "test-items:ndcg@10": cell(0.85) },
    };
  }
  return out;
}

Deno.test("figureId makes a file-safe id from a metric id", () => {
  assertEquals(figureId("test-items:ndcg@10"), "cd-test-items-ndcg-10");
  assertEquals(figureId("mae"), "cd-mae");
});

Deno.test("cdDiagramFigures draws one CD diagram per test, with the tested models and the verdict", () => {
  const metrics = comparisonMetrics([10]);
  const tests = significanceTests(table(), [
    metricById(metrics, "mae"),
    metricById(metrics, "test-items:ndcg@10"),
  ]);
  const figures = cdDiagramFigures(tests);
  assertEquals(figures.map((f) => f.id), ["cd-mae", "cd-test-items-ndcg-10"]);
  const [mae, ndcg] = figures;
  // DMF has no MAE: it is left out of the MAE diagram but ranked on NDCG.
  const text = (f: typeof mae) => JSON.stringify(f.figure);
  assert(!text(mae).includes("dmf"), "the MAE diagram leaves out the model without MAE");
  assert(text(ndcg).includes("dmf"));
  for (const name of ["a", "b", "c"]) assert(text(mae).includes(` ${name} (`));
  assertMatch(mae.caption, /3 models on 5 datasets; .*: reject equal performance at α = 0\.05/);
  assertMatch(mae.figure.layout?.title ? JSON.stringify(mae.figure.layout.title) : "", /MAE/);
  // The static fallback renders each name.
  const svg = figureToSvg(ndcg.figure);
  assertMatch(svg, /^<svg/);
  for (const name of ["a", "b", "c", "dmf"]) assertMatch(svg, new RegExp(`>\\s*${name} \\(`));
});
