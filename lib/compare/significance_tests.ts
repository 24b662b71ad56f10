/**
 * Friedman and Nemenyi tests over datasets for chosen metrics, as in the
 * paper's Table 5 and Figure 7: models are ranked on each dataset by their
 * mean over seeds, then compared by average rank.
 *
 * @module
 */
import { type FriedmanResult, friedmanTest } from "../stats/friedman.ts";
import { type NemenyiResult, nemenyiTest } from "../stats/nemenyi.ts";
import type { AggregateTable } from "./aggregate_runs.ts";
import type { MetricSpec } from "./comparison_metrics.ts";

/** One metric's tests. */
export interface MetricSignificance {
  /** Metric id. */
  metric: string;
  /** Metric label with its protocol. */
  label: string;
  /** Models tested (those with a value on every dataset). */
  models: string[];
  /** Datasets (blocks). */
  datasets: string[];
  /** Friedman test and Iman–Davenport correction. */
  friedman: FriedmanResult;
  /** Nemenyi post-hoc test: critical difference, pairs and groups for the CD diagram. */
  nemenyi: NemenyiResult;
}

/** Options for {@linkcode significanceTests}. */
export interface SignificanceOptions {
  /** Significance level. @default 0.05 */
  alpha?: number;
}

/**
 * Runs the tests for each of `metrics` that at least two models have on every
 * dataset, when there are at least two datasets (else returns nothing for it).
 */
export function significanceTests(
  table: AggregateTable,
  metrics: readonly MetricSpec[],
  options: SignificanceOptions = {},
): MetricSignificance[] {
  const datasets = Object.keys(table);
  if (datasets.length < 2) return [];
  const allModels = [...new Set(datasets.flatMap((d) => Object.keys(table[d])))];
  const out: MetricSignificance[] = [];
  for (const spec of metrics) {
    const models = allModels.filter((m) =>
      datasets.every((d) => !Number.isNaN(table[d][m]?.[spec.id]?.mean ?? NaN))
    );
    if (models.length < 2) continue;
    const values = datasets.map((d) => models.map((m) => table[d][m][spec.id].mean));
    const friedman = friedmanTest({
      models,
      rows: datasets,
      values,
      higherIsBetter: spec.higherIsBetter,
    }, options);
    out.push({
      metric: spec.id,
      label: `${spec.label} (${spec.protocol})`,
      models,
      datasets,
      friedman,
      nemenyi: nemenyiTest(friedman, options),
    });
  }
  return out;
}
