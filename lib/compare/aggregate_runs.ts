/**
 * Seeds into table cells: mean, spread and rank of every metric for every
 * model on every dataset, as in the paper's Table 4.
 *
 * @module
 */
import { rankWithTies } from "../stats/friedman.ts";
import type { MetricSpec } from "./comparison_metrics.ts";
import type { RunRecord } from "./run_comparison.ts";

/** One table cell. */
export interface CellSummary {
  /** Mean over runs (seeds). NaN when the model has no such metric. */
  mean: number;
  /** Sample standard deviation over runs (0 for a single run). */
  sd: number;
  /** Runs averaged. */
  runs: number;
  /** Rank of the mean among the dataset's models (1 = best; means equal within a relative 1e-9 tie and share the average rank; NaN when the mean is NaN). */
  rank: number;
}

/** `table[dataset][model][metricId]`. */
export type AggregateTable = Record<string, Record<string, Record<string, CellSummary>>>;

function meanSd(values: number[]): { mean: number; sd: number } {
  const ok = values.filter((v) => !Number.isNaN(v));
  if (ok.length === 0) return { mean: NaN, sd: NaN };
  const mean = ok.reduce((a, b) => a + b, 0) / ok.length;
  const sd = ok.length > 1
    ? Math.sqrt(ok.reduce((a, v) => a + (v - mean) ** 2, 0) / (ok.length - 1))
    : 0;
  return { mean, sd };
}

/** Aggregates `runs` over seeds and ranks models per dataset and metric. */
export function aggregateRuns(
  runs: readonly RunRecord[],
  metrics: readonly MetricSpec[],
): AggregateTable {
  const table: AggregateTable = {};
  const groups = new Map<string, Map<string, RunRecord[]>>();
  for (const run of runs) {
    const byModel = groups.get(run.dataset) ?? new Map<string, RunRecord[]>();
    groups.set(run.dataset, byModel);
    const list = byModel.get(run.model) ?? [];
    byModel.set(run.model, list);
    list.push(run);
  }
  for (const [dataset, byModel] of groups) {
    const models = [...byModel.keys()];
    table[dataset] = Object.fromEntries(models.map((m) => [m, {}]));
    for (const spec of metrics) {
      const cells = models.map((m) => ({
        ...meanSd(byModel.get(m)!.map((r) => spec.value(r.metrics))),
        runs: byModel.get(m)!.length,
      }));
      const ranked = models.map((_, j) => j).filter((j) => !Number.isNaN(cells[j].mean));
      const ranks = rankWithTies(ranked.map((j) => cells[j].mean), spec.higherIsBetter);
      models.forEach((m, j) => {
        const at = ranked.indexOf(j);
        table[dataset][m][spec.id] = { ...cells[j], rank: at >= 0 ? ranks[at] : NaN };
      });
    }
  }
  return table;
}
