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

/** Options for {@linkcode summaryTable}. */
export interface SummaryTableOptions {
  /** Cut-off of the ranking columns. @default 10 */
  k?: number;
  /** Include the training-seconds column (leave it out where output must not change between runs). @default true */
  seconds?: boolean;
}

/**
 * A Markdown table: MAE and RMSE; NDCG@k and F1@k under the paper's
 * "test-items" protocol; NDCG@k and hit rate@k under the "full" protocol;
 * best epoch and training seconds.
 */
export function summaryTable(
  entries: Record<string, SummaryEntry>,
  options: SummaryTableOptions = {},
): string {
  const { k = 10, seconds = true } = options;
  const rows = [
    `| model | MAE | RMSE | NDCG@${k} (test items) | F1@${k} (test items) | NDCG@${k} (full) | HR@${k} (full) | best epoch |` +
    (seconds ? " train s |" : ""),
    "|---|---|---|---|---|---|---|---|" + (seconds ? "---|" : ""),
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
        } |` +
        (seconds ? ` ${report.seconds.toFixed(1)} |` : ""),
    );
  }
  return rows.join("\n");
}
