/**
 * The one-screen summary of a run: a Markdown table of each model's test
 * metrics, which `deno task train` prints and writes.
 *
 * @module
 */
import type { EvaluationResult } from "../metrics/evaluate.ts";
import type { FitReport } from "../recommender.ts";

/** What a summary row needs from a model's run. */
export interface SummaryEntry {
  /** Test metrics. */
  metrics: EvaluationResult;
  /** Training report (epochs, time). */
  report: FitReport;
}

function fmt(x: number | undefined, digits = 4): string {
  return x === undefined || Number.isNaN(x) ? "—" : x.toFixed(digits);
}

/**
 * A Markdown table: MAE and RMSE; NDCG@10 and F1@10 under the paper's
 * "test-items" protocol; NDCG@10 and hit rate@10 under the "full" protocol;
 * best epoch and training seconds.
 */
export function summaryTable(entries: Record<string, SummaryEntry>, k = 10): string {
  const rows = [
    `| model | MAE | RMSE | NDCG@${k} (test items) | F1@${k} (test items) | NDCG@${k} (full) | HR@${k} (full) | best epoch | train s |`,
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const [name, { metrics, report }] of Object.entries(entries)) {
    const ti = metrics.ranking["test-items"];
    const full = metrics.ranking.full;
    rows.push(
      `| ${name} | ${fmt(metrics.mae)} | ${fmt(metrics.rmse)} | ${fmt(ti?.ndcg[k])} | ${
        fmt(ti?.f1[k])
      } | ` +
        `${fmt(full?.ndcg[k])} | ${fmt(full?.hitRate[k])} | ${
          report.history.length > 0 ? report.bestEpoch : "—"
        } | ` +
        `${report.seconds.toFixed(1)} |`,
    );
  }
  return rows.join("\n");
}
