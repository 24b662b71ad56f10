import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { sparseRatingRows } from "../lib/baselines/common/sparse_rows.ts";
import { normalisedEmbeddings, rowDot } from "../lib/baselines/dmf/embeddings.ts";
import { createTower, disposeTower } from "../lib/baselines/dmf/tower.ts";
import { Rng } from "../lib/random.ts";
import { assertAlmostEquals, assertEquals } from "./support/assert.ts";

Deno.test("normalisedEmbeddings gives unit rows (zero rows stay zero) without leaking tensors", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const pairs = {
    users: Int32Array.of(0, 0, 2),
    items: Int32Array.of(0, 2, 1),
    ratings: Float64Array.of(3, 5, 4),
  };
  const m = sparseRatingRows(pairs, 3, 3, "user"); // user 1 has no rating
  const tower = createTower(3, [4], new Rng(2)); // a single linear layer: no ReLU
  const e = normalisedEmbeddings(tower, m);
  assertEquals(e.length, 12);
  assertAlmostEquals(rowDot(e, 0, e, 0, 4), 1, 1e-6);
  assertAlmostEquals(rowDot(e, 2, e, 2, 4), 1, 1e-6);
  assertEquals(Array.from(e.subarray(4, 8)), [0, 0, 0, 0]);
  disposeTower(tower);
  assertEquals(tf.memory().numTensors, before);
});

Deno.test("rowDot multiplies matching rows", () => {
  const x = Float32Array.of(1, 2, 3, 4);
  const y = Float32Array.of(0, 0, 5, -1);
  assertEquals(rowDot(x, 1, y, 1, 2), 11);
  assertEquals(rowDot(x, 0, y, 0, 2), 0);
});
