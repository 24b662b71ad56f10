/**
 * What a DReX training step does to the parameters other than the
 * representation tables (a {@linkcode RowWiseTable} steps those): Adam, one
 * per side; gradient clipping; decoupled weight decay; and the moving average
 * of every parameter.
 *
 * During the epoch loop the parameters live here as plain arrays as well as
 * in their TF.js variables: a step reads the gradients, runs the arithmetic
 * on the arrays ({@linkcode Float32Adam}, TF.js's float32 rounding, so the
 * values equal TF.js's optimiser's bit for bit) and writes the stepped
 * variables back. Running it as TF.js kernels took about 360 kernel calls per
 * step (of 614 in all), and their overhead was over a tenth of an epoch.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import type { Side } from "./sequences.ts";
import { averageInPlace, Float32Adam } from "./float32_adam.ts";

/** The step rules' settings (DReX's options of the same names). */
export interface ParameterStepsOptions {
  /** Adam's learning rate. */
  learningRate: number;
  /** Decoupled weight decay (`w ← w − learningRate · weightDecay · w`); 0 for none. */
  weightDecay: number;
  /** Decay of the moving average of the parameters; 0 keeps none. */
  emaDecay: number;
  /** Largest global gradient norm; 0 for no clipping. */
  clipNorm: number;
}

/** A gradient for {@linkcode ParameterSteps.clip}: a named tensor it may replace. */
export interface NamedGradient {
  /** The variable's name. */
  name: string;
  /** The gradient. */
  tensor: tf.Tensor;
}

/** Step rules over a model's parameters; see the module doc. */
export class ParameterSteps {
  readonly #options: ParameterStepsOptions;
  readonly #params: tf.Variable[];
  /** Whether each parameter is a row-wise table (stepped elsewhere). */
  readonly #rowWise: boolean[];
  /** Each other parameter's values as an array, from the first `beginPass` on (null before it, and for tables). */
  readonly #values: (Float32Array | null)[];
  /** Whether weight decay shrinks each parameter. */
  readonly #decayed: boolean[];
  /** Each side's Adam and the parameters (indices) it steps, in a fixed order. */
  readonly #sides: Record<Side, { indices: number[]; adam: Float32Adam }>;
  /** The moving average of each parameter (when `emaDecay > 0`): arrays, or a row-wise table's tensor. */
  readonly #average: (Float32Array | tf.Tensor)[] | null;
  /** Training steps so far, both sides: the moving average's clock. */
  steps = 0;

  /**
   * Rules for `params` (every parameter, in a fixed order); `sides` lists the
   * parameters each side's step updates, `decayed` those weight decay
   * shrinks, `rowWise` the tables trained elsewhere (their average is handed
   * in with `setAverage`). The average starts equal to the parameters.
   */
  constructor(
    params: tf.Variable[],
    sides: Record<Side, tf.Variable[]>,
    options: ParameterStepsOptions & { decayed: Set<tf.Variable>; rowWise: Set<tf.Variable> },
  ) {
    this.#options = options;
    this.#params = params;
    this.#rowWise = params.map((v) => options.rowWise.has(v));
    this.#values = params.map(() => null);
    this.#decayed = params.map((v) => options.decayed.has(v));
    const side = (vars: tf.Variable[]) => {
      const indices = vars.map((v) => {
        const j = params.indexOf(v);
        if (j < 0 || options.rowWise.has(v)) {
          throw new Error(`ParameterSteps: ${v.name} is not a parameter these rules step`);
        }
        return j;
      });
      return {
        indices,
        adam: new Float32Adam(indices.map((j) => params[j].size), {
          learningRate: options.learningRate,
        }),
      };
    };
    this.#sides = { user: side(sides.user), item: side(sides.item) };
    this.#average = options.emaDecay > 0
      ? params.map((v) =>
        options.rowWise.has(v) ? tf.keep(tf.clone(v)) : Float32Array.from(v.dataSync())
      )
      : null;
  }

