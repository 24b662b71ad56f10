/**
 * Seeded random orders of training examples, one per epoch.
 *
 * @module
 */
import type { Rng } from "../../random.ts";

/** A uniformly random permutation of `0 .. n-1` (Fisher–Yates with `rng`). */
export function randomPermutation(n: number, rng: Rng): Int32Array {
  const order = new Int32Array(n);
  for (let j = 0; j < n; j++) order[j] = j;
  for (let j = n - 1; j > 0; j--) {
    const k = rng.int(j + 1);
    const tmp = order[j];
    order[j] = order[k];
    order[k] = tmp;
  }
  return order;
}
