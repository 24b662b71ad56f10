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

function shares<K>(scores: ReadonlyMap<K, number>): Map<K, number> {
  let total = 0;
  for (const s of scores.values()) total += Math.max(0, s);
  const out = new Map<K, number>();
  for (const [key, s] of scores) out.set(key, total > 0 ? Math.max(0, s) / total : 0);
  return out;
}

/**
 * The rule itself, over any keys (vocabulary ids, or words): up to `k`
 * `[key, weight]` pairs, the keys both sides hold first by combined share,
 * then keys one side holds by its share; ties in key order.
 */
export function rankPairWords<K extends number | string>(
  user: ReadonlyMap<K, number>,
  item: ReadonlyMap<K, number>,
  k: number,
): [K, number][] {
  const u = shares(user);
  const i = shares(item);
  const both: [K, number][] = [];
  const one: [K, number][] = [];
  for (const [key, su] of u) {
    const si = i.get(key);
    (si === undefined ? one : both).push([key, su + (si ?? 0)]);
  }
  for (const [key, si] of i) if (!u.has(key)) one.push([key, si]);
  const order = (a: [K, number], b: [K, number]) =>
    b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return [...both.sort(order), ...one.sort(order)].slice(0, k);
}

/** The `k` words (vocabulary ids) explaining the pair, strongest first; fewer when the two know fewer words. */
export function pairWords(
  user: ReadonlyMap<number, number>,
  item: ReadonlyMap<number, number>,
  k: number,
): number[] {
  return rankPairWords(user, item, k).map(([id]) => id);
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
