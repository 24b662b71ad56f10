/**
 * Attention pooling as a differentiable TF.js operation backed by the SIMD
 * kernel: the forward pass pools token features, the backward pass returns
 * the gradient with respect to the scoring vector `v` (and, projected, to the
 * projection). Token features are constants (they come from a frozen
 * encoder), so no gradient flows to them.
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

/** Projected pooled reviews as a tensor, plus the kernel's record. */
export interface ProjectedReviews {
  /** `[M, width]`: each review's pooled features times the projection; zero rows for none. */
  projected: tf.Tensor2D;
  /** The kernel's result: attention weights per token, in batch order. */
  result: PoolResult;
}

/**
 * `attentionPool(pooler, reviews, v).pooled` times `weights` (`[D, width]`),
 * computed by the kernel review by review: the `[M, D]` pooled rows never
 * become a tensor, and the products run on the pooler's threads.
 * Differentiable with respect to `v` and `weights`; with `gradient: false`
 * (a pass without gradients) the pooled rows are not even copied out, nor
 * the attention weights unless `attention` (default true).
 */
export function attentionPoolProjected(
  pooler: AttentionPooler,
  reviews: Int32Array,
  v: tf.Tensor,
  weights: tf.Tensor,
  options: { gradient?: boolean; attention?: boolean } = {},
): ProjectedReviews {
  if (weights.rank !== 2) {
    throw new RangeError(
      `attentionPoolProjected: weights must be [D, width], got ${weights.shape}`,
    );
  }
  const [D, width] = weights.shape;
  if (D !== pooler.dim) {
    throw new RangeError(`attentionPoolProjected: weights have ${D} rows, expected ${pooler.dim}`);
  }
  const run = (vIn: tf.Tensor, wIn: tf.Tensor, keep: { pooled: boolean; attention: boolean }) =>
    pooler.forward(
      reviews,
      vIn.dataSync() as Float32Array,
      { weights: wIn.dataSync() as Float32Array, width },
      keep,
    );
  if (options.gradient === false) {
    const result = run(v, weights, { pooled: false, attention: options.attention !== false });
    return { projected: tf.tensor2d(result.projected!, [reviews.length, width]), result };
  }
  let record: PoolResult | undefined;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [vIn, wIn] = args as tf.Tensor[];
    record = run(vIn, wIn, { pooled: true, attention: true });
    const kept = record;
    const value = tf.tensor2d(kept.projected!, [reviews.length, width]);
    const gradFunc = (dy: tf.Tensor) => {
      const { dv, dweights } = pooler.backwardProjected(kept, dy.dataSync() as Float32Array);
      return [tf.reshape(tf.tensor1d(dv), vIn.shape), tf.tensor2d(dweights, [D, width])];
    };
    return { value, gradFunc };
  });
  const projected = op(v, weights) as tf.Tensor2D;
  if (!record) throw new Error("attentionPoolProjected: forward pass did not run");
  return { projected, result: record };
}
