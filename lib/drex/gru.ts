/**
 * The GRU that refines a global representation with one interaction at a
 * time, run over whole batches of sequences as one differentiable TF.js
 * operation backed by the SIMD kernel `gru_sequences.c`.
 *
 * Standard GRU (paper eqs. 4–7): `z = σ(W_z x + U_z h + b_z)`,
 * `r = σ(W_r x + U_r h + b_r)`, `h~ = tanh(W_h x + U_h (r ⊙ h) + b_h)`,
 * `h' = (1 − z) ⊙ h + z ⊙ h~`. The input projections `W x + b` come in
 * computed over the whole batch (in training, by `encode_project_op.ts`);
 * the recurrence (`U`, the gates, and its backward pass through time) runs
 * in the kernel.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import type { GruSequenceKernel } from "../kernels/gru_sequences.ts";
import type { GruCell } from "./drex_params.ts";
import type { StateReadout } from "./options.ts";
import { runningMeanStates } from "./state_readout.ts";

/** Input projections of a batch of interaction features, computed once per batch. */
export interface ProjectedInputs {
  /** `x W_zr + b_zr`, `[M, 2d]`. */
  zr: tf.Tensor2D;
  /** `x W_h + b_h`, `[M, d]`. */
  h: tf.Tensor2D;
}

/** Projects interaction features `x [M, d]` for the gates and the candidate. */
export function projectInputs(cell: GruCell, x: tf.Tensor2D): ProjectedInputs {
  return {
    zr: tf.add(tf.matMul(x, cell.wxzr), cell.bzr),
    h: tf.add(tf.matMul(x, cell.wxh), cell.bh),
  };
}

/** The first `left` columns and the rest of a row-major `rows × width` array, as two arrays. */
function splitColumns(
  values: Float32Array,
  rows: number,
  left: number,
): [Float32Array, Float32Array] {
  const width = values.length / rows;
  const a = new Float32Array(rows * left);
  const b = new Float32Array(rows * (width - left));
  const right = width - left;
  for (let i = 0, at = 0; i < rows; i++) {
    for (let j = 0; j < left; j++) a[i * left + j] = values[at++];
    for (let j = 0; j < right; j++) b[i * right + j] = values[at++];
  }
  return [a, b];
}

/** The inverse of {@linkcode splitColumns}: rows of `a` then `b`, side by side. */
function joinColumns(a: Float32Array, b: Float32Array, rows: number): Float32Array {
  const left = a.length / rows;
  const right = b.length / rows;
  const out = new Float32Array(a.length + b.length);
  for (let i = 0, at = 0; i < rows; i++) {
    for (let j = 0; j < left; j++) out[at++] = a[i * left + j];
    for (let j = 0; j < right; j++) out[at++] = b[i * right + j];
  }
  return out;
}

/** States recorded while running a batch of sequences. */
export interface SequenceStates {
  /** State before each interaction, in the batch's time-major order, `[M, d]`. */
  before: tf.Tensor2D;
  /** State after each sequence's last interaction, in the batch's entity order, `[B, d]`. */
  final: tf.Tensor2D;
}

/**
 * Runs a batch of sequences (longest first; `active[t]` still running at
 * step `t`) from initial states `h0 [B, d]` over time-major projected inputs
 * (separate, or side by side in one `[M, 3d]` tensor: gates, then candidate).
 * Differentiable with respect to the projected inputs, `h0` and the cell's
 * recurrent weights. With `readout: "mean"` the recorded states are running
 * means (see `state_readout.ts`); the recurrence itself is unchanged. (Passes
 * without gradients run `GruSequenceKernel.states` instead.)
 */
export function runSequences(
  kernel: GruSequenceKernel,
  cell: GruCell,
  inputs: ProjectedInputs | tf.Tensor2D,
  h0: tf.Tensor2D,
  active: Int32Array,
  readout: StateReadout = "last",
): SequenceStates {
  const [B, d] = h0.shape;
  const M = inputs instanceof tf.Tensor ? inputs.shape[0] : inputs.h.shape[0];
  const split = (raw: tf.Tensor2D): SequenceStates => {
    const both = readout === "mean" ? runningMeanStates(raw, active) : raw;
    return {
      before: tf.slice(both, [0, 0], [M, d]),
      final: tf.slice(both, [M, 0], [B, d]),
    };
  };
  const combined = inputs instanceof tf.Tensor;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const tensors = args.filter((a) => a instanceof tf.Tensor) as tf.Tensor[];
    const [h, uzr, uh] = tensors.slice(-3);
    const uzrValues = uzr.dataSync() as Float32Array;
    const uhValues = uh.dataSync() as Float32Array;
    const [xzr, xh] = combined
      ? splitColumns(tensors[0].dataSync() as Float32Array, M, 2 * d)
      : [tensors[0].dataSync() as Float32Array, tensors[1].dataSync() as Float32Array];
    const fw = kernel.forward(
      active,
      d,
      xzr,
      xh,
      h.dataSync() as Float32Array,
      uzrValues,
      uhValues,
    );
    // One output holding [before ; final], split below (customGrad has one output).
    const value = tf.tensor2d(fw.states, [M + B, d]);
    const gradFunc = (dy: tf.Tensor) => {
      const g = dy.dataSync() as Float32Array;
      const grads = kernel.backward(
        active,
        d,
        uzrValues,
        uhValues,
        fw,
        g.subarray(0, M * d),
        g.subarray(M * d),
        "view", // copied into tensors at once, below
      );
      const dInputs = combined
        ? [tf.tensor2d(joinColumns(grads.dxzr, grads.dxh, M), [M, 3 * d])]
        : [tf.tensor2d(grads.dxzr, [M, 2 * d]), tf.tensor2d(grads.dxh, [M, d])];
      return [
        ...dInputs,
        tf.tensor2d(grads.dh0, [B, d]),
        tf.tensor2d(grads.duzr, [d, 2 * d]),
        tf.tensor2d(grads.duh, [d, d]),
      ];
    };
    return { value, gradFunc };
  });
  const x = combined ? [inputs] : [inputs.zr, inputs.h];
  return split(op(...x, h0, cell.whzr, cell.whh) as tf.Tensor2D);
}
