/**
 * The paired bootstrap over test ratings: is model A's rating error really
 * different from model B's on the same test ratings, or could the gap come
 * from which ratings happened to land in the test set?
 *
 * Both models' per-rating losses (squared errors for RMSE, absolute errors
 * for MAE) are given in the same order. Each resample draws n ratings with
 * replacement (the same draw for both models: that is the pairing, which
 * cancels the ratings' own difficulty) and recomputes the difference
 * `metric(A) − metric(B)`. Reported: the observed difference, the
 * percentile confidence interval of the resampled differences, and a
 * two-sided p-value, twice the share of resamples whose difference has the
 * opposite sign to the observed one (or is zero), capped at 1. A p-value of 0
 * means "below 1 / resamples". Identical losses give a difference of 0 and
 * p = 1. (Efron & Tibshirani, "An Introduction to the Bootstrap", 1993,
 * ch. 13 and 16; Koehn, EMNLP 2004, for the paired form in evaluation.)
 *
 * @module
 */
import { Rng } from "../random.ts";

/** Which error the losses are: squared errors (RMSE) or absolute errors (MAE). */
export type BootstrapMetric = "rmse" | "mae";

/** Options for {@linkcode pairedBootstrap}. */
export interface PairedBootstrapOptions {
  /**
   * What the losses are: `"rmse"` (squared errors; the statistic is the
   * square root of their mean) or `"mae"` (absolute errors; their mean).
   * @default "rmse"
   */
  metric?: BootstrapMetric;
  /**
   * Number of resamples.
   * @default 10000
   */
  resamples?: number;
  /**
   * Seed of the resampling.
   * @default 1
   */
  seed?: number;
  /**
   * Coverage of the percentile interval.
   * @default 0.95
   */
  confidence?: number;
}

/** What {@linkcode pairedBootstrap} returns (plain numbers, JSON-serialisable). */
export interface PairedBootstrapResult {
  /** The metric compared. */
  metric: BootstrapMetric;
  /** Test ratings (pairs). */
  n: number;
  /** Model A's metric on all ratings. */
  a: number;
  /** Model B's metric on all ratings. */
  b: number;
  /** `a − b` (negative: A has the lower error). */
  difference: number;
  /** Percentile interval of the resampled differences, `[low, high]`. */
  ci: [number, number];
  /** The interval's coverage. */
  confidence: number;
  /** Two-sided p-value: twice the share of resamples on the other side of 0, capped at 1. */
  pValue: number;
  /** Resamples drawn. */
  resamples: number;
  /** Seed used. */
  seed: number;
}

/** The statistic of a mean loss: its square root for RMSE, itself for MAE. */
function statistic(meanLoss: number, metric: BootstrapMetric): number {
  return metric === "rmse" ? Math.sqrt(meanLoss) : meanLoss;
}

/** The `q` quantile of sorted values, linear between order statistics. */
function quantile(sorted: Float64Array, q: number): number {
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Per-rating losses of `predictions` against `truth`: squared errors for
 * `"rmse"`, absolute errors for `"mae"`.
 */
export function ratingLosses(
  predictions: ArrayLike<number>,
  truth: ArrayLike<number>,
  metric: BootstrapMetric = "rmse",
): Float64Array {
  if (predictions.length !== truth.length) {
    throw new RangeError(
      `ratingLosses: ${predictions.length} predictions for ${truth.length} ratings`,
    );
  }
  const out = new Float64Array(truth.length);
  for (let j = 0; j < out.length; j++) {
    const e = predictions[j] - truth[j];
    out[j] = metric === "rmse" ? e * e : Math.abs(e);
  }
  return out;
}

/**
 * Paired bootstrap of `metric(A) − metric(B)` over the ratings whose losses
 * are `lossesA[j]` and `lossesB[j]` (see the module documentation).
 *
 * @example
 * ```ts
 * import { pairedBootstrap, ratingLosses } from "./paired_bootstrap.ts";
 * const truth = [4, 5, 3, 4];
 * const a = ratingLosses([3.9, 4.6, 3.4, 4.1], truth);
 * const b = ratingLosses([3.5, 4.0, 3.9, 3.6], truth);
 * const r = pairedBootstrap(a, b, { resamples: 1000 });
 * r.difference; // < 0: A's RMSE is lower
 * ```
 */
export function pairedBootstrap(
  lossesA: ArrayLike<number>,
  lossesB: ArrayLike<number>,
  options: PairedBootstrapOptions = {},
): PairedBootstrapResult {
  const metric = options.metric ?? "rmse";
  const resamples = options.resamples ?? 10000;
  const seed = options.seed ?? 1;
  const confidence = options.confidence ?? 0.95;
  if (metric !== "rmse" && metric !== "mae") {
    throw new RangeError(`pairedBootstrap: metric must be "rmse" or "mae", got "${metric}"`);
  }
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`pairedBootstrap: resamples must be a positive integer, got ${resamples}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`pairedBootstrap: confidence must be in (0, 1), got ${confidence}`);
  }
  const n = lossesA.length;
  if (lossesB.length !== n) {
    throw new RangeError(`pairedBootstrap: ${n} losses for A but ${lossesB.length} for B`);
  }
  if (n === 0) throw new RangeError("pairedBootstrap: no ratings");
  let sumA = 0;
  let sumB = 0;
  for (let j = 0; j < n; j++) {
    const a = lossesA[j];
    const b = lossesB[j];
    if (!(a >= 0) || !(b >= 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
      throw new RangeError(`pairedBootstrap: loss ${j} is not a finite non-negative number`);
    }
    sumA += a;
    sumB += b;
  }
  const a = statistic(sumA / n, metric);
  const b = statistic(sumB / n, metric);
  const difference = a - b;
  const rng = new Rng(seed);
  const diffs = new Float64Array(resamples);
  let flipped = 0;
  for (let r = 0; r < resamples; r++) {
    let sa = 0;
    let sb = 0;
    for (let k = 0; k < n; k++) {
      const j = rng.int(n);
      sa += lossesA[j];
      sb += lossesB[j];
    }
    const d = statistic(sa / n, metric) - statistic(sb / n, metric);
    diffs[r] = d;
    if (difference > 0 ? d <= 0 : difference < 0 ? d >= 0 : true) flipped++;
  }
  diffs.sort();
  const tail = (1 - confidence) / 2;
  return {
    metric,
    n,
    a,
    b,
    difference,
    ci: [quantile(diffs, tail), quantile(diffs, 1 - tail)],
    confidence,
    pValue: Math.min(1, (2 * flipped) / resamples),
    resamples,
    seed,
  };
}
