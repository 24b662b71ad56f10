/**
 * The Nemenyi post-hoc test after a Friedman test (Demšar 2006, section
 * 3.2.2): two models perform significantly differently when their average
 * ranks differ by at least the critical difference
 *
 *   `CD = q_alpha · sqrt(k(k + 1) / (6N))`
 *
 * for k models over N rows. `q_alpha` is the studentized range quantile
 * for k means and infinite degrees of freedom, divided by `sqrt(2)`;
 * it is computed here (see `distributions.ts`) rather than read from a
 * table, so any k and alpha work. Demšar's Table 5 lists them to 3 decimals
 * and agrees to within 0.001: q_0.05 = 2.569 for k = 4 (computed 2.5690),
 * 2.949 for k = 7 (computed 2.9483, so the table's last digit is one high).
 *
 * The result also lists the groups a CD diagram draws as bars: with the
 * models sorted by average rank, every maximal run of consecutive models
 * whose ranks span less than CD (so no two of them differ significantly).
 * Groups may overlap. A model that differs significantly from every other
 * forms a group of its own, so every model is in at least one group;
 * diagrams usually draw only groups of two or more.
 *
 * @module
 */
import { normalRangeQuantile } from "./distributions.ts";
import type { FriedmanResult } from "./friedman.ts";

/** Options for {@linkcode nemenyiTest}. */
export interface NemenyiOptions {
  /**
   * Significance level (Demšar tabulates 0.05 and 0.10; any value in (0, 1) works).
   * @default 0.05
   */
  alpha?: number;
  /**
   * A tabulated critical value q_alpha to use instead of the computed one,
   * for reproducing published numbers exactly (for example 2.949 for k = 7).
   * @default the studentized range quantile / sqrt(2), computed for k and alpha
   */
  criticalValue?: number;
}

/** One pair of models and whether they differ significantly. */
export interface NemenyiPair {
  /** The better-ranked model of the pair. */
  better: string;
  /** The worse-ranked model. */
  worse: string;
  /** Difference of their average ranks (>= 0). */
  rankDifference: number;
  /** Whether `rankDifference >= criticalDifference`. */
  significant: boolean;
}

/** What {@linkcode nemenyiTest} returns (plain, JSON-serialisable). */
export interface NemenyiResult {
  /** Model names, best average rank first. */
  models: string[];
  /** Their average ranks, in the same order (ascending). */
  averageRanks: number[];
  /** Number of models, k. */
  k: number;
  /** Number of rows (datasets or blocks), N. */
  blocks: number;
  /** The significance level. */
  alpha: number;
  /** q_alpha, the critical value. */
  criticalValue: number;
  /** CD = q_alpha · sqrt(k(k + 1) / (6N)). */
  criticalDifference: number;
  /** Every pair of models, in order of the better model's rank, then the worse one's. */
  pairs: NemenyiPair[];
  /** Maximal groups of models not significantly different, each best first, in rank order. */
  groups: string[][];
}

/**
 * Nemenyi's critical value q_alpha for `k` models: the `1 - alpha` quantile
 * of the range of `k` independent standard normals, divided by `sqrt(2)`.
 *
 * @example
 * ```ts
 * import { nemenyiCriticalValue } from "./nemenyi.ts";
 * nemenyiCriticalValue(4, 0.05); // 2.569
 * ```
 */
export function nemenyiCriticalValue(k: number, alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) {
    throw new RangeError(`nemenyiCriticalValue: alpha must be in (0, 1), got ${alpha}`);
  }
  return normalRangeQuantile(1 - alpha, k) / Math.SQRT2;
}

/** The critical difference `q · sqrt(k(k + 1) / (6N))` for `k` models over `n` rows and critical value `q`. */
export function criticalDifference(k: number, n: number, criticalValue: number): number {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`criticalDifference: k must be >= 2`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`criticalDifference: N must be >= 1`);
  return criticalValue * Math.sqrt((k * (k + 1)) / (6 * n));
}

/**
 * Nemenyi test on average ranks (usually a {@linkcode FriedmanResult}):
 * the critical difference, which pairs differ, and the CD diagram's groups.
 *
 * @example
 * ```ts ignore
 * const friedman = friedmanTest(table);
 * const nemenyi = nemenyiTest(friedman, { alpha: 0.05 });
 * nemenyi.criticalDifference;
 * nemenyi.pairs.filter((p) => p.significant);
 * ```
 */
export function nemenyiTest(
  ranks: Pick<FriedmanResult, "models" | "averageRanks" | "blocks">,
  options: NemenyiOptions = {},
): NemenyiResult {
  const alpha = options.alpha ?? 0.05;
  const k = ranks.models.length;
  if (ranks.averageRanks.length !== k) {
    throw new RangeError(`nemenyiTest: ${ranks.averageRanks.length} ranks for ${k} models`);
  }
  const q = options.criticalValue ?? nemenyiCriticalValue(k, alpha);
  if (!(q > 0)) throw new RangeError(`nemenyiTest: critical value must be positive, got ${q}`);
  const cd = criticalDifference(k, ranks.blocks, q);
  // Best (lowest) average rank first; equal ranks keep the input order.
  const order = ranks.models.map((_, j) => j).sort((a, b) =>
    ranks.averageRanks[a] - ranks.averageRanks[b] || a - b
  );
  const models = order.map((j) => ranks.models[j]);
  const averageRanks = order.map((j) => ranks.averageRanks[j]);
  const pairs: NemenyiPair[] = [];
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const rankDifference = averageRanks[b] - averageRanks[a];
      pairs.push({
        better: models[a],
        worse: models[b],
        rankDifference,
        significant: rankDifference >= cd,
      });
    }
  }
  const groups: string[][] = [];
  let lastEnd = -1;
  for (let start = 0; start < k; start++) {
    let end = start;
    while (end + 1 < k && averageRanks[end + 1] - averageRanks[start] < cd) end++;
    if (end > lastEnd) {
      groups.push(models.slice(start, end + 1));
      lastEnd = end;
    }
  }
  return {
    models,
    averageRanks,
    k,
    blocks: ranks.blocks,
    alpha,
    criticalValue: q,
    criticalDifference: cd,
    pairs,
    groups,
  };
}
