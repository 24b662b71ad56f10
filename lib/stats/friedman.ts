/**
 * The Friedman test of whether several models perform alike over several
 * datasets, with the Iman–Davenport correction, as recommended by Demšar
 * (2006), "Statistical comparisons of classifiers over multiple data sets",
 * JMLR 7, section 3.2.2.
 *
 * Input: a {@linkcode ResultsTable} with one row per block (a dataset, or a
 * dataset × metric block) and one column per model. Within each row the
 * models are ranked 1 (best) to k (worst); tied values share the average of
 * the ranks they span (two models tied for best both get 1.5). Values tie
 * when equal within a relative 1e-9: a mean over seeds carries float noise
 * (three seeds of 0.8333333333333333 average to 0.8333333333333334), and an
 * ulp must not decide a rank. Round the values first if differences below
 * the reported precision should not count either.
 *
 * With N rows, k models and average ranks R_j:
 * - Friedman statistic `χ²_F = 12N / (k(k+1)) · (Σ_j R_j² − k(k+1)²/4)`,
 *   chi-square distributed with `k − 1` degrees of freedom under the null
 *   hypothesis that all models are equivalent;
 * - Iman–Davenport statistic `F_F = (N − 1) χ²_F / (N(k − 1) − χ²_F)`,
 *   F-distributed with `k − 1` and `(k − 1)(N − 1)` degrees of freedom; less
 *   conservative than χ²_F. When every row ranks the models identically,
 *   `χ²_F = N(k − 1)`, the denominator is 0 and `F_F = Infinity` (p = 0).
 *
 * No tie correction is applied to χ²_F (Demšar's form; with ties the test
 * is slightly conservative).
 *
 * @module
 */
import { chiSquareQuantile, chiSquareSf, fQuantile, fSf } from "./distributions.ts";

/** A results table: rows are datasets (or dataset × metric blocks), columns are models. */
export interface ResultsTable {
  /** Model names, one per column. */
  models: readonly string[];
  /** Row labels (for example dataset names); only for messages and reports. */
  rows?: readonly string[];
  /** `values[row][column]`: the metric of model `column` on block `row`. */
  values: readonly (readonly number[])[];
  /** Whether a higher value is better (NDCG, F1) or a lower one (MAE, RMSE). */
  higherIsBetter: boolean;
}

/** Options for {@linkcode friedmanTest}. */
export interface FriedmanOptions {
  /**
   * Significance level for the reported critical values and decision.
   * @default 0.05
   */
  alpha?: number;
}

/** What {@linkcode friedmanTest} returns (plain numbers, JSON-serialisable). */
export interface FriedmanResult {
  /** Model names, in the table's column order. */
  models: string[];
  /** Number of rows (datasets or blocks), N. */
  blocks: number;
  /** Ranks per row, `ranks[row][column]`, 1 = best, ties averaged. */
  ranks: number[][];
  /** Average rank of each model over the rows, R_j (lower is better). */
  averageRanks: number[];
  /** Friedman statistic χ²_F. */
  chiSquare: number;
  /** Its degrees of freedom, k − 1. */
  chiSquareDf: number;
  /** P(χ² > χ²_F): the Friedman test's p-value. */
  chiSquarePValue: number;
  /** Chi-square critical value at `alpha`. */
  chiSquareCritical: number;
  /** Iman–Davenport statistic F_F (`Infinity` when every row agrees). */
  imanDavenport: number;
  /** Its degrees of freedom, `[k − 1, (k − 1)(N − 1)]`. */
  imanDavenportDf: [number, number];
  /** P(F > F_F): the Iman–Davenport p-value. */
  imanDavenportPValue: number;
  /** F critical value at `alpha`. */
  imanDavenportCritical: number;
  /** The significance level used. */
  alpha: number;
  /** Whether the Iman–Davenport test rejects equivalence at `alpha` (`p < alpha`). */
  rejected: boolean;
}

/** Options for {@linkcode rankWithTies}. */
export interface RankOptions {
  /**
   * Two values tie when `|a − b| <= relativeTolerance · max(|a|, |b|)`; each
   * tie group is measured from its best value, so ties do not chain.
   * @default 1e-9
   */
  relativeTolerance?: number;
}

