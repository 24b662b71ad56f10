/**
 * One DMF tower: a multi-layer network from a sparse rating vector (a user's
 * row or an item's column of the training rating matrix) to a latent vector.
 * Layer 1 is linear, `l_1 = W_1 y` (computed sparsely, see
 * `sparse_matmul.ts`); each later layer is `l_k = ReLU(W_k l_{k−1} + b_k)`
 * (Xue et al., 2017, eq. 11).
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import type { Rng } from "../../random.ts";
import type { SparseRows } from "../common/sparse_rows.ts";
import { type SparseInput, sparseMatMul } from "./sparse_matmul.ts";

/** A tower's variables. */
export interface Tower {
  /** `W_1`, `[inputDim, sizes[0]]`: one row per column of the rating matrix. */
  input: tf.Variable;
  /** Later layers: `w` is `[sizes[k−1], sizes[k]]`, `b` is `[sizes[k]]`. */
  layers: { w: tf.Variable; b: tf.Variable }[];
}

/** Rows `rows` of `m`, flattened. */
export function sparseInput(m: SparseRows, rows: Int32Array): SparseInput {
  let nnz = 0;
  for (const r of rows) nnz += m.offsets[r + 1] - m.offsets[r];
  const cols = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  const segments = new Int32Array(nnz);
  let e = 0;
  rows.forEach((r, b) => {
    for (let f = m.offsets[r]; f < m.offsets[r + 1]; f++) {
      cols[e] = m.cols[f];
      values[e] = m.values[f];
      segments[e++] = b;
    }
  });
  return { rows: rows.length, cols, values, segments };
}

/** Glorot-uniform `[fanIn, fanOut]` values from `rng`. */
function glorot(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(fanIn * fanOut);
  for (let k = 0; k < out.length; k++) out[k] = rng.uniform(-limit, limit);
  return out;
}

/**
 * A tower from `inputDim` (the other side's count) through `sizes`
 * (`[...hiddenDims, latentDim]`), Glorot-uniform weights and zero biases.
 */
export function createTower(inputDim: number, sizes: number[], rng: Rng): Tower {
  // Inside tidy the initial-value tensors are freed; the variables (never tracked by tidy) stay.
  // TF.js gives each variable a unique name, so several models can train at once.
  const variable = (values: Float32Array, shape: number[]) =>
    tf.tidy(() => tf.variable(tf.tensor(values, shape), true));
  const input = variable(glorot(inputDim, sizes[0], rng), [inputDim, sizes[0]]);
  const layers = sizes.slice(1).map((size, k) => ({
    w: variable(glorot(sizes[k], size, rng), [sizes[k], size]),
    b: variable(new Float32Array(size), [size]),
  }));
  return { input, layers };
}

/** The tower's variables in a fixed order (for gradients and snapshots). */
export function towerVariables(t: Tower): tf.Variable[] {
  return [t.input, ...t.layers.flatMap((l) => [l.w, l.b])];
}

/** Frees the tower's variables. */
export function disposeTower(t: Tower): void {
  towerVariables(t).forEach((v) => v.dispose());
}

/** The tower's output for each row of `x`, `[x.rows, latentDim]` (call inside `tf.tidy`). */
export function towerForward(t: Tower, x: SparseInput): tf.Tensor2D {
  let h = sparseMatMul(x, t.input as tf.Tensor2D);
  for (const { w, b } of t.layers) h = tf.relu(tf.add(tf.matMul(h, w), b));
  return h;
}

/** Sum of squares of the tower's weight matrices (biases excluded), for an L2 penalty. */
export function towerWeightNorm(t: Tower): tf.Scalar {
  return tf.addN([t.input, ...t.layers.map((l) => l.w)].map((w) => tf.sum(tf.square(w))));
}
