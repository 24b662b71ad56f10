import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { createDrexParams } from "../lib/drex/drex_params.ts";
import { gruStep, projectInputs, runSequences } from "../lib/drex/gru.ts";
import { makeSequenceBatch } from "../lib/drex/sequence_batches.ts";
import { Rng } from "../lib/random.ts";
import { assertAlmostEquals, assertEquals } from "./support/assert.ts";

await initBackend("wasm");

Deno.test("runSequences equals a plain per-sequence GRU loop, before and after every step", () => {
  const d = 6;
  const rng = new Rng(5);
  const params = createDrexParams(
    {
      featureDim: 4,
      latentDim: d,
      ratingLevels: 5,
      numUsers: 3,
      numItems: 3,
      representation: "table",
      mlpHidden: 4,
      initScale: 0.5,
    },
    3,
    rng,
  );
  const cell = params.userGru;
  const sequences = [Int32Array.of(0, 1), Int32Array.of(2, 3, 4, 5), Int32Array.of(6)];
  const X = tf.tensor2d(Array.from({ length: 7 * d }, () => rng.normal()), [7, d]);
  const H0 = tf.tensor2d(Array.from({ length: 3 * d }, () => rng.normal()), [3, d]);
  const batch = makeSequenceBatch([0, 1, 2], sequences);

  const order = tf.tensor1d(batch.order, "int32");
  const xs = tf.gather(X, order) as tf.Tensor2D;
  const h0 = tf.gather(H0, tf.tensor1d(batch.entities, "int32")) as tf.Tensor2D;
  const { before, final } = runSequences(cell, projectInputs(cell, xs), h0, batch.active);
  const beforeRows = before.arraySync();
  const finalRows = final.arraySync();

  sequences.forEach((seq, e) => {
    let h = tf.slice(H0, [e, 0], [1, d]) as tf.Tensor2D;
    for (const n of seq) {
      const pos = Array.from(batch.order).indexOf(n);
      h.dataSync().forEach((v, j) => assertAlmostEquals(beforeRows[pos][j], v, 1e-5));
      const p = projectInputs(cell, tf.slice(X, [n, 0], [1, d]) as tf.Tensor2D);
      h = gruStep(cell, p.zr, p.h, h);
    }
    const row = Array.from(batch.entities).indexOf(e);
    h.dataSync().forEach((v, j) => assertAlmostEquals(finalRows[row][j], v, 1e-5));
  });
  assertEquals(before.shape, [7, d]);
});
