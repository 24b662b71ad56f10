/**
 * EMF's explainability: item i is explainable to user u when enough of u's
 * nearest neighbours rated it. `E_ui = |N_k(u) ∩ U_i| / k`, kept when above
 * a threshold θ (else 0) (Abdollahi & Nasraoui, 2016).
 *
 * @module
 */
import { findEntry, type SparseRows } from "../common/sparse_rows.ts";
import type { RatedPairs } from "../common/rated_pairs.ts";

/** One neighbour's rating of an item, the evidence behind an explanation. */
export interface NeighbourRating {
  /** The neighbour's user index. */
  user: number;
  /** Its training rating of the item. */
  rating: number;
}

/** The neighbours of a user (from `neighbours`) who rated `item` in training, in neighbour order. */
export function neighboursWhoRated(
  neighbours: Int32Array,
  byUser: SparseRows,
  item: number,
): NeighbourRating[] {
  const out: NeighbourRating[] = [];
  for (const v of neighbours) {
    const e = findEntry(byUser, v, item);
    if (e >= 0) out.push({ user: v, rating: byUser.values[e] });
  }
  return out;
}

/** `E_ui` from a neighbour count: `count / k` when above `threshold`, else 0. */
export function explainabilityScore(count: number, k: number, threshold: number): number {
  const share = count / k;
  return share > threshold ? share : 0;
}

/**
 * `E_ui` for every pair of `pairs` (the training ratings the regulariser
 * runs over), counting for each user how many of its neighbours rated each
 * item.
 */
export function explainabilityOfPairs(
  pairs: RatedPairs,
  neighbours: Int32Array[],
  byUser: SparseRows,
  k: number,
  threshold: number,
): Float64Array {
  const counts = new Int32Array(byUser.numCols);
  const out = new Float64Array(pairs.users.length);
  const byPairUser: number[][] = Array.from({ length: byUser.numRows }, () => []);
  pairs.users.forEach((u, j) => byPairUser[u].push(j));
  byPairUser.forEach((rows, u) => {
    if (rows.length === 0) return;
    for (const v of neighbours[u]) {
      for (let e = byUser.offsets[v]; e < byUser.offsets[v + 1]; e++) counts[byUser.cols[e]]++;
    }
    for (const j of rows) out[j] = explainabilityScore(counts[pairs.items[j]], k, threshold);
    for (const v of neighbours[u]) {
      for (let e = byUser.offsets[v]; e < byUser.offsets[v + 1]; e++) counts[byUser.cols[e]] = 0;
    }
  });
  return out;
}
