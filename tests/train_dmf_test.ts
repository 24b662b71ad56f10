import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { MIN_SCORE, normalisedCrossEntropy, rowCosine } from "../lib/baselines/dmf/train_dmf.ts";
import { assertAlmostEquals } from "./support/assert.ts";

Deno.test("rowCosine is the cosine of matching rows", async () => {
  await initBackend();
  const c = tf.tidy(() =>
    rowCosine(tf.tensor2d([[1, 0], [1, 1], [0, 0]]), tf.tensor2d([[2, 0], [1, -1], [1, 1]]))
      .dataSync()
  );
  assertAlmostEquals(c[0], 1, 1e-6);
  assertAlmostEquals(c[1], 0, 1e-6);
  assertAlmostEquals(c[2], 0, 1e-6); // a zero vector scores 0, not NaN
});

Deno.test("normalisedCrossEntropy is the mean binary cross-entropy with soft labels, clipped", async () => {
  await initBackend();
  const v = tf.tidy(() =>
    normalisedCrossEntropy(tf.tensor1d([0.8, 0.2, -0.5]), tf.tensor1d([1, 0.6, 0])).dataSync()[0]
  );
  const expected = -(Math.log(0.8) + (0.6 * Math.log(0.2) + 0.4 * Math.log(0.8)) +
    Math.log(1 - MIN_SCORE)) / 3;
  assertAlmostEquals(v, expected, 1e-5);
});
