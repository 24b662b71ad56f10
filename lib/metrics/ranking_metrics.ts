/**
 * Per-list ranking metrics: DCG and NDCG@k with given gains, and
 * Precision, Recall, F1 and hit@k from relevance flags (spec section 4, the
 * paper's eqs. 10–12). Each function scores one user's ranked list; the
 * protocols in `evaluate.ts` decide what the list holds and average over
 * users.
 *
 * Conventions, shared by every function here:
 * - Lists are given best first: `rankedGains[0]` is the gain of the
 *   top-ranked item.
 * - Position `i` (0-based) is discounted by `log2(i + 2)`, so the top item
 *   counts fully, the second by `1 / log2(3)`, and so on
 *   (`DCG@k = sum_{i < k} gain_i / log2(i + 2)`, the paper's eq. 12 written
 *   0-based).
 * - A list shorter than `k` is scored on all its items; nothing is padded.
 * - `k` must be a positive integer.
 *
 * @module
 */

function checkK(k: number, name: string): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`${name}: k must be a positive integer, got ${k}`);
  }
}

/**
 * Discounted cumulative gain of the first `k` entries of `rankedGains`:
 * `sum_{i < min(k, n)} rankedGains[i] / log2(i + 2)`.
 *
 * @example
 * ```ts
 * import { dcgAtK } from "./ranking_metrics.ts";
 * dcgAtK([3, 2], 2); // 3 + 2 / log2(3)
 * ```
 */
export function dcgAtK(rankedGains: ArrayLike<number>, k: number): number {
  checkK(k, "dcgAtK");
  const n = Math.min(k, rankedGains.length);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += rankedGains[i] / Math.log2(i + 2);
  return sum;
}

/**
 * The best DCG@k any order of `gains` can reach: the DCG of the gains sorted
 * from largest to smallest. `gains` may be in any order; it is not changed.
 */
export function idealDcgAtK(gains: ArrayLike<number>, k: number): number {
  checkK(k, "idealDcgAtK");
  const sorted = Float64Array.from(gains).sort().reverse();
  return dcgAtK(sorted, k);
}

/** Options for {@linkcode ndcgAtK}. */
export interface NdcgOptions {
  /**
   * The gains of every item the ideal ranking may choose from, in any order.
   * Pass it when the ranked list is a truncated top-k of a longer candidate
   * list, or when relevant items may sit outside the list (the "full"
   * protocol passes one gain of 1 per relevant item).
   * @default rankedGains (the ideal is the same items, best order)
   */
  idealGains?: ArrayLike<number>;
}

/**
 * Normalised DCG@k: `DCG@k(rankedGains) / IDCG@k`, in [0, 1] for
 * non-negative gains, 1 when the list is in an ideal order.
 *
 * Returns `NaN` when the ideal DCG is 0 (every gain 0): no order is better
 * than another, so the list says nothing about ranking quality; callers
 * skip such lists rather than count them as 0 or 1.
 *
 * @example
 * ```ts
 * import { ndcgAtK } from "./ranking_metrics.ts";
 * ndcgAtK([5, 3, 4], 3); // < 1: the 3 is ranked above the 4
 * ndcgAtK([1, 0], 2, { idealGains: [1, 1] }); // one of two relevant items found
 * ```
 */
export function ndcgAtK(
  rankedGains: ArrayLike<number>,
  k: number,
  options: NdcgOptions = {},
): number {
  checkK(k, "ndcgAtK");
  const ideal = idealDcgAtK(options.idealGains ?? rankedGains, k);
  if (ideal === 0) return NaN;
  return dcgAtK(rankedGains, k) / ideal;
}

/** Number of relevant entries among the first `k` of `rankedRelevant`. */
export function hitsAtK(rankedRelevant: ArrayLike<boolean>, k: number): number {
  checkK(k, "hitsAtK");
  const n = Math.min(k, rankedRelevant.length);
  let hits = 0;
  for (let i = 0; i < n; i++) if (rankedRelevant[i]) hits++;
  return hits;
}

/**
 * What precision@k divides the hits by:
 * - `"k"`: always `k`, the number of slots in a top-k recommendation list
 *   (a list shorter than `k` is charged for its empty slots);
 * - `"listLength"`: `min(k, list length)`, the number of items actually
 *   ranked in the top k (used when the list is all there is to rank, as in
 *   the "test-items" protocol, where a user with 3 test items cannot fill 5
 *   slots).
 */
export type PrecisionDenominator = "k" | "listLength";

/** Options for {@linkcode precisionAtK}. */
export interface PrecisionOptions {
  /**
   * What the hits are divided by; see {@linkcode PrecisionDenominator}.
   * @default "k"
   */
  denominator?: PrecisionDenominator;
}

/**
 * Precision@k: the share of the top-k entries that are relevant. `NaN` for
 * an empty list with `denominator: "listLength"` (nothing was ranked).
 *
 * @example
 * ```ts
 * import { precisionAtK } from "./ranking_metrics.ts";
 * precisionAtK([true, false, true], 5); // 2 / 5
 * precisionAtK([true, false, true], 5, { denominator: "listLength" }); // 2 / 3
 * ```
 */
export function precisionAtK(
  rankedRelevant: ArrayLike<boolean>,
  k: number,
  options: PrecisionOptions = {},
): number {
  checkK(k, "precisionAtK");
  const denominator = options.denominator ?? "k";
  const slots = denominator === "k" ? k : Math.min(k, rankedRelevant.length);
  if (slots === 0) return NaN;
  return hitsAtK(rankedRelevant, k) / slots;
}

/**
 * Recall@k: the share of all `totalRelevant` relevant items that appear in
 * the top k. `totalRelevant` is passed separately because the list may be a
 * truncated top-k of a longer ranking. `NaN` when `totalRelevant` is 0.
 *
 * @example
 * ```ts
 * import { recallAtK } from "./ranking_metrics.ts";
 * recallAtK([true, false, true], 2, 4); // 1 / 4
 * ```
 */
export function recallAtK(
  rankedRelevant: ArrayLike<boolean>,
  k: number,
  totalRelevant: number,
): number {
  checkK(k, "recallAtK");
  if (!Number.isInteger(totalRelevant) || totalRelevant < 0) {
    throw new RangeError(`recallAtK: totalRelevant must be a non-negative integer`);
  }
  const hits = hitsAtK(rankedRelevant, k);
  if (hits > totalRelevant) {
    throw new RangeError(`recallAtK: ${hits} hits but only ${totalRelevant} relevant items`);
  }
  if (totalRelevant === 0) return NaN;
  return hits / totalRelevant;
}

/**
 * F1, the harmonic mean `2PR / (P + R)` of one list's precision and recall;
 * 0 when both are 0 (no hit), rather than the undefined 0/0.
 */
export function f1Score(precision: number, recall: number): number {
  const sum = precision + recall;
  return sum === 0 ? 0 : (2 * precision * recall) / sum;
}

/** Hit@k: 1 when at least one of the top-k entries is relevant, else 0. */
export function hitAtK(rankedRelevant: ArrayLike<boolean>, k: number): number {
  return hitsAtK(rankedRelevant, k) > 0 ? 1 : 0;
}
