/**
 * Row-wise training of a representation table. TF.js's Adam and the moving
 * average of the parameters touch every row of a table at every step,
 * although a batch reads only its 16 entities' rows: an epoch then costs
 * O(entities × steps), which grows as the square of the data. Here a step
 * updates only the rows its batch read, and every other row catches up when it
 * is next read (or at the end of the pass), in O(d):
 *
 * - `drift: true` (the default, DReX's dense Adam): a row without a gradient
 *   moves on along its moments, as TF.js's Adam moves it; k such
 *   steps are computed at once (`adam_drift.ts`). Equal to TF.js's Adam and
 *   moving average up to float rounding.
 * - `drift: false` (the option `lazyTables`): lazy Adam, as PyTorch's
 *   `SparseAdam`: a row's moments move only when it gets a gradient, so the
 *   row stands still between its batches; a different optimiser.
 *
 * Either way bias correction uses the side's step count, and a row's moving
 * average catches up in closed form over steps in which the row stood still
 * (`avg ← a^k avg + (1 − a^k) p`).
 *
 * The table's values live in this object during a side's pass (one download
 * at the start, one upload at the end); the TF.js variable is current between
 * passes, which is when anything else reads it.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import { BETA1, BETA2, driftRow, type DriftSums, driftSums, EPSILON } from "./adam_drift.ts";

/** How a {@linkcode RowWiseTable} trains its table. */
export interface RowWiseTableOptions {
  /** Adam's learning rate. */
  learningRate: number;
  /** Decay of the moving average of the values; 0 keeps none. @default 0 */
  emaDecay?: number;
  /**
   * Rows without a gradient move on along their moments, as in dense Adam
   * (`true`), or stand still (`false`, lazy Adam). @default true
   */
  drift?: boolean;
}

/** Adam and a moving average over one `[rows, d]` table, computed row by row; see the module doc. */
export class RowWiseTable {
  /** The table's variable; current between passes. */
  readonly variable: tf.Variable;
  readonly #rows: number;
  readonly #d: number;
  readonly #learningRate: number;
  readonly #emaDecay: number;
  #values: Float32Array | null = null;
  readonly #m: Float32Array;
  readonly #v: Float32Array;
  #step = 0;
  /** With drift: the step each row's values and moments are current at. */
  readonly #steppedAt: Int32Array | null;
  /** The last drift sums computed (rows read together share them). */
  #sums: { t0: number; sums: DriftSums } | null = null;
  /** The moving average of every row (when `emaDecay > 0`) and the average step each row is current at. */
  readonly #average: Float32Array | null;
  readonly #averagedAt: Int32Array | null;

