import type { IndexedInteraction } from "../lib/data/types.ts";
import { chronologicalSequences, tieBreakKeys } from "../lib/drex/sequences.ts";
import { Rng } from "../lib/random.ts";
import { assertEquals, assertNotEquals, assertThrows } from "./support/assert.ts";

const train: IndexedInteraction[] = [
  { user: 0, item: 1, rating: 5, timestamp: 300 },
  { user: 0, item: 0, rating: 4, timestamp: 100 },
  { user: 1, item: 0, rating: 3, timestamp: 200 },
  { user: 0, item: 2, rating: 1, timestamp: 200 },
  { user: 1, item: 1 },
];

Deno.test("chronologicalSequences orders each entity's rows by timestamp", () => {
  const ties = tieBreakKeys(train.length, new Rng(1));
  const users = chronologicalSequences(train, "user", 2, ties);
  assertEquals(Array.from(users[0]), [1, 3, 0]);
  // a missing timestamp sorts as 0, i.e. first
  assertEquals(Array.from(users[1]), [4, 2]);
  const items = chronologicalSequences(train, "item", 3, ties);
  assertEquals(Array.from(items[0]), [1, 2]);
  assertEquals(Array.from(items[1]), [4, 0]);
  assertEquals(Array.from(items[2]), [3]);
});

Deno.test("chronologicalSequences breaks timestamp ties with the seeded keys", () => {
  const tied: IndexedInteraction[] = Array.from(
    { length: 12 },
    (_, n) => ({ user: 0, item: n, timestamp: 5 }),
  );
  const orderFor = (seed: number) =>
    Array.from(
      chronologicalSequences(tied, "user", 1, tieBreakKeys(tied.length, new Rng(seed)))[0],
    );
  assertEquals(orderFor(3), orderFor(3));
  assertNotEquals(orderFor(3), orderFor(4));
  assertEquals(orderFor(3).slice().sort((a, b) => a - b), Array.from({ length: 12 }, (_, n) => n));
});

Deno.test("chronologicalSequences rejects an index outside the id map", () => {
  assertThrows(
    () => chronologicalSequences([{ user: 2, item: 0 }], "user", 2, new Float64Array(1)),
    RangeError,
    "user index 2",
  );
});
