import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { sparseRatingRows } from "../lib/baselines/common/sparse_rows.ts";
import {
  createTower,
  disposeTower,
  sparseInput,
  towerForward,
  towerVariables,
} from "../lib/baselines/dmf/tower.ts";
import { Rng } from "../lib/random.ts";
import { assert, assertAlmostEquals, assertEquals } from "./support/assert.ts";

const pairs = {
  users: Int32Array.of(0, 0, 1, 2),
  items: Int32Array.of(1, 3, 0, 3),
  ratings: Float64Array.of(4, 2, 5, 1),
};

Deno.test("sparseInput flattens the chosen rows, in the order given", () => {
  const m = sparseRatingRows(pairs, 3, 4, "user");
  const x = sparseInput(m, Int32Array.of(2, 0));
  assertEquals(x.rows, 2);
  assertEquals(Array.from(x.cols), [3, 1, 3]);
  assertEquals(Array.from(x.values), [1, 4, 2]);
  assertEquals(Array.from(x.segments), [0, 1, 1]);
});

Deno.test("towerForward is linear then ReLU layers, as in DMF; variables are seeded and freed", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const m = sparseRatingRows(pairs, 3, 4, "user");
  const tower = createTower(4, [5, 3], new Rng(9));
  assertEquals(towerVariables(tower).map((v) => v.shape), [[4, 5], [5, 3], [3]]);
  const again = createTower(4, [5, 3], new Rng(9));
  assertEquals(tower.input.dataSync(), again.input.dataSync());
  disposeTower(again);

  const out = tf.tidy(() =>
    towerForward(tower, sparseInput(m, Int32Array.of(0, 1, 2))).arraySync()
  );
  const w1 = tower.input.arraySync() as number[][];
  const w2 = tower.layers[0].w.arraySync() as number[][];
  const b2 = tower.layers[0].b.arraySync() as number[];
  const dense = [[0, 4, 0, 2], [5, 0, 0, 0], [0, 0, 0, 1]];
  dense.forEach((row, r) => {
    const l1 = [0, 1, 2, 3, 4].map((h) => row.reduce((s, v, c) => s + v * w1[c][h], 0));
    for (let k = 0; k < 3; k++) {
      const z = l1.reduce((s, v, h) => s + v * w2[h][k], b2[k]);
      assertAlmostEquals(out[r][k], Math.max(0, z), 1e-5);
      assert(out[r][k] >= 0);
    }
  });
  disposeTower(tower);
  assertEquals(tf.memory().numTensors, before);
});
