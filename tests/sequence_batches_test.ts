import { makeSequenceBatch, planTrainingBatches } from "../lib/drex/sequence_batches.ts";
import { Rng } from "../lib/random.ts";
import { assert, assertEquals } from "./support/assert.ts";

const sequences = [
  Int32Array.of(0, 1, 2),
  Int32Array.of(3),
  Int32Array.of(),
  Int32Array.of(4, 5, 6, 7),
  Int32Array.of(8, 9),
];

Deno.test("makeSequenceBatch lays interactions out time-major, longest sequence first", () => {
  const b = makeSequenceBatch([0, 1, 2, 3, 4], sequences);
  assertEquals(Array.from(b.entities), [3, 0, 4, 1]); // the empty sequence is dropped
  assertEquals(Array.from(b.active), [4, 3, 2, 1]);
  assertEquals(Array.from(b.order), [4, 0, 8, 3, 5, 1, 9, 6, 2, 7]);
});

Deno.test("planTrainingBatches is seeded and covers every entity with a sequence once", () => {
  const many = Array.from(
    { length: 50 },
    (_, e) => Int32Array.from({ length: (e * 7) % 11 }, (_, t) => e * 100 + t),
  );
  const plan = (seed: number) =>
    planTrainingBatches(many, 4, 30, new Rng(seed)).map((b) => Array.from(b.entities));
  assertEquals(plan(1), plan(1));
  const entities = plan(1).flat().sort((a, b) => a - b);
  assertEquals(entities, many.map((s, e) => (s.length > 0 ? e : -1)).filter((e) => e >= 0));
  assert(
    JSON.stringify(plan(1)) !== JSON.stringify(plan(2)),
    "different seeds should batch differently",
  );
});
