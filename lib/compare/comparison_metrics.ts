/**
 * The metrics a comparison tabulates, each with an id, a label and a
 * direction, read from an `EvaluationResult`.
 *
 * @module
 */
import {
  DEFAULT_CUTOFFS,
  type EvaluationResult,
  type RankingProtocol,
} from "../metrics/evaluate.ts";

/** One tabulated metric. */
export interface MetricSpec {
  /** Stable id: `"mae"`, `"rmse"`, or `"<protocol>:<metric>@<k>"`, e.g. `"test-items:ndcg@10"`. */
  id: string;
  /** Column label, e.g. `"NDCG@10"`. */
  label: string;
  /** `"rating"` or the ranking protocol. */
  protocol: "rating" | RankingProtocol;
  /** Whether higher is better. */
  higherIsBetter: boolean;
  /** Reads the metric (NaN when the model or protocol has none). */
  value(result: EvaluationResult): number;
}

const RANKING = { ndcg: "NDCG", precision: "P", recall: "R", f1: "F1", hitRate: "HR" } as const;

/** MAE, RMSE, and every ranking metric at every cut-off under both protocols. */
export function comparisonMetrics(cutoffs: readonly number[] = DEFAULT_CUTOFFS): MetricSpec[] {
  const specs: MetricSpec[] = [
    { id: "mae", label: "MAE", protocol: "rating", higherIsBetter: false, value: (r) => r.mae },
    { id: "rmse", label: "RMSE", protocol: "rating", higherIsBetter: false, value: (r) => r.rmse },
  ];
  for (const protocol of ["test-items", "full"] as const) {
    for (const [metric, label] of Object.entries(RANKING) as [keyof typeof RANKING, string][]) {
      for (const k of cutoffs) {
        specs.push({
          id: `${protocol}:${metric}@${k}`,
          label: `${label}@${k}`,
          protocol,
          higherIsBetter: true,
          value: (r) => r.ranking[protocol]?.[metric][k] ?? NaN,
        });
      }
    }
  }
  return specs;
}

/** The spec with id `id`; throws with the known ids when missing. */
export function metricById(specs: readonly MetricSpec[], id: string): MetricSpec {
  const spec = specs.find((s) => s.id === id);
  if (!spec) {
    throw new RangeError(
      `unknown metric "${id}"; e.g. mae, rmse, test-items:ndcg@10, full:hitRate@10`,
    );
  }
  return spec;
}
