/**
 * Seeded parameter initialisers for the tensor baselines (DeepCoNN, NARRE,
 * PESI), and the named parameter list they are saved, snapshotted and
 * optimised through.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import type { Rng } from "../../random.ts";

/** A variable holding `initial`, which is then freed (a variable does not take over its initial tensor). */
function own(initial: tf.Tensor): tf.Variable {
  const v = tf.variable(initial);
  initial.dispose();
  return v;
}

/** A trainable matrix with Glorot-uniform values drawn from `rng`. */
export function glorotVariable(rows: number, cols: number, rng: Rng): tf.Variable {
  const limit = Math.sqrt(6 / (rows + cols));
  const values = new Float32Array(rows * cols);
  for (let j = 0; j < values.length; j++) values[j] = rng.uniform(-limit, limit);
  return own(tf.tensor2d(values, [rows, cols]));
}

/** A trainable matrix with normal(0, `std`) values drawn from `rng`. */
export function normalVariable(rows: number, cols: number, std: number, rng: Rng): tf.Variable {
  const values = new Float32Array(rows * cols);
  for (let j = 0; j < values.length; j++) values[j] = std * rng.normal();
  return own(tf.tensor2d(values, [rows, cols]));
}

/** A trainable tensor filled with `value`: a vector of `shape` entries, or of the given shape. */
export function filledVariable(shape: number | readonly number[], value: number): tf.Variable {
  return own(tf.fill(typeof shape === "number" ? [shape] : [...shape], value));
}

/** Parameters as an ordered list of `[name, variable]`; the order is the optimiser's and the file's. */
export type NamedVariables = [string, tf.Variable][];

/** Each variable's values as a named array (for saving). */
export function variableArrays(
  vars: NamedVariables,
): { name: string; shape: number[]; values: Float32Array }[] {
  return vars.map(([name, v]) => ({
    name,
    shape: v.shape,
    values: v.dataSync() as Float32Array,
  }));
}

/** Overwrites each variable with the array `take(name, shape)` (for loading). */
export function assignArrays(
  vars: NamedVariables,
  take: (name: string, shape: readonly number[]) => Float32Array,
): void {
  for (const [name, v] of vars) {
    const t = tf.tensor(take(name, v.shape), v.shape);
    v.assign(t);
    t.dispose();
  }
}

/** Copies of every variable's value (an early-stopping snapshot). */
export function snapshotVariables(vars: NamedVariables): tf.Tensor[] {
  return vars.map(([, v]) => tf.clone(v));
}

/** Puts a snapshot back. */
export function restoreVariables(vars: NamedVariables, kept: readonly tf.Tensor[]): void {
  vars.forEach(([, v], j) => v.assign(kept[j]));
}
