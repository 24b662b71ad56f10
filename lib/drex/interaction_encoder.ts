/**
 * Interaction-level features: the review vector (token attention) and the
 * rating vector, fused into one `x` per interaction (paper sections 3.2–3.3).
 * A missing modality contributes a zero vector in place of its part.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import type { AttentionPooler, PoolResult } from "../kernels/attention_pool.ts";
import { attentionPoolProjected } from "./attention_pool_op.ts";
import type { DrexParams } from "./drex_params.ts";

/** The inputs of a batch of interactions, gathered from the training data. */
export interface InteractionInputs {
  /** Feature row of each interaction's review, or -1 when it has none (missing or hidden). */
  reviews: Int32Array;
  /** Rating level (0-based, `rating - ratingMin`) of each interaction, or -1 when it has none. */
  levels: Int32Array;
}

/** Encoded interactions. */
export interface EncodedInteractions {
  /** Interaction features `x`, `[M, d]`. */
  x: tf.Tensor2D;
  /** The attention kernel's record for the batch (token weights, for keyword profiles). */
  attention: PoolResult;
}

function mask(flags: Int32Array): tf.Tensor2D {
  const m = new Float32Array(flags.length);
  for (let j = 0; j < flags.length; j++) m[j] = flags[j] >= 0 ? 1 : 0;
  return tf.tensor2d(m, [flags.length, 1]);
}

/**
 * Computes `x = W_f [t ; r] + b_f` for a batch: `t = W_t (Σ a_k e_k) + b_t`
 * with `a = softmax(e_k · W_t w)` over the review's words, and
 * `r = W_r onehot(level) + b_r`. The kernel applies `W_t` to each pooled
 * review; with `gradient: false` (passes without gradients) nothing is kept
 * for a backward pass, and the attention weights only with `attention`.
 */
export function encodeInteractions(
  params: DrexParams,
  pooler: AttentionPooler,
  inputs: InteractionInputs,
  options: { gradient?: boolean; attention?: boolean } = {},
): EncodedInteractions {
  const { wt, bt, watt } = params.review;
  const v = tf.matMul(wt, watt);
  const { projected, result } = attentionPoolProjected(pooler, inputs.reviews, v, wt, options);
  const t = tf.mul(tf.add(projected, bt), mask(inputs.reviews));
  const levels = tf.tensor1d(inputs.levels.map((l) => Math.max(l, 0)), "int32");
  const r = tf.mul(
    tf.add(tf.gather(params.rating.wr, levels), params.rating.br),
    mask(inputs.levels),
  );
  const { wft, wfr, bf } = params.fusion;
  const x = tf.add(tf.add(tf.matMul(t, wft), tf.matMul(r, wfr)), bf) as tf.Tensor2D;
  return { x, attention: result };
}
