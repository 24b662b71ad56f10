/**
 * Chronological training sequences per user and per item: the order in which
 * DReX's GRUs absorb interactions, which is what the no-leakage rule is about.
 *
 * @module
 */
import type { IndexedInteraction } from "../data/types.ts";
import type { Rng } from "../random.ts";

/** Which GRU a sequence feeds. */
export type Side = "user" | "item";

/**
 * Seeded tie-break keys, one per training interaction, shared by both sides:
 * interactions with equal timestamps are ordered by these keys.
 */
export function tieBreakKeys(count: number, rng: Rng): Float64Array {
  const keys = new Float64Array(count);
  for (let n = 0; n < count; n++) keys[n] = rng.next();
  return keys;
}

/**
 * For every user (or item), the indices of its training interactions in
 * timestamp order, ties broken by `tieKeys`. A missing timestamp sorts as 0
 * (before every dated interaction). The state before the `t`-th entry is the
 * GRU state after entries `0 .. t-1`: it has never absorbed the interaction
 * it is used to predict.
 */
export function chronologicalSequences(
  train: readonly IndexedInteraction[],
  side: Side,
  numEntities: number,
  tieKeys: Float64Array,
): Int32Array[] {
  const lists: number[][] = Array.from({ length: numEntities }, () => []);
  for (let n = 0; n < train.length; n++) {
    const e = side === "user" ? train[n].user : train[n].item;
    if (!(e >= 0 && e < numEntities)) {
      throw new RangeError(
        `training interaction ${n}: ${side} index ${e} outside [0, ${numEntities})`,
      );
    }
    lists[e].push(n);
  }
  const time = (n: number) => train[n].timestamp ?? 0;
  return lists.map((list) => {
    list.sort((a, b) => time(a) - time(b) || tieKeys[a] - tieKeys[b]);
    return Int32Array.from(list);
  });
}
