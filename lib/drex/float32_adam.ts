/**
 * TF.js's Adam (`tf.train.adam`) on plain `Float32Array`s, rounding every
 * operation to float32 in TF.js's order, so that it gives TF.js's values bit
 * for bit (tested on both backends). TF.js's Adam runs about a dozen kernels
 * per variable per step: on DReX's few dozen small shared weights that was
 * 270 TF.js kernel calls per training step, about a tenth of an epoch spent
 * in TF.js's per-call overhead rather than in arithmetic. Here one small
 * WASM SIMD kernel (`lib/kernels/float32_adam.c`) steps each array: the same
 * loop in JavaScript took about 11 ns per value, every operation computed in
 * double and rounded.
 *
 * Also here, in the same float32 arithmetic: the decoupled weight decay (an
 * option of the step) and the moving-average step that DReX's trainer
 * applies after each Adam step.
 *
 * @module
 */
import { BETA1, BETA2, EPSILON } from "./adam_drift.ts";
import { float32AdamWasmBase64 } from "../kernels/float32_adam_wasm.ts";
import { KernelMemory } from "../kernels/kernel_memory.ts";

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

/** The kernel's export (see `float32_adam.c` for its arguments). */
type AdamExports = Record<"adam_step", (...args: number[]) => void>;

/**
 * Adam over a fixed list of arrays (one per variable, in the same order at
 * every step), with TF.js's float32 rounding; see the module doc. The
 * moments live in a WASM kernel's memory, where the step runs
 * (`lib/kernels/float32_adam.c`).
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
  readonly #sizes: readonly number[];
  /** Byte offsets of each array's first and second moments in the kernel's memory. */
  readonly #m: number[] = [];
  readonly #v: number[] = [];
  readonly #kernel: KernelMemory<AdamExports>;
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
    this.#sizes = sizes;
    // Moments 64-byte aligned, as the kernel's scratch is.
    const padded = sizes.map((n) => Math.ceil(n / 16) * 16);
    const total = padded.reduce((a, b) => a + b, 0);
    this.#kernel = new KernelMemory("float32_adam", float32AdamWasmBase64, 2 * total * 4);
    let at = this.#kernel.fixedStart;
    for (const n of padded) {
      this.#m.push(at);
      this.#v.push(at + total * 4);
      at += n * 4;
    }
    // A new kernel memory is zeroed: the moments start at zero.
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
   * gradient, which still moves a value whose moments are not zero), then
   * multiplies the result by `keep[j]` (decoupled weight decay, as TF.js's
   * `w · keep`; default 1, which changes nothing).
   */
  step(
    values: readonly Float32Array[],
    grads: readonly (Float32Array | null)[],
    keep?: readonly number[],
  ): void {
    const count = this.#sizes.length;
    if (values.length !== count || grads.length !== count || (keep && keep.length !== count)) {
      throw new RangeError(
        `Float32Adam.step: expected ${count} arrays, got ${values.length} values and ${grads.length} gradients`,
      );
    }
    values.forEach((w, j) => {
      const g = grads[j];
      if (w.length !== this.#sizes[j] || (g && g.length !== this.#sizes[j])) {
        throw new RangeError(
          `Float32Adam.step: array ${j} has ${w.length} values and ${
            g?.length ?? "no"
          } gradients, expected ${this.#sizes[j]}`,
        );
      }
    });
    const k = this.#kernel;
    k.reset();
    const at = values.map((w) => ({ w: k.alloc(w.length), g: k.alloc(w.length) }));
    const c1 = f(1 - this.#accBeta1);
    const c2 = f(1 - this.#accBeta2);
    values.forEach((w, j) => {
      const g = grads[j];
      k.write(at[j].w, w);
      if (g) k.write(at[j].g, g);
      k.exports.adam_step(
        at[j].w,
        this.#m[j],
        this.#v[j],
        at[j].g,
        g ? 1 : 0,
        w.length,
        c1,
        c2,
        this.#beta1,
        this.#beta2,
        this.#oneMinusBeta1,
        this.#oneMinusBeta2,
        this.#epsilon,
        this.#negativeRate,
        keep?.[j] ?? 1,
      );
      w.set(k.viewF32(at[j].w, w.length));
    });
    this.#accBeta1 = f(this.#accBeta1 * this.#beta1);
    this.#accBeta2 = f(this.#accBeta2 * this.#beta2);
  }
}

/** One moving-average step as TF.js computes `avg · a + p · (1 − a)`. */
export function averageInPlace(average: Float32Array, values: Float32Array, decay: number): void {
  const a = f(decay);
  const b = f(1 - decay);
  for (let i = 0; i < average.length; i++) average[i] = f(f(average[i] * a) + f(values[i] * b));
}
