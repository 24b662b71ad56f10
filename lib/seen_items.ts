/**
 * What every recommender must not recommend back: each user's training and
 * validation items.
 *
 * @module
 */
import type { DatasetSplit } from "./data/types.ts";

/** Per user, the sorted items of its training and validation interactions. */
export function seenItemsByUser(split: DatasetSplit): Int32Array[] {
  const sets = Array.from({ length: split.users.size }, () => new Set<number>());
  for (const it of split.train) sets[it.user].add(it.item);
  for (const it of split.validation) sets[it.user].add(it.item);
  return sets.map((s) => Int32Array.from(s).sort());
}

/**
 * The `k` best-scored items of `scores` not in `seen`, best first (ties by
 * lower index, so the order is deterministic).
 */
export function topUnseen(scores: Float32Array, seen: Int32Array, k: number): number[] {
  const skip = new Set(seen);
  const candidates: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!skip.has(i)) candidates.push(i);
  candidates.sort((a, b) => scores[b] - scores[a] || a - b);
  return candidates.slice(0, k);
}
