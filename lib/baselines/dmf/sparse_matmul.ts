/**
 * `x · W` for a sparse `x` (a batch of rating-matrix rows) and a dense
 * weight matrix, with its gradient with respect to `W`, computed in plain
 * JavaScript over the stored entries only. DMF's first layer reads rows of
 * a rating matrix with thousands of columns and a few dozen ratings each:
 * a dense product would cost `rows × columns × width`, and `gather` +
 * `unsortedSegmentSum` is slow on the WASM backend; this costs
 * `entries × width` each way.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";

/** A batch of sparse rows: entry `e` is `values[e]` at `(segments[e], cols[e])`. */
export interface SparseInput {
  /** Number of rows (the batch). */
  rows: number;
  /** Column of each stored entry. */
  cols: Int32Array;
  /** Value of each stored entry. */
  values: Float32Array;
  /** Row of each stored entry. */
  segments: Int32Array;
}

/**
 * `x · w`, `[x.rows, w.shape[1]]`, differentiable with respect to `w`
 * (the gradient is `xᵀ · dy`, scattered into the rows of `w` that `x` uses).
 */
export function sparseMatMul(x: SparseInput, w: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const weights = args[0] as tf.Tensor;
    const [inDim, width] = weights.shape as [number, number];
    const wv = weights.dataSync();
    const out = new Float32Array(x.rows * width);
    for (let e = 0; e < x.cols.length; e++) {
      const v = x.values[e];
      const ow = x.cols[e] * width;
      const oo = x.segments[e] * width;
      for (let k = 0; k < width; k++) out[oo + k] += v * wv[ow + k];
    }
    return {
      value: tf.tensor2d(out, [x.rows, width]),
      gradFunc: (dy: tf.Tensor) => {
        const dv = dy.dataSync();
        const grad = new Float32Array(inDim * width);
        for (let e = 0; e < x.cols.length; e++) {
          const v = x.values[e];
          const ow = x.cols[e] * width;
          const oo = x.segments[e] * width;
          for (let k = 0; k < width; k++) grad[ow + k] += v * dv[oo + k];
        }
        return tf.tensor2d(grad, [inDim, width]);
      },
    };
  });
  return op(w) as tf.Tensor2D;
}
