/**
 * A training mini-batch's interaction features and its GRU's input
 * projections as one differentiable TF.js operation on the dense-products
 * kernel, in float32 arithmetic in exactly TF.js's order: the same values and
 * gradients as {@linkcode encodeInteractions} followed by
 * {@linkcode projectInputs}, bit for bit (tested), without the few dozen
 * TF.js kernel calls (and saved copies) those cost per mini-batch.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import type { AttentionPooler } from "../kernels/attention_pool.ts";
import { columnSums, type DenseProducts } from "../kernels/dense_products.ts";
import { attentionPoolProjected } from "./attention_pool_op.ts";
import type { DrexParams, GruCell } from "./drex_params.ts";
import type { InteractionInputs } from "./interaction_encoder.ts";

const f = Math.fround;

/** 1 for a present input (index ≥ 0), 0 for a missing one. */
function presence(flags: Int32Array): Float32Array {
  return Float32Array.from(flags, (v) => (v >= 0 ? 1 : 0));
}

/**
 * `[x W_zr + b_zr , x W_h + b_h]` (`[M, 3d]`) of a batch's interactions,
 * where `x = W_f [t ; r] + b_f` is the interaction feature of
 * `encodeInteractions` (the review's attention pooling runs on the pooler's
 * kernel first). Differentiable with respect to every parameter involved.
 */
export function encodeAndProject(
  kernel: DenseProducts,
  params: DrexParams,
  cell: GruCell,
  pooler: AttentionPooler,
  inputs: InteractionInputs,
): tf.Tensor2D {
  const { wt, bt, watt } = params.review;
  const v = tf.matMul(wt, watt);
  const { projected } = attentionPoolProjected(pooler, inputs.reviews, v, wt);
  const M = inputs.reviews.length;
  const reviewMask = presence(inputs.reviews);
  const ratingMask = presence(inputs.levels);
  const levels = inputs.levels.map((l) => Math.max(l, 0));
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const tensors = args.slice(0, 11) as tf.Tensor[];
    const [P, btV, wrV, brV, wftV, wfrV, bfV, wxzrV, bzrV, wxhV, bhV] = tensors.map((t) =>
      t.dataSync() as Float32Array
    );
    const d = btV.length;
    const g = bzrV.length; // 2d
    const width = g + bhV.length;
    kernel.reset();
    const layout = kernel.layout;
    // t and r, the fusion's inputs.
    const T = kernel.matrix(M, d);
    const R = kernel.matrix(M, d);
    const t = kernel.view(T);
    const r = kernel.view(R);
    for (let i = 0; i < M; i++) {
      const row = i * d;
      const lev = levels[i] * d;
      for (let j = 0; j < d; j++) {
        t[row + j] = f(f(P[row + j] + btV[j]) * reviewMask[i]);
        r[row + j] = f(f(wrV[lev + j] + brV[j]) * ratingMask[i]);
      }
    }
    const Wft = kernel.put(wftV, d, d);
    const Wfr = kernel.put(wfrV, d, d);
    const Wxzr = kernel.put(wxzrV, d, g);
    const Wxh = kernel.put(wxhV, d, width - g);
    const tw = kernel.view(kernel.matMul(T, Wft));
    const rw = kernel.view(kernel.matMul(R, Wfr));
    const X = kernel.matrix(M, d);
    const x = kernel.view(X);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < d; j++) {
        const at = i * d + j;
        x[at] = f(f(tw[at] + rw[at]) + bfV[j]);
      }
    }
    const zr = kernel.view(kernel.matMul(X, Wxzr));
    const h = kernel.view(kernel.matMul(X, Wxh));
    const out = new Float32Array(M * width);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < g; j++) out[i * width + j] = f(zr[i * g + j] + bzrV[j]);
      for (let j = 0; j < width - g; j++) {
        out[i * width + g + j] = f(h[i * (width - g) + j] + bhV[j]);
      }
    }
    const gradFunc = (dy: tf.Tensor) => {
      if (kernel.layout !== layout) {
        throw new Error(
          "DReX: the kernel ran another forward pass before this one's backward pass",
        );
      }
      const dOut = dy.dataSync() as Float32Array;
      const hw = width - g;
      const dZr = kernel.matrix(M, g);
      const dH = kernel.matrix(M, hw);
      const dzr = kernel.view(dZr);
      const dh = kernel.view(dH);
      for (let i = 0, at = 0; i < M; i++) {
        for (let j = 0; j < g; j++) dzr[i * g + j] = dOut[at++];
        for (let j = 0; j < hw; j++) dh[i * hw + j] = dOut[at++];
      }
      const dbzr = columnSums(dzr, M, g);
      const dbh = columnSums(dh, M, hw);
      const dwxzr = kernel.read(kernel.matMul(X, dZr, true, false));
      const dwxh = kernel.read(kernel.matMul(X, dH, true, false));
      const dx1 = kernel.view(kernel.matMul(dZr, Wxzr, false, true));
      const dx2 = kernel.view(kernel.matMul(dH, Wxh, false, true));
      const dX = kernel.matrix(M, d);
      const dx = kernel.view(dX);
      for (let at = 0; at < M * d; at++) dx[at] = f(dx1[at] + dx2[at]);
      const dbf = columnSums(dx, M, d);
      const dwft = kernel.read(kernel.matMul(T, dX, true, false));
      const dwfr = kernel.read(kernel.matMul(R, dX, true, false));
      const dt = kernel.view(kernel.matMul(dX, Wft, false, true));
      const dr = kernel.view(kernel.matMul(dX, Wfr, false, true));
      const dP = new Float32Array(M * d);
      const dRated = new Float32Array(M * d);
      const dwr = new Float32Array(wrV.length);
      for (let i = 0; i < M; i++) {
        const row = i * d;
        const lev = levels[i] * d;
        for (let j = 0; j < d; j++) {
          dP[row + j] = f(dt[row + j] * reviewMask[i]);
          const e = f(dr[row + j] * ratingMask[i]);
          dRated[row + j] = e;
          dwr[lev + j] += e;
        }
      }
      return [
        tf.tensor2d(dP, [M, d]),
        tf.tensor1d(columnSums(dP, M, d)),
        tf.tensor2d(dwr, tensors[2].shape as [number, number]),
        tf.tensor1d(columnSums(dRated, M, d)),
        tf.tensor2d(dwft, [d, d]),
        tf.tensor2d(dwfr, [d, d]),
        tf.tensor1d(dbf),
        tf.tensor2d(dwxzr, [d, g]),
        tf.tensor1d(dbzr),
        tf.tensor2d(dwxh, [d, hw]),
        tf.tensor1d(dbh),
      ];
    };
    return { value: tf.tensor2d(out, [M, width]), gradFunc };
  });
  const { wr, br } = params.rating;
  const { wft, wfr, bf } = params.fusion;
  return op(
    projected,
    bt,
    wr,
    br,
    wft,
    wfr,
    bf,
    cell.wxzr,
    cell.bzr,
    cell.wxh,
    cell.bh,
  ) as tf.Tensor2D;
}
