/**
 * Sampling unobserved user–item pairs, DMF's negative examples: for each
 * observed pair, items the user has no interaction with, drawn uniformly.
 *
 * @module
 */
import type { Rng } from "../../random.ts";

/** Draws on one user before giving up (a user who rated nearly every item). */
const MAX_TRIES = 64;

/**
 * For each of `users` (one entry per observed pair), `ratio` items drawn
 * uniformly among the items not in that user's `excluded` list (sorted
 * ascending). Returns parallel `users`/`items` arrays; a user for whom no
 * such item turns up within a bounded number of draws gets fewer.
 */
export function sampleNegatives(
  users: Int32Array,
  excluded: readonly Int32Array[],
  numItems: number,
  ratio: number,
  rng: Rng,
): { users: Int32Array; items: Int32Array } {
  const outUsers = new Int32Array(users.length * ratio);
  const outItems = new Int32Array(users.length * ratio);
  const sets = new Map<number, Set<number>>();
  let n = 0;
  for (const u of users) {
    const skip = excluded[u];
    if (skip.length >= numItems) continue;
    let set = sets.get(u);
    if (set === undefined) sets.set(u, set = new Set(skip));
    for (let r = 0; r < ratio; r++) {
      for (let tries = 0; tries < MAX_TRIES; tries++) {
        const item = rng.int(numItems);
        if (set.has(item)) continue;
        outUsers[n] = u;
        outItems[n++] = item;
        break;
      }
    }
  }
  return { users: outUsers.slice(0, n), items: outItems.slice(0, n) };
}
