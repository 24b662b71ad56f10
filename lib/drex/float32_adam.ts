/**
 * TF.js's Adam (`tf.train.adam`) on plain `Float32Array`s, rounding every
 * operation to float32 in TF.js's order, so that it gives TF.js's values bit
 * for bit (tested on both backends) without running a kernel. TF.js's Adam
 * runs about a dozen kernels per variable per step: on DReX's few dozen small
 * shared weights that was 270 kernel calls per training step, about a tenth
 * of an epoch spent in TF.js's per-call overhead rather than in arithmetic.
 *
 * Also here, in the same float32 arithmetic: the decoupled weight decay and
 * the moving-average step that DReX's trainer applies after each Adam step.
 *
 * @module
 */
import { BETA1, BETA2, EPSILON } from "./adam_drift.ts";

const f = Math.fround;

/** Adam's settings; the defaults are `tf.train.adam`'s on a float32 backend. */
export interface Float32AdamOptions {
  /** Step size. */
  learningRate: number;
  /** Decay of the first moment. @default 0.9 */
  beta1?: number;
  /** Decay of the second moment. @default 0.999 */
  beta2?: number;
  /** Added to the second moment's root. @default 1e-7 */
  epsilon?: number;
}

/**
 * Adam over a fixed list of arrays (one per variable, in the same order at
 * every step), with TF.js's float32 rounding; see the module doc.
 *
 * @example
 * ```ts
 * import { Float32Adam } from "./float32_adam.ts";
 * const w = Float32Array.of(1, 2);
 * const adam = new Float32Adam([2], { learningRate: 0.1 });
 * adam.step([w], [Float32Array.of(1, -1)]);
 * w; // about [0.9, 2.1]: Adam's first step moves each weight by the learning rate
 * ```
 */
export class Float32Adam {
  readonly #m: Float32Array[];
  readonly #v: Float32Array[];
  readonly #beta1: number;
  readonly #beta2: number;
  readonly #oneMinusBeta1: number;
  readonly #oneMinusBeta2: number;
  readonly #epsilon: number;
  readonly #negativeRate: number;
  /** `β1^t` and `β2^t` as TF.js keeps them: float32 products, one factor per step. */
  #accBeta1: number;
  #accBeta2: number;

  /** Prepares zero moments for arrays of `sizes` values. */
  constructor(sizes: readonly number[], options: Float32AdamOptions) {
    const beta1 = options.beta1 ?? BETA1;
    const beta2 = options.beta2 ?? BETA2;
    this.#m = sizes.map((n) => new Float32Array(n));
    this.#v = sizes.map((n) => new Float32Array(n));
    // TF.js turns each number into a float32 scalar, after computing `1 − β` in float64.
    this.#beta1 = f(beta1);
    this.#beta2 = f(beta2);
    this.#oneMinusBeta1 = f(1 - beta1);
    this.#oneMinusBeta2 = f(1 - beta2);
    this.#epsilon = f(options.epsilon ?? EPSILON);
    this.#negativeRate = f(-options.learningRate);
    this.#accBeta1 = this.#beta1;
    this.#accBeta2 = this.#beta2;
  }

  /**
   * One step: moves `values[j]` in place along `grads[j]` (`null`: a zero
   * gradient, which still moves a value whose moments are not zero).
   */
  step(values: readonly Float32Array[], grads: readonly (Float32Array | null)[]): void {
    if (values.length !== this.#m.length || grads.length !== this.#m.length) {
      throw new RangeError(
        `Float32Adam.step: expected ${this.#m.length} arrays, got ${values.length} values and ${grads.length} gradients`,
      );
    }
    const c1 = f(1 - this.#accBeta1);
    const c2 = f(1 - this.#accBeta2);
    const b1 = this.#beta1;
    const b2 = this.#beta2;
    const o1 = this.#oneMinusBeta1;
    const o2 = this.#oneMinusBeta2;
    const eps = this.#epsilon;
    const rate = this.#negativeRate;
    for (let j = 0; j < values.length; j++) {
      const w = values[j];
      const g = grads[j];
      const m = this.#m[j];
      const v = this.#v[j];
      if (w.length !== m.length || (g && g.length !== m.length)) {
        throw new RangeError(
          `Float32Adam.step: array ${j} has ${w.length} values and ${
            g?.length ?? "no"
          } gradients, expected ${m.length}`,
        );
      }
      for (let i = 0; i < w.length; i++) {
        const gi = g ? g[i] : 0;
        const mi = f(f(m[i] * b1) + f(gi * o1));
        const vi = f(f(v[i] * b2) + f(f(gi * gi) * o2));
        m[i] = mi;
        v[i] = vi;
        const denominator = f(f(Math.sqrt(f(vi / c2))) + eps);
        w[i] = f(f(f(f(mi / c1) / denominator) * rate) + w[i]);
      }
    }
    this.#accBeta1 = f(this.#accBeta1 * b1);
    this.#accBeta2 = f(this.#accBeta2 * b2);
  }
}

/** Decoupled weight decay as TF.js computes `w · keep`: `keep = 1 − learningRate · weightDecay`. */
export function decayInPlace(values: Float32Array, keep: number): void {
  const k = f(keep);
  for (let i = 0; i < values.length; i++) values[i] = f(values[i] * k);
}

/** One moving-average step as TF.js computes `avg · a + p · (1 − a)`. */
export function averageInPlace(average: Float32Array, values: Float32Array, decay: number): void {
  const a = f(decay);
  const b = f(1 - decay);
  for (let i = 0; i < average.length; i++) average[i] = f(f(average[i] * a) + f(values[i] * b));
}