  /** Starts from the variable's values; the average (if any) starts equal to them, as TF.js's did. */
  constructor(variable: tf.Variable, options: RowWiseTableOptions) {
    if (variable.rank !== 2) {
      throw new Error("RowWiseTable: the table must be a [rows, d] variable");
    }
    this.variable = variable;
    [this.#rows, this.#d] = variable.shape as [number, number];
    this.#learningRate = options.learningRate;
    const emaDecay = options.emaDecay ?? 0;
    this.#emaDecay = emaDecay;
    this.#m = new Float32Array(this.#rows * this.#d);
    this.#v = new Float32Array(this.#rows * this.#d);
    this.#steppedAt = options.drift ?? true ? new Int32Array(this.#rows) : null;
    this.#average = emaDecay > 0 ? Float32Array.from(variable.dataSync() as Float32Array) : null;
    this.#averagedAt = emaDecay > 0 ? new Int32Array(this.#rows) : null;
  }

  /** Before a pass that trains this table: its values move into this object. */
  beginPass(): void {
    this.#values = Float32Array.from(this.variable.dataSync() as Float32Array);
  }

  /** The rows of `entities` as they stand now, `[entities, d]`, as a new tensor (the caller disposes it). */
  rows(entities: Int32Array): tf.Tensor2D {
    const values = this.#mustBeInPass();
    const d = this.#d;
    const out = new Float32Array(entities.length * d);
    entities.forEach((e, j) => {
      this.#drift(e, values);
      out.set(values.subarray(e * d, (e + 1) * d), j * d);
    });
    return tf.tensor2d(out, [entities.length, d]);
  }

  /**
   * One Adam step on the rows of `entities` with their gradient `grad`
   * (`[entities, d]`, row-major), then their moving average at global average
   * step `averageStep` (every training step of either side counts one).
   */
  step(entities: Int32Array, grad: Float32Array, averageStep: number): void {
    const values = this.#mustBeInPass();
    const d = this.#d;
    for (const e of entities) this.#drift(e, values);
    this.#step++;
    const c1 = 1 - Math.pow(BETA1, this.#step);
    const c2 = 1 - Math.pow(BETA2, this.#step);
    const lr = this.#learningRate;
    for (let j = 0; j < entities.length; j++) {
      const base = entities[j] * d;
      this.#catchUp(entities[j], averageStep - 1, values);
      for (let k = 0; k < d; k++) {
        const i = base + k;
        const g = grad[j * d + k];
        this.#m[i] = BETA1 * this.#m[i] + (1 - BETA1) * g;
        this.#v[i] = BETA2 * this.#v[i] + (1 - BETA2) * g * g;
        values[i] -= lr * (this.#m[i] / c1) / (Math.sqrt(this.#v[i] / c2) + EPSILON);
      }
      if (this.#steppedAt) this.#steppedAt[entities[j]] = this.#step;
      this.#catchUp(entities[j], averageStep, values);
    }
  }

  /** After the pass: every row catches up, and the values go back to the variable. */
  endPass(): void {
    const values = this.#mustBeInPass();
    for (let r = 0; r < this.#rows; r++) this.#drift(r, values);
    const next = tf.tensor2d(values, [this.#rows, this.#d]);
    this.variable.assign(next);
    next.dispose(); // the variable keeps the data
    this.#values = null;
  }

  /**
   * The moving average of the whole table at average step `averageStep`
   * (every row caught up), as a new tensor; `null` without an average.
   */
  average(averageStep: number): tf.Tensor2D | null {
    if (!this.#average) return null;
    const values = this.#values ?? (this.variable.dataSync() as Float32Array);
    for (let r = 0; r < this.#rows; r++) this.#catchUp(r, averageStep, values);
    return tf.tensor2d(this.#average, [this.#rows, this.#d]);
  }

  /**
   * Brings row `r`'s average to step `to`, over steps in which the row held
   * `values`' row: k steps of `avg ← a·avg + (1 − a)·p` with `p` fixed.
   */
  #catchUp(r: number, to: number, values: Float32Array): void {
    if (!this.#average) return;
    const k = to - this.#averagedAt![r];
    if (k <= 0) return;
    const keep = Math.pow(this.#emaDecay, k);
    const d = this.#d;
    for (let i = r * d; i < (r + 1) * d; i++) {
      this.#average[i] = keep * this.#average[i] + (1 - keep) * values[i];
    }
    this.#averagedAt![r] = to;
  }

  /**
   * With drift: moves row `r` (values, moments and average) over the steps
   * since its last gradient, to the side's current step. Its average steps
   * along: within a pass the side's steps are the average's steps.
   */
  #drift(r: number, values: Float32Array): void {
    if (!this.#steppedAt) return;
    const t0 = this.#steppedAt[r];
    const k = this.#step - t0;
    if (k <= 0) return;
    if (!this.#sums || this.#sums.t0 !== t0 || this.#sums.sums.k !== k) {
      this.#sums = { t0, sums: driftSums(t0, k, this.#emaDecay) };
    }
    const avg = this.#average;
    driftRow(
      this.#sums.sums,
      this.#learningRate,
      values,
      this.#m,
      this.#v,
      avg,
      r * this.#d,
      this.#d,
    );
    this.#steppedAt[r] = this.#step;
    if (avg) this.#averagedAt![r] += k;
  }

  #mustBeInPass(): Float32Array {
    if (!this.#values) throw new Error("RowWiseTable: rows and steps belong inside a pass");
    return this.#values;
  }
}