  /** Whether a moving average is kept. */
  get averaging(): boolean {
    return this.#average !== null;
  }

  /** Before a side's pass: the arrays take the variables' values (anything may have set them since). */
  beginPass(): void {
    this.#params.forEach((v, j) => {
      if (!this.#rowWise[j]) this.#values[j] = Float32Array.from(v.dataSync());
    });
  }

  /** Scales `grads` in place to the global norm `clipNorm` when they exceed it. */
  clip(grads: NamedGradient[]): void {
    const max = this.#options.clipNorm;
    if (max <= 0) return;
    const scale = tf.tidy(() => {
      const sq = tf.addN(grads.map((g) => tf.sum(tf.square(g.tensor))));
      return tf.minimum(tf.scalar(1), tf.div(max, tf.add(tf.sqrt(sq), 1e-12)));
    });
    for (const g of grads) {
      const scaled = tf.mul(g.tensor, scale);
      g.tensor.dispose();
      g.tensor = scaled;
    }
    scale.dispose();
  }

  /**
   * One step of `side`: Adam on its parameters with `grads` (by variable
   * name; a missing one is a zero gradient, which still moves a parameter
   * with non-zero moments), then weight decay, then the moving average of
   * every parameter; the stepped variables take their new values.
   */
  step(side: Side, grads: ReadonlyMap<string, tf.Tensor>): void {
    const { indices, adam } = this.#sides[side];
    const values = indices.map((j) => this.#mustBeInPass(j));
    const o = this.#options;
    const keep = 1 - o.learningRate * o.weightDecay;
    adam.step(
      values,
      indices.map((j) => {
        const g = grads.get(this.#params[j].name);
        return g ? g.dataSync() as Float32Array : null;
      }),
      // TF.js multiplied only when there was weight decay; a factor of 1 changes nothing.
      indices.map((j) => o.weightDecay > 0 && this.#decayed[j] ? keep : 1),
    );
    for (const [n, j] of indices.entries()) {
      const v = this.#params[j];
      const next = tf.tensor(values[n], v.shape);
      v.assign(next);
      next.dispose(); // the variable keeps the data
    }
    this.steps++;
    if (this.#average) {
      this.#average.forEach((a, j) => {
        if (a instanceof Float32Array) averageInPlace(a, this.#mustBeInPass(j), o.emaDecay);
      });
    }
  }

  /** Replaces the average of `variable`, a row-wise table's (brought up to date). */
  setAverage(variable: tf.Variable, average: tf.Tensor | null): void {
    if (!this.#average || !average) return;
    const j = this.#params.indexOf(variable);
    const old = this.#average[j];
    if (!(old instanceof tf.Tensor)) {
      throw new Error(`ParameterSteps: ${variable.name} is not a row-wise table`);
    }
    old.dispose();
    this.#average[j] = average;
  }

  /** The moving average of every parameter as new tensors (the caller disposes them), or null. */
  averageTensors(): tf.Tensor[] | null {
    if (!this.#average) return null;
    return this.#average.map((a, j) =>
      a instanceof Float32Array ? tf.tensor(a, this.#params[j].shape) : tf.clone(a)
    );
  }

  /** Runs `fn` with the moving average in place of the parameters (or the parameters as they are). */
  withAverage<T>(fn: () => T): T {
    const average = this.averageTensors();
    if (!average) return fn();
    const saved = this.#params.map((v) => tf.clone(v));
    this.#params.forEach((v, j) => v.assign(average[j]));
    average.forEach((t) => t.dispose());
    try {
      return fn();
    } finally {
      this.#params.forEach((v, j) => v.assign(saved[j]));
      saved.forEach((t) => t.dispose());
    }
  }

  /** Frees the row-wise tables' averages. */
  dispose(): void {
    this.#average?.forEach((a) => {
      if (a instanceof tf.Tensor) a.dispose();
    });
  }

  #mustBeInPass(j: number): Float32Array {
    const values = this.#values[j];
    if (!values) throw new Error("ParameterSteps: steps belong after beginPass");
    return values;
  }
}
