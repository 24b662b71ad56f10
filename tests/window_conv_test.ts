import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { shiftedWeights, windowConv } from "../lib/baselines/review_cnn/window_conv.ts";
import { Rng } from "../lib/random.ts";
import { assertAlmostEquals, assertEquals, assertThrows } from "./support/assert.ts";

await initBackend("wasm");

function randomArray(n: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
}

Deno.test("windowConv equals a convolution computed by direct loops and by tf.conv1d", () => {
  const rng = new Rng(3);
  const [B, L, D, F, w] = [2, 7, 4, 5, 3];
  const xs = randomArray(B * L * D, rng);
  const ws = randomArray(w * D * F, rng);
  const x = tf.tensor3d(xs, [B, L, D]);
  const weight = tf.tensor2d(ws, [w * D, F]);
  const got = windowConv(x, weight, w);
  assertEquals(got.shape, [B, L - w + 1, F]);
  const values = got.dataSync();
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < L - w + 1; t++) {
      for (let f = 0; f < F; f++) {
        let sum = 0;
        for (let s = 0; s < w; s++) {
          for (let d = 0; d < D; d++) sum += xs[(b * L + t + s) * D + d] * ws[(s * D + d) * F + f];
        }
        assertAlmostEquals(values[(b * (L - w + 1) + t) * F + f], sum, 1e-5);
      }
    }
  }
  // tf.conv1d's filter is [w, D, F]: the same numbers as our [w·D, F] layout.
  const conv = tf.conv1d(x, tf.reshape(weight, [w, D, F]) as tf.Tensor3D, 1, "valid");
  const reference = conv.dataSync();
  values.forEach((v, j) => assertAlmostEquals(v, reference[j], 1e-5));
  tf.dispose([x, weight, got, conv]);
});

Deno.test("windowConv trains: its weight gradient equals the direct sum of window inputs", () => {
  const rng = new Rng(4);
  const [B, L, D, F, w] = [1, 5, 2, 3, 2];
  const xs = randomArray(B * L * D, rng);
  const x = tf.tensor3d(xs, [B, L, D]);
  const weight = tf.tensor2d(randomArray(w * D * F, rng), [w * D, F]);
  const grad = tf.grad((wt: tf.Tensor) => tf.sum(windowConv(x, wt as tf.Tensor2D, w)))(weight);
  const g = grad.dataSync();
  for (let s = 0; s < w; s++) {
    for (let d = 0; d < D; d++) {
      let sum = 0;
      for (let t = 0; t < L - w + 1; t++) sum += xs[(t + s) * D + d];
      for (let f = 0; f < F; f++) assertAlmostEquals(g[(s * D + d) * F + f], sum, 1e-5);
    }
  }
  tf.dispose([x, weight, grad]);
});

Deno.test("shiftedWeights puts filter f's weights for window word s in column s·F + f", () => {
  const [w, D, F] = [3, 2, 4];
  const weight = tf.tensor2d(Float32Array.from({ length: w * D * F }, (_, j) => j), [w * D, F]);
  const shifted = shiftedWeights(weight, w);
  assertEquals(shifted.shape, [D, w * F]);
  const a = shifted.arraySync();
  const ws = weight.arraySync();
  for (let s = 0; s < w; s++) {
    for (let d = 0; d < D; d++) {
      for (let f = 0; f < F; f++) assertEquals(a[d][s * F + f], ws[s * D + d][f]);
    }
  }
  tf.dispose([weight, shifted]);
});

Deno.test("windowConv rejects a window longer than the sequence", () => {
  const x = tf.zeros([1, 2, 3]) as tf.Tensor3D;
  const weight = tf.zeros([9, 1]) as tf.Tensor2D;
  assertThrows(() => windowConv(x, weight, 3), RangeError);
  tf.dispose([x, weight]);
});
