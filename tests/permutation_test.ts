import { randomPermutation } from "../lib/baselines/common/permutation.ts";
import { Rng } from "../lib/random.ts";
import { assertEquals, assertNotEquals } from "./support/assert.ts";

Deno.test("randomPermutation is a permutation, reproducible from the seed", () => {
  const a = randomPermutation(50, new Rng(1));
  assertEquals(Array.from(a).sort((x, y) => x - y), Array.from({ length: 50 }, (_, j) => j));
  assertEquals(randomPermutation(50, new Rng(1)), a);
  assertNotEquals(randomPermutation(50, new Rng(2)), a);
  assertEquals(randomPermutation(0, new Rng(1)).length, 0);
});