/**
 * Ranks of `values` (1 = best), ties sharing the average of the ranks they
 * span: `[0.9, 0.7, 0.9]` with higher better gives `[1.5, 3, 1.5]`. Values
 * equal up to float noise tie (see {@linkcode RankOptions}).
 */
export function rankWithTies(
  values: readonly number[],
  higherIsBetter: boolean,
  options: RankOptions = {},
): number[] {
  const tolerance = options.relativeTolerance ?? 1e-9;
  if (!(tolerance >= 0 && tolerance < 1)) {
    throw new RangeError(`rankWithTies: relativeTolerance must be in [0, 1), got ${tolerance}`);
  }
  values.forEach((v, j) => {
    if (Number.isNaN(v)) throw new RangeError(`rankWithTies: value ${j} is NaN`);
  });
  const tied = (a: number, b: number) =>
    a === b || Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
  const order = values.map((_, j) => j).sort((a, b) =>
    higherIsBetter ? values[b] - values[a] : values[a] - values[b]
  );
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && tied(values[order[end]], values[order[start]])) end++;
    // Positions start..end-1 hold equal values: ranks start+1..end, averaged.
    const rank = (start + 1 + end) / 2;
    for (let p = start; p < end; p++) ranks[order[p]] = rank;
    start = end;
  }
  return ranks;
}

/** Checks the table's shape and returns k and N. */
function tableShape(table: ResultsTable): { k: number; n: number } {
  const k = table.models.length;
  const n = table.values.length;
  if (k < 2) throw new RangeError(`friedmanTest: need at least 2 models, got ${k}`);
  if (n < 2) throw new RangeError(`friedmanTest: need at least 2 rows, got ${n}`);
  if (table.rows !== undefined && table.rows.length !== n) {
    throw new RangeError(`friedmanTest: ${table.rows.length} row labels for ${n} rows`);
  }
  table.values.forEach((row, r) => {
    const label = table.rows?.[r] ?? `row ${r}`;
    if (row.length !== k) {
      throw new RangeError(`friedmanTest: ${label} has ${row.length} values for ${k} models`);
    }
    row.forEach((v, j) => {
      if (!Number.isFinite(v)) {
        throw new RangeError(`friedmanTest: ${label}, model "${table.models[j]}" is ${v}`);
      }
    });
  });
  return { k, n };
}

/**
 * Friedman and Iman–Davenport tests on a results table (see the module
 * documentation for the formulas and conventions).
 *
 * @example
 * ```ts
 * import { friedmanTest } from "./friedman.ts";
 * const result = friedmanTest({
 *   models: ["A", "B", "C"],
 *   values: [[0.9, 0.8, 0.7], [0.85, 0.8, 0.6], [0.7, 0.75, 0.5]],
 *   higherIsBetter: true,
 * });
 * result.averageRanks; // [1.333.., 1.666.., 3]
 * ```
 */
export function friedmanTest(table: ResultsTable, options: FriedmanOptions = {}): FriedmanResult {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`friedmanTest: alpha must be in (0, 1)`);
  const { k, n } = tableShape(table);
  const ranks = table.values.map((row) => rankWithTies(row, table.higherIsBetter));
  const averageRanks = table.models.map((_, j) => {
    let sum = 0;
    for (const row of ranks) sum += row[j];
    return sum / n;
  });
  let sumSquares = 0;
  for (const r of averageRanks) sumSquares += r * r;
  const chiSquare = Math.max(
    0,
    ((12 * n) / (k * (k + 1))) * (sumSquares - (k * (k + 1) * (k + 1)) / 4),
  );
  const df1 = k - 1;
  const df2 = (k - 1) * (n - 1);
  const denominator = n * (k - 1) - chiSquare;
  const imanDavenport = denominator <= 1e-12 * n * k
    ? Infinity
    : ((n - 1) * chiSquare) / denominator;
  const imanDavenportPValue = fSf(imanDavenport, df1, df2);
  return {
    models: [...table.models],
    blocks: n,
    ranks,
    averageRanks,
    chiSquare,
    chiSquareDf: df1,
    chiSquarePValue: chiSquareSf(chiSquare, df1),
    chiSquareCritical: chiSquareQuantile(1 - alpha, df1),
    imanDavenport,
    imanDavenportDf: [df1, df2],
    imanDavenportPValue,
    imanDavenportCritical: fQuantile(1 - alpha, df1, df2),
    alpha,
    rejected: imanDavenportPValue < alpha,
  };
}
