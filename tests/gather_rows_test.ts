import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { gatherRows } from "../lib/baselines/review_cnn/gather_rows.ts";
import { assertEquals, assertThrows } from "./support/assert.ts";

await initBackend("wasm");

Deno.test("gatherRows equals tf.gather in values and gradients (repeated indices add up)", () => {
  const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
  const indices = Int32Array.of(2, 0, 2, 1);
  const weights = tf.tensor2d([[1, 10], [100, 1000], [2, 3], [5, 7]]);
  assertEquals(gatherRows(x, indices).arraySync(), tf.gather(x, indices).arraySync());
  const ours = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(gatherRows(t, indices), weights)))(x);
  const theirs = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, indices), weights)))(x);
  assertEquals(ours.arraySync(), theirs.arraySync());
  assertEquals(ours.arraySync(), [[100, 1000], [5, 7], [3, 13]]);
  const flat = tf.tensor1d([7, 8, 9]);
  assertEquals(Array.from(gatherRows(flat, Int32Array.of(1, 1, 2)).dataSync()), [8, 8, 9]);
  tf.dispose([x, weights, ours, theirs, flat]);
});

Deno.test("gatherRows rejects an index out of range", () => {
  const x = tf.zeros([2, 3]);
  assertThrows(() => gatherRows(x, Int32Array.of(2)), RangeError);
  assertThrows(() => gatherRows(x, Int32Array.of(-1)), RangeError);
  x.dispose();
});
