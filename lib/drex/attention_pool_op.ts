/**
 * Attention pooling as a differentiable TF.js operation backed by the SIMD
 * kernel: the forward pass pools token features, the backward pass returns
 * the gradient with respect to the scoring vector `v`. Token features are
 * constants (they come from a frozen encoder), so no gradient flows to them.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import type { AttentionPooler, PoolResult } from "../kernels/attention_pool.ts";

/** Pooled features as a tensor, plus the kernel's record (attention weights) for profiles. */
export interface PooledReviews {
  /** `[M, D]` pooled features; zero rows for missing reviews. */
  pooled: tf.Tensor2D;
  /** The kernel's result: attention weights per token, in batch order. */
  result: PoolResult;
}

/**
 * Pools `reviews` (feature rows, -1 = none) with attention scores `e . v`,
 * `v` a `[D]` or `[D, 1]` tensor. Differentiable with respect to `v`.
 */
export function attentionPool(
  pooler: AttentionPooler,
  reviews: Int32Array,
  v: tf.Tensor,
): PooledReviews {
  const D = pooler.dim;
  let record: PoolResult | undefined;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const vIn = args[0] as tf.Tensor;
    record = pooler.forward(reviews, vIn.dataSync() as Float32Array);
    const kept = record;
    const value = tf.tensor2d(kept.pooled, [reviews.length, D]);
    const gradFunc = (dy: tf.Tensor) => {
      const dv = pooler.backward(kept, dy.dataSync() as Float32Array);
      return tf.reshape(tf.tensor1d(dv), vIn.shape);
    };
    return { value, gradFunc };
  });
  const pooled = op(v) as tf.Tensor2D;
  if (!record) throw new Error("attentionPool: forward pass did not run");
  return { pooled, result: record };
}
