/**
 * The predictor and the mean squared error of a training mini-batch as one
 * differentiable TF.js operation, computed on the dense-products kernel and
 * in float32 arithmetic in exactly TF.js's order, so its value and gradients
 * equal those of {@linkcode predictRatings} followed by the error's TF.js
 * operations, bit for bit (tested). TF.js spent about a hundred kernel calls
 * of every mini-batch on them, each with a tape entry and saved copies.
 *
 * Covers the predictor with and without fixed per-entity biases; trained
 * biases and the long-term term take TF.js's operations instead.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import { columnSums, type DenseProducts, type Matrix } from "../kernels/dense_products.ts";
import type { DrexParams } from "./drex_params.ts";
import type { Side } from "./sequences.ts";

const f = Math.fround;

/** What the loss of a mini-batch needs besides the states. */
export interface PredictionLossInputs {
  /** The side being trained: its states are the predictor's user (or item) input. */
  side: Side;
  /** `b_u + b_i` of each row in float32, or null for a model without biases. */
  rowBias: Float32Array | null;
  /** Target rating of each row. */
  targets: Float32Array;
  /** Loss weight of each row (1 rated, 0 not). */
  weights: Float32Array;
  /** The error's divisor: rated rows in the batch (at least 1). */
  denom: number;
}

/** What the forward pass leaves for the backward pass. */
interface ForwardRecord {
  own: Matrix;
  seen: Matrix;
  hidden: Matrix;
  /** Pre-activations of the hidden layer (for relu's gradient). */
  pre: Float32Array;
  /** Weighted errors. */
  err: Float32Array;
}

/**
 * The mean squared error of a mini-batch, differentiable with respect to the
 * trained side's states `own` (`[M, d]`) and the predictor's weights;
 * `seen` (the other side's states) is a constant. See the module doc.
 */
export function predictionLoss(
  kernel: DenseProducts,
  params: DrexParams["predictor"],
  own: tf.Tensor2D,
  seen: tf.Tensor2D,
  inputs: PredictionLossInputs,
): tf.Scalar {
  const [M, d] = own.shape;
  const seenValues = seen.dataSync() as Float32Array;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [ownT, w1u, w1i, b1, w2, b2] = args as tf.Tensor[];
    const H = w1u.shape[1]!;
    const w1uV = w1u.dataSync() as Float32Array;
    const w1iV = w1i.dataSync() as Float32Array;
    const w2V = w2.dataSync() as Float32Array;
    const b1V = b1.dataSync() as Float32Array;
    const b2V = f((b2.dataSync() as Float32Array)[0]);
    kernel.reset();
    const layout = kernel.layout;
    const rec: ForwardRecord = {
      own: kernel.put(ownT.dataSync() as Float32Array, M, d),
      seen: kernel.put(seenValues, M, d),
      hidden: kernel.matrix(M, H),
      pre: new Float32Array(M * H),
      err: new Float32Array(M),
    };
    const W1u = kernel.put(w1uV, d, H);
    const W1i = kernel.put(w1iV, d, H);
    const W2 = kernel.put(w2V, H, 1);
    const [hu, hi] = inputs.side === "user" ? [rec.own, rec.seen] : [rec.seen, rec.own];
    const a = kernel.view(kernel.matMul(hu, W1u));
    const b = kernel.view(kernel.matMul(hi, W1i));
    const hidden = kernel.view(rec.hidden);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < H; j++) {
        const at = i * H + j;
        const s = f(f(a[at] + b[at]) + b1V[j]);
        rec.pre[at] = s;
        hidden[at] = s < 0 ? 0 : s;
      }
    }
    const out = kernel.view(kernel.matMul(rec.hidden, W2));
    const { rowBias, targets, weights, denom } = inputs;
    let sum = 0;
    for (let i = 0; i < M; i++) {
      let p = f(out[i] + b2V);
      if (rowBias) p = f(p + rowBias[i]);
      const e = f(f(p - targets[i]) * weights[i]);
      rec.err[i] = e;
      sum = f(sum + f(e * e));
    }
    const value = tf.scalar(f(sum / denom));
    const gradFunc = (dy: tf.Tensor) => {
      if (kernel.layout !== layout) {
        throw new Error(
          "DReX: the kernel ran another forward pass before this one's backward pass",
        );
      }
      const g = f((dy.dataSync() as Float32Array)[0] / denom);
      // d(loss)/d(output) per row: square's, then the weight's, gradient.
      const dOut = new Float32Array(M);
      for (let i = 0; i < M; i++) dOut[i] = f(f(g * f(rec.err[i] * 2)) * weights[i]);
      const dO = kernel.put(dOut, M, 1);
      const dHidden = kernel.view(kernel.matMul(dO, W2, false, true));
      const dPre = new Float32Array(M * H);
      for (let at = 0; at < M * H; at++) dPre[at] = f(dHidden[at] * (rec.pre[at] > 0 ? 1 : 0));
      const dw2 = kernel.read(kernel.matMul(rec.hidden, dO, true, false));
      const dS = kernel.put(dPre, M, H);
      const dw1u = kernel.read(kernel.matMul(hu, dS, true, false));
      const dw1i = kernel.read(kernel.matMul(hi, dS, true, false));
      const dOwn = kernel.read(kernel.matMul(dS, inputs.side === "user" ? W1u : W1i, false, true));
      return [
        tf.tensor2d(dOwn, [M, d]),
        tf.tensor2d(dw1u, [d, H]),
        tf.tensor2d(dw1i, [d, H]),
        tf.tensor1d(columnSums(dPre, M, H)),
        tf.tensor2d(dw2, [H, 1]),
        tf.tensor1d(columnSums(dOut, M, 1)),
      ];
    };
    return { value, gradFunc };
  });
  return op(own, params.w1u, params.w1i, params.b1, params.w2, params.b2) as tf.Scalar;
}
