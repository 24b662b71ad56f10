/**
 * Each user's nearest neighbours by cosine similarity of their training
 * rating vectors (unrated items count as 0), the neighbourhood EMF's
 * explainability is built on (Abdollahi & Nasraoui, 2016).
 *
 * @module
 */
import type { SparseRows } from "../common/sparse_rows.ts";

/**
 * The `k` users most similar to each user, most similar first (ties by lower
 * index). Only users with positive similarity (at least one co-rated item)
 * qualify, so a user may get fewer than `k`. Cost: the sum over items of
 * (raters)², through the item-by-user matrix.
 *
 * @param byUser Training ratings, rows = users.
 * @param byItem The same ratings, rows = items.
 * @param k Neighbours per user.
 */
export function userNeighbours(byUser: SparseRows, byItem: SparseRows, k: number): Int32Array[] {
  const nU = byUser.numRows;
  const norms = new Float64Array(nU);
  for (let u = 0; u < nU; u++) {
    let s = 0;
    for (let e = byUser.offsets[u]; e < byUser.offsets[u + 1]; e++) s += byUser.values[e] ** 2;
    norms[u] = Math.sqrt(s);
  }
  const dot = new Float64Array(nU);
  const touched: number[] = [];
  const out: Int32Array[] = [];
  for (let u = 0; u < nU; u++) {
    for (let e = byUser.offsets[u]; e < byUser.offsets[u + 1]; e++) {
      const i = byUser.cols[e];
      const r = byUser.values[e];
      for (let f = byItem.offsets[i]; f < byItem.offsets[i + 1]; f++) {
        const v = byItem.cols[f];
        if (v === u) continue;
        if (dot[v] === 0) touched.push(v);
        dot[v] += r * byItem.values[f];
      }
    }
    const candidates: { v: number; sim: number }[] = [];
    for (const v of touched) {
      if (dot[v] > 0) candidates.push({ v, sim: dot[v] / (norms[u] * norms[v]) });
      dot[v] = 0;
    }
    touched.length = 0;
    candidates.sort((a, b) => b.sim - a.sim || a.v - b.v);
    out.push(Int32Array.from(candidates.slice(0, k), (c) => c.v));
  }
  return out;
}
