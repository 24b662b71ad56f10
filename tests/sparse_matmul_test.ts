import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { sparseMatMul } from "../lib/baselines/dmf/sparse_matmul.ts";
import { assertAlmostEquals, assertEquals } from "./support/assert.ts";

// Rows: 0 = {1: 2, 3: -1}, 1 = {}, 2 = {0: 1, 1: 0.5, 1: 1 (repeat adds)}.
const x = {
  rows: 3,
  cols: Int32Array.of(1, 3, 0, 1, 1),
  values: Float32Array.of(2, -1, 1, 0.5, 1),
  segments: Int32Array.of(0, 0, 2, 2, 2),
};
const dense = [[0, 2, 0, -1], [0, 0, 0, 0], [1, 1.5, 0, 0]];
const wValues = [[1, 2], [3, 4], [5, 6], [7, 8]];

function close(a: ArrayLike<number>, b: ArrayLike<number>): void {
  assertEquals(a.length, b.length);
  for (let k = 0; k < a.length; k++) assertAlmostEquals(a[k], b[k], 1e-5);
}

Deno.test("sparseMatMul equals the dense product, and so does its gradient", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const w = tf.tensor2d(wValues);
  const xd = tf.tensor2d(dense);
  const up = tf.tensor2d([[1, -1], [2, 0.5], [0.3, 3]]); // weights of a scalar loss
  close(
    tf.tidy(() => sparseMatMul(x, w).dataSync()),
    tf.tidy(() => tf.matMul(xd, w).dataSync()),
  );
  const loss = (f: (w: tf.Tensor2D) => tf.Tensor2D) => (wt: tf.Tensor) =>
    tf.sum(tf.mul(f(wt as tf.Tensor2D), up));
  close(
    tf.tidy(() => tf.grad(loss((wt) => sparseMatMul(x, wt)))(w).dataSync()),
    tf.tidy(() => tf.grad(loss((wt) => tf.matMul(xd, wt)))(w).dataSync()),
  );
  tf.dispose([w, xd, up]);
  assertEquals(tf.memory().numTensors, before);
});
