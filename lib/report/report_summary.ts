/**
 * The summary table of a report: one row per model, one column per metric,
 * optionally with a spread (standard deviation over seeded runs) per value
 * and a rule per column saying whether the lowest or the highest value is
 * best (that value is set in bold). {@linkcode summaryFromEvaluations}
 * derives one from evaluation results.
 *
 * @module
 */
import type { RankingProtocol } from "../metrics/evaluate.ts";
import { METRIC_LABELS, protocolsPresent, type RankingMetric } from "../plots/metric_at_k.ts";
import { meanSpread, type ModelEvaluations, runsOf } from "../plots/seed_summary.ts";

/** One model's row. */
export interface SummaryRow {
  /** Model name. */
  model: string;
  /** One value per column (`null` or `NaN` shows as a dash). */
  values: readonly (number | string | null)[];
  /** Optional spread per column, shown as `± spread`. */
  spreads?: readonly (number | null)[];
}

/** A table of models by metrics. */
export interface SummaryTable {
  /** Column headers (the model column is implicit). */
  columns: readonly string[];
  /** The rows. */
  rows: readonly SummaryRow[];
  /** Per column header: whether the lowest (`"min"`) or highest (`"max"`) value is best. */
  best?: Readonly<Record<string, "min" | "max">>;
}

/** Options for {@linkcode summaryFromEvaluations}. */
export interface SummaryFromEvaluationsOptions {
  /**
   * The cut-off of the ranking columns.
   * @default 10
   */
  k?: number;
}

/**
 * A summary table of evaluation results: MAE and RMSE, NDCG@k under the
 * "test-items" protocol, and NDCG@k, recall@k and hit rate@k under "full"
 * (for the protocols present), plus the number of runs. Models with several
 * runs show mean ± standard deviation.
 *
 * @example
 * ```ts
 * import { summaryFromEvaluations } from "./report_summary.ts";
 * const table = summaryFromEvaluations({ DReX: [r0, r1, r2], GlobalMean: g });
 * ```
 */
export function summaryFromEvaluations(
  evaluations: ModelEvaluations,
  options: SummaryFromEvaluationsOptions = {},
): SummaryTable {
  const { k = 10 } = options;
  const present = new Set(protocolsPresent(evaluations));
  type Column = { header: string; best: "min" | "max"; read: (runs: ModelRuns) => number[] };
  type ModelRuns = ReturnType<typeof runsOf>;
  const columns: Column[] = [
    { header: "MAE", best: "min", read: (runs) => runs.map((r) => r.mae) },
    { header: "RMSE", best: "min", read: (runs) => runs.map((r) => r.rmse) },
  ];
  const ranking: [RankingProtocol, RankingMetric][] = [
    ["test-items", "ndcg"],
    ["full", "ndcg"],
    ["full", "recall"],
    ["full", "hitRate"],
  ];
  for (const [protocol, metric] of ranking) {
    if (!present.has(protocol)) continue;
    columns.push({
      header: `${METRIC_LABELS[metric]}@${k} (${protocol})`,
      best: "max",
      read: (runs) => runs.map((r) => r.ranking[protocol]?.[metric][k] ?? NaN),
    });
  }
  const rows: SummaryRow[] = Object.entries(evaluations).map(([model, entry]) => {
    const runs = runsOf(entry);
    const stats = columns.map((c) => meanSpread(c.read(runs)));
    return {
      model,
      values: [...stats.map((s) => s.mean), runs.length],
      spreads: [...stats.map((s) => s.spread), null],
    };
  });
  const best: Record<string, "min" | "max"> = {};
  for (const c of columns) best[c.header] = c.best;
  return { columns: [...columns.map((c) => c.header), "runs"], rows, best };
}
