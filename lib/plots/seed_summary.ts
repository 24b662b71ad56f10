/**
 * Mean and spread of one number over several seeded runs, and the input
 * shape the evaluation figures share: per model, one {@linkcode EvaluationResult}
 * or one per seed (then figures draw the mean with error bars of one
 * standard deviation).
 *
 * @module
 */
import type { EvaluationResult } from "../metrics/evaluate.ts";

/** Per model name, one evaluation or one per seeded run. */
export type ModelEvaluations = Readonly<
  Record<string, EvaluationResult | readonly EvaluationResult[]>
>;

/** Mean and spread of a number over runs. */
export interface MeanSpread {
  /** Mean over the finite values (`NaN` when there is none). */
  mean: number;
  /** Sample standard deviation (n − 1) over the finite values; `null` with fewer than two. */
  spread: number | null;
  /** How many finite values there were. */
  runs: number;
}

/** Mean and sample standard deviation of the finite values of `values` (`NaN` and infinities are skipped). */
export function meanSpread(values: readonly number[]): MeanSpread {
  const finite = values.filter(Number.isFinite);
  const n = finite.length;
  if (n === 0) return { mean: NaN, spread: null, runs: 0 };
  const mean = finite.reduce((s, v) => s + v, 0) / n;
  if (n < 2) return { mean, spread: null, runs: n };
  const ss = finite.reduce((s, v) => s + (v - mean) * (v - mean), 0);
  return { mean, spread: Math.sqrt(ss / (n - 1)), runs: n };
}

/** The runs of one model's entry, always as a list. */
export function runsOf(entry: EvaluationResult | readonly EvaluationResult[]): EvaluationResult[] {
  return Array.isArray(entry) ? [...entry] : [entry as EvaluationResult];
}

/** A finite number, or `null` (plotly's gap) for `NaN`, infinities and `undefined`. */
export function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
