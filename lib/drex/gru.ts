/**
 * The GRU update that refines a global representation with one interaction,
 * run over whole batches of sequences.
 *
 * Standard GRU (paper eqs. 4–7): `z = σ(W_z x + U_z h + b_z)`,
 * `r = σ(W_r x + U_r h + b_r)`, `h~ = tanh(W_h x + U_h (r ⊙ h) + b_h)`,
 * `h' = (1 − z) ⊙ h + z ⊙ h~`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { GruCell } from "./drex_params.ts";

/** Input projections of a batch of interaction features, computed once per batch rather than per step. */
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

/** One GRU step for `n` sequences: inputs `xzr [n, 2d]`, `xh [n, d]`, state `h [n, d]`. */
export function gruStep(
  cell: GruCell,
  xzr: tf.Tensor2D,
  xh: tf.Tensor2D,
  h: tf.Tensor2D,
): tf.Tensor2D {
  const [n, d] = h.shape;
  const zr = tf.sigmoid(tf.add(xzr, tf.matMul(h, cell.whzr)));
  const z = tf.slice(zr, [0, 0], [n, d]);
  const r = tf.slice(zr, [0, d], [n, d]);
  const candidate = tf.tanh(tf.add(xh, tf.matMul(tf.mul(r, h), cell.whh)));
  return tf.add(h, tf.mul(z, tf.sub(candidate, h)));
}

/** States recorded while running a batch of sequences. */
export interface SequenceStates {
  /** State before each interaction, in the batch's time-major order, `[M, d]`. */
  before: tf.Tensor2D;
  /** State after each sequence's last interaction, in the batch's entity order, `[B, d]`. */
  final: tf.Tensor2D;
}

/**
 * Runs a batch of sequences (longest first; `active[t]` still running at step
 * `t`) from initial states `h0 [B, d]` over time-major projected inputs.
 * Sequences that have ended drop out of the computation instead of being
 * padded.
 */
export function runSequences(
  cell: GruCell,
  inputs: ProjectedInputs,
  h0: tf.Tensor2D,
  active: Int32Array,
): SequenceStates {
  const d = h0.shape[1];
  const sizes = Array.from(active);
  // One split per batch instead of a slice per step: the gradient of a split
  // is a single concat, where per-step slices would each back-propagate as a
  // full-size pad plus an add.
  const zrSteps = sizes.length > 1 ? tf.split(inputs.zr, sizes, 0) : [inputs.zr];
  const hSteps = sizes.length > 1 ? tf.split(inputs.h, sizes, 0) : [inputs.h];
  const befores: tf.Tensor2D[] = [];
  const finished: tf.Tensor2D[] = [];
  let h = h0;
  for (let t = 0; t < sizes.length; t++) {
    const n = sizes[t];
    if (n < h.shape[0]) {
      finished.push(tf.slice(h, [n, 0], [h.shape[0] - n, d]));
      h = tf.slice(h, [0, 0], [n, d]);
    }
    befores.push(h);
    h = gruStep(cell, zrSteps[t] as tf.Tensor2D, hSteps[t] as tf.Tensor2D, h);
  }
  finished.push(h);
  finished.reverse();
  const before = befores.length === 1 ? befores[0] : tf.concat(befores, 0);
  const final = finished.length === 1 ? finished[0] : tf.concat(finished, 0);
  return { before, final };
}
