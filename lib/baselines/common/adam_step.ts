/**
 * One optimiser step over a fixed, ordered list of variables.
 *
 * TF.js's Adam keeps its moment slots by position in the gradient list, so
 * every step must hand it the same variables in the same order: variables a
 * batch did not touch get a zero gradient rather than being left out.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";

/** The objective to minimise and the plain error to report, both scalars. */
export interface StepLoss {
  /** What the step minimises (error plus penalties). */
  loss: tf.Scalar;
  /** Mean squared error of the batch, reported as the training loss. */
  mse: tf.Scalar;
}

/**
 * Computes `f()` with gradients with respect to `vars`, applies them with
 * `optimizer` in the order of `vars`, frees every tensor of the step, and
 * returns the batch's mean squared error.
 */
export function adamStep(
  optimizer: tf.Optimizer,
  vars: readonly tf.Variable[],
  f: () => StepLoss,
): number {
  let mse: tf.Scalar | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const parts = f();
    mse = tf.keep(parts.mse);
    return parts.loss;
  }, [...vars]);
  const out = mse!.dataSync()[0];
  const ordered = vars.map((v) => ({ name: v.name, tensor: grads[v.name] ?? tf.zerosLike(v) }));
  optimizer.applyGradients(ordered);
  for (const g of ordered) g.tensor.dispose();
  for (const t of Object.values(grads)) if (!t.isDisposed) t.dispose();
  value.dispose();
  // `loss` may be the `mse` tensor itself (no penalty): dispose once.
  if (!mse!.isDisposed) mse!.dispose();
  return out;
}
