/**
 * The regression objective of DeepCoNN and NARRE: mean squared error of a
 * batch's predictions plus an L2 penalty on chosen weights.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import type { StepLoss } from "./adam_step.ts";

/**
 * Mean squared error of `predicted` against `ratings`, plus `lambda` times
 * the sum of squares of the `penalised()` weights (left out when `lambda`
 * is 0, so `loss` is then the `mse` tensor itself).
 */
export function squaredErrorLoss(
  predicted: tf.Tensor1D,
  ratings: Float32Array,
  lambda: number,
  penalised: () => tf.Variable[],
): StepLoss {
  const err = tf.sub(predicted, tf.tensor1d(ratings));
  const mse = tf.mean(tf.square(err)) as tf.Scalar;
  if (lambda === 0) return { loss: mse, mse };
  const penalty = tf.addN(penalised().map((v) => tf.sum(tf.square(v))));
  return { loss: tf.add(mse, tf.mul(penalty, lambda)) as tf.Scalar, mse };
}
