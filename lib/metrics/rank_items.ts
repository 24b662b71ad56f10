/**
 * Orders candidates by score, best first, breaking ties by a seeded random
 * shuffle.
 *
 * Why the shuffle: a model that gives many items the same score (a constant
 * baseline, or a saturated output) would otherwise be ranked by whatever
 * order the candidates arrive in, usually item index. Item indices often
 * carry information (for example, ids sorted by popularity or by first
 * appearance), so index order can make a constant model look better or
 * worse than chance. Shuffling the candidates first and then selecting
 * stably by score puts tied items in a uniformly random order, so a
 * constant model gets chance-level metrics. The shuffle draws from the
 * caller's {@linkcode Rng}, so results are reproducible.
 *
 * `NaN` scores rank below every number (a model that fails for an item must
 * not have that item recommended).
 *
 * @module
 */
import type { Rng } from "../random.ts";

/** Options for {@linkcode rankItems}. */
export interface RankItemsOptions {
  /**
   * How many of the best candidates to return. Selecting the top `k` of `n`
   * costs `O(n·k)` instead of a full sort, which matters when every item is
   * a candidate.
   * @default all candidates
   */
  k?: number;
  /**
   * The candidates, as indices into `scores` (for instance the items a user
   * has not interacted with). Repeats are not removed.
   * @default every index of `scores`: 0, 1, ..., scores.length - 1
   */
  candidates?: ArrayLike<number>;
}

/** Score used for ordering: `NaN` becomes `-Infinity`. */
function orderScore(score: number): number {
  return Number.isNaN(score) ? -Infinity : score;
}

/**
 * The candidates (indices into `scores`) in decreasing order of score,
 * ties in a random order drawn from `rng`; at most `options.k` of them.
 *
 * @example
 * ```ts
 * import { Rng } from "../random.ts";
 * import { rankItems } from "./rank_items.ts";
 * const scores = Float32Array.of(0.1, 0.9, 0.5, 0.9);
 * rankItems(scores, new Rng(1)); // [1, 3, 2, 0] or [3, 1, 2, 0]
 * rankItems(scores, new Rng(1), { k: 2, candidates: [0, 2] }); // [2, 0]
 * ```
 */
export function rankItems(
  scores: ArrayLike<number>,
  rng: Rng,
  options: RankItemsOptions = {},
): Int32Array {
  const given = options.candidates;
  if (given !== undefined) {
    for (let j = 0; j < given.length; j++) {
      const c = given[j];
      if (!Number.isInteger(c) || c < 0 || c >= scores.length) {
        throw new RangeError(`rankItems: candidate ${c} is outside [0, ${scores.length})`);
      }
    }
  }
  const order = given === undefined
    ? Int32Array.from({ length: scores.length }, (_, j) => j)
    : Int32Array.from(given);
  const k = options.k ?? order.length;
  if (!Number.isInteger(k) || k < 0) {
    throw new RangeError(`rankItems: k must be a non-negative integer, got ${k}`);
  }
  // Fisher–Yates shuffle: tied candidates end up in a uniformly random order.
  for (let j = order.length - 1; j > 0; j--) {
    const r = rng.int(j + 1);
    const t = order[j];
    order[j] = order[r];
    order[r] = t;
  }
  const n = order.length;
  if (k >= n / 4) {
    // A stable sort keeps the shuffled order among equal scores.
    const sorted = Array.from(order).sort((a, b) => {
      const sa = orderScore(scores[a]);
      const sb = orderScore(scores[b]);
      return sa === sb ? 0 : sb > sa ? 1 : -1;
    });
    return Int32Array.from(sorted.slice(0, k));
  }
  // Top-k selection by insertion into a sorted buffer. A later candidate
  // enters only when strictly better, so ties keep the shuffled order.
  const top = new Int32Array(k);
  const topScore = new Float64Array(k);
  let size = 0;
  for (let j = 0; j < n; j++) {
    const c = order[j];
    const s = orderScore(scores[c]);
    if (size === k && !(s > topScore[k - 1])) continue;
    let pos = size < k ? size : k - 1;
    while (pos > 0 && s > topScore[pos - 1]) {
      top[pos] = top[pos - 1];
      topScore[pos] = topScore[pos - 1];
      pos--;
    }
    top[pos] = c;
    topScore[pos] = s;
    if (size < k) size++;
  }
  return top.slice(0, size);
}
