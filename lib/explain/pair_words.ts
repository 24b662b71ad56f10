/**
 * The explanation of one (user, item) pair at size k, built the same way
 * from any word scores, so that explainers differ only in their scores: each
 * side's scores become shares of that side's total (an item's reviews
 * outnumber a user's), the words both sides have come first by combined
 * share, and the words only one side has fill the rest.
 *
 * @module
 */
import type { Rng } from "../random.ts";

function shares(scores: ReadonlyMap<number, number>): Map<number, number> {
  let total = 0;
  for (const s of scores.values()) total += Math.max(0, s);
  const out = new Map<number, number>();
  for (const [id, s] of scores) out.set(id, total > 0 ? Math.max(0, s) / total : 0);
  return out;
}

/** The `k` words (vocabulary ids) explaining the pair, strongest first; fewer when the two know fewer words. */
export function pairWords(
  user: ReadonlyMap<number, number>,
  item: ReadonlyMap<number, number>,
  k: number,
): number[] {
  const u = shares(user);
  const i = shares(item);
  const both: [number, number][] = [];
  const one: [number, number][] = [];
  for (const [id, su] of u) {
    const si = i.get(id);
    (si === undefined ? one : both).push([id, su + (si ?? 0)]);
  }
  for (const [id, si] of i) if (!u.has(id)) one.push([id, si]);
  const order = (a: [number, number], b: [number, number]) => b[1] - a[1] || a[0] - b[0];
  return [...both.sort(order), ...one.sort(order)].slice(0, k).map(([id]) => id);
}

/** `k` words drawn at random from the words the user's or the item's training reviews hold. */
export function randomPairWords(
  user: ReadonlyMap<number, number>,
  item: ReadonlyMap<number, number>,
  k: number,
  rng: Rng,
): number[] {
  const pool = [...new Set([...user.keys(), ...item.keys()])].sort((a, b) => a - b);
  return rng.shuffle(pool).slice(0, k);
}
