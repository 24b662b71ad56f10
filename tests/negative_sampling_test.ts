import { sampleNegatives } from "../lib/baselines/dmf/negative_sampling.ts";
import { Rng } from "../lib/random.ts";
import { assert, assertEquals, assertNotEquals } from "./support/assert.ts";

const excluded = [Int32Array.of(0, 1), Int32Array.of(2), Int32Array.of(0, 1, 2, 3, 4)];

Deno.test("sampleNegatives draws ratio items per pair, never an excluded one", () => {
  const users = Int32Array.of(0, 0, 1, 1, 1);
  const s = sampleNegatives(users, excluded, 5, 3, new Rng(1));
  assertEquals(s.users.length, 15);
  assertEquals(Array.from(s.users), [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  s.items.forEach((item, j) => {
    assert(item >= 0 && item < 5);
    assert(!excluded[s.users[j]].includes(item), `user ${s.users[j]} got excluded item ${item}`);
  });
});

Deno.test("sampleNegatives skips a user who has every item, and is reproducible", () => {
  const users = Int32Array.of(2, 0, 2);
  const s = sampleNegatives(users, excluded, 5, 2, new Rng(3));
  assertEquals(Array.from(s.users), [0, 0]);
  assertEquals(sampleNegatives(users, excluded, 5, 2, new Rng(3)), s);
  const many = Int32Array.from({ length: 50 }, () => 0);
  assertNotEquals(
    sampleNegatives(many, excluded, 5, 1, new Rng(3)).items,
    sampleNegatives(many, excluded, 5, 1, new Rng(4)).items,
  );
  assertEquals(sampleNegatives(users, excluded, 5, 0, new Rng(3)).users.length, 0);
});
