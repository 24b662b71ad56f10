/**
 * The text CNN's convolution written as window products (im2col), which
 * trains on the WASM backend: it has no `Conv2DBackpropFilter` kernel, so
 * `tf.conv1d` cannot be differentiated there, but slices, a concat and a
 * matrix product can.
 *
 * Weight layout: `weight` is `[w·D, F]`; row `s·D + d` multiplies feature `d`
 * of the `s`-th word of a window. This is the layout the review CNNs of
 * DeepCoNN and NARRE store (see `pooled_review_cnn.ts`, which computes the
 * same convolution faster for max-over-time pooling).
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";

/**
 * Valid 1-D convolution of `x` (`[B, L, D]`) with window `window`: the `w`
 * shifted slices `x[:, s : s + L - w + 1, :]` are concatenated into
 * `[B, L - w + 1, w·D]` and multiplied by `weight` (`[w·D, F]`), giving
 * `[B, L - w + 1, F]` (no bias). Throws a `RangeError` when `L < w` or the
 * weight does not have `w·D` rows.
 */
export function windowConv(x: tf.Tensor3D, weight: tf.Tensor2D, window: number): tf.Tensor3D {
  const [B, L, D] = x.shape;
  const n = L - window + 1;
  if (!Number.isInteger(window) || window < 1 || n < 1) {
    throw new RangeError(`windowConv: window ${window} does not fit a sequence of ${L}`);
  }
  if (weight.shape[0] !== window * D) {
    throw new RangeError(`windowConv: weight has ${weight.shape[0]} rows, expected ${window * D}`);
  }
  const F = weight.shape[1];
  return tf.tidy(() => {
    const slices: tf.Tensor3D[] = [];
    for (let s = 0; s < window; s++) slices.push(tf.slice(x, [0, s, 0], [B, n, D]));
    const windows = slices.length === 1 ? slices[0] : tf.concat(slices, 2);
    const flat = tf.reshape(windows, [B * n, window * D]);
    return tf.reshape(tf.matMul(flat, weight), [B, n, F]) as tf.Tensor3D;
  });
}

/**
 * The same weight as a `[D, w·F]` matrix whose column `s·F + f` is filter
 * `f`'s weights for the `s`-th word of a window: multiplying token features
 * by it gives, for every token, its contribution at every window offset.
 */
export function shiftedWeights(weight: tf.Tensor2D, window: number): tf.Tensor2D {
  const [rows, F] = weight.shape;
  const D = rows / window;
  if (!Number.isInteger(D)) {
    throw new RangeError(`shiftedWeights: ${rows} rows do not split into ${window} windows`);
  }
  return tf.tidy(() =>
    tf.reshape(tf.transpose(tf.reshape(weight, [window, D, F]), [1, 0, 2]), [D, window * F])
  );
}
