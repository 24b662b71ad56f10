/**
 * Every model against the best one, per dataset, by a paired bootstrap over
 * test ratings: means over seeds say which model is ahead, this says whether
 * the gap is larger than the luck of which ratings are in the test set.
 *
 * The best model on a dataset is the one with the lowest mean RMSE over its
 * runs. Every seed trains on its dataset's one split, so runs' predictions
 * align rating by rating. Seeds are pooled: for each seed the model's errors
 * are paired with the best model's errors of the same seed (a deterministic
 * model's single run stands for every seed), and the pairs of all seeds are
 * concatenated before resampling. The pooled RMSE (of all seeds' errors
 * together) can differ slightly from the mean of per-seed RMSEs in the
 * results table.
 *
 * @module
 */
import { toCsv } from "../io/csv_text.ts";
import {
  type BootstrapMetric,
  pairedBootstrap,
  type PairedBootstrapResult,
  ratingLosses,
} from "../stats/paired_bootstrap.ts";
import type { ComparisonResult, TestPredictions } from "./run_comparison.ts";

/** Options for {@linkcode pairedComparisons}. */
export interface PairedComparisonOptions {
  /**
   * The error compared (and by whose mean the best model is chosen).
   * @default "rmse"
   */
  metric?: BootstrapMetric;
  /**
   * Bootstrap resamples.
   * @default 10000
   */
  resamples?: number;
  /**
   * Bootstrap seed.
   * @default 1
   */
  seed?: number;
}

/** One model against its dataset's best model. */
export interface PairedComparison {
  /** Dataset name. */
  dataset: string;
  /** The model compared (display name). */
  model: string;
  /** The best model by mean error over runs (display name). */
  best: string;
  /** Seeds pooled (0 stands for a deterministic pair). */
  seeds: number[];
  /** The bootstrap: `a` is the model, `b` the best; `difference = a − b`. */
  bootstrap: PairedBootstrapResult;
}

function meanOver(values: number[]): number {
  const ok = values.filter((v) => !Number.isNaN(v));
  return ok.length === 0 ? NaN : ok.reduce((s, v) => s + v, 0) / ok.length;
}

/** The run of `model` to pair with seed `seed`: that seed's, or the deterministic run's. */
function runFor(runs: TestPredictions[], seed: number): TestPredictions | undefined {
  return runs.find((r) => r.seed === seed) ?? runs.find((r) => r.seed === 0);
}

/** Each model against its dataset's best model (see the module documentation). */
export function pairedComparisons(
  result: Pick<ComparisonResult, "runs" | "testPredictions" | "testRatings">,
  options: PairedComparisonOptions = {},
): PairedComparison[] {
  const metric = options.metric ?? "rmse";
  const out: PairedComparison[] = [];
  const datasets = [...new Set(result.testPredictions.map((p) => p.dataset))];
  for (const dataset of datasets) {
    const truth = result.testRatings[dataset];
    if (!truth || truth.length === 0) continue;
    const byModel = new Map<string, TestPredictions[]>();
    for (const p of result.testPredictions) {
      if (p.dataset !== dataset) continue;
      byModel.set(p.model, [...(byModel.get(p.model) ?? []), p]);
    }
    const meanError = (model: string) =>
      meanOver(
        result.runs.filter((r) => r.dataset === dataset && r.model === model)
          .map((r) => (metric === "rmse" ? r.metrics.rmse : r.metrics.mae)),
      );
    const ranked = [...byModel.keys()].filter((m) => !Number.isNaN(meanError(m)))
      .sort((x, y) => meanError(x) - meanError(y));
    if (ranked.length < 2) continue;
    const best = ranked[0];
    const bestRuns = byModel.get(best)!;
    for (const model of ranked.slice(1)) {
      const runs = byModel.get(model)!;
      const seeds = [...new Set([...runs, ...bestRuns].map((r) => r.seed))]
        .filter((s) =>
          s !== 0 || (runs.every((r) => r.seed === 0) && bestRuns.every((r) => r.seed === 0))
        )
        .sort((x, y) => x - y);
      const lossesA: Float64Array[] = [];
      const lossesB: Float64Array[] = [];
      const used: number[] = [];
      for (const seed of seeds) {
        const a = runFor(runs, seed);
        const b = runFor(bestRuns, seed);
        if (!a || !b) continue;
        lossesA.push(ratingLosses(a.values, truth, metric));
        lossesB.push(ratingLosses(b.values, truth, metric));
        used.push(seed);
      }
      if (used.length === 0) continue;
      out.push({
        dataset,
        model,
        best,
        seeds: used,
        bootstrap: pairedBootstrap(concat(lossesA), concat(lossesB), {
          metric,
          resamples: options.resamples,
          seed: options.seed,
        }),
      });
    }
  }
  return out;
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The comparisons as CSV, one row per (dataset, model). */
export function pairedComparisonsCsv(rows: readonly PairedComparison[]): string {
  return toCsv(rows.map((r) => ({
    dataset: r.dataset,
    model: r.model,
    best: r.best,
    metric: r.bootstrap.metric,
    seeds: r.seeds.join(" "),
    pairs: r.bootstrap.n,
    model_error: r.bootstrap.a,
    best_error: r.bootstrap.b,
    difference: r.bootstrap.difference,
    ci_low: r.bootstrap.ci[0],
    ci_high: r.bootstrap.ci[1],
    confidence: r.bootstrap.confidence,
    p_value: r.bootstrap.pValue,
    resamples: r.bootstrap.resamples,
  })));
}

/** The comparisons as a Markdown table. */
export function pairedComparisonsTable(rows: readonly PairedComparison[]): string {
  if (rows.length === 0) return "No dataset has two models that predict ratings.";
  const label = rows[0].bootstrap.metric.toUpperCase();
  const f = (x: number) => x.toFixed(4);
  const p = (x: number, resamples: number) => (x === 0 ? `< ${1 / resamples}` : x.toFixed(4));
  return [
    `| dataset | model | best | pooled ${label} (model / best) | difference | ${
      Math.round(rows[0].bootstrap.confidence * 100)
    }% CI | p |`,
    "|---|---|---|---|---|---|---|",
    ...rows.map((r) => {
      const b = r.bootstrap;
      return `| ${r.dataset} | ${r.model} | ${r.best} | ${f(b.a)} / ${f(b.b)} | ${
        b.difference >= 0 ? "+" : ""
      }${f(b.difference)} | [${f(b.ci[0])}, ${f(b.ci[1])}] | ${p(b.pValue, b.resamples)} |`;
    }),
  ].join("\n");
}
