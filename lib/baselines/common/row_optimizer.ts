/**
 * A plain-JavaScript optimizer for embedding tables trained on mini-batches
 * of ratings, where each batch touches only a few rows: Adam or SGD applied
 * to the touched rows only ("lazy" Adam, as PyTorch's `SparseAdam` and
 * TensorFlow Addons' `LazyAdam`). A row's moments decay only when it gets a
 * gradient; the bias correction uses the global step count. This keeps a
 * step O(batch × dim) instead of O(all parameters), so matrix factorisation
 * scales to thousands of users and items without tensors.
 *
 * @module
 */

/** Which update rule {@linkcode RowOptimizer} applies. */
export type RowOptimizerKind = "adam" | "sgd";

/** One trainable table: `rows × dim` values, row-major. */
export interface ParamTable {
  /** The values, updated in place. */
  values: Float64Array;
  /** Width of a row. */
  dim: number;
}

/** Settings of {@linkcode RowOptimizer}. */
export interface RowOptimizerOptions {
  /** Update rule. @default "adam" */
  kind?: RowOptimizerKind;
  /** Step size. @default 0.001 */
  learningRate?: number;
  /** Adam's first-moment decay. @default 0.9 */
  beta1?: number;
  /** Adam's second-moment decay. @default 0.999 */
  beta2?: number;
  /** Adam's denominator guard. @default 1e-8 */
  epsilon?: number;
}

/**
 * Accumulates gradients of the rows a batch touches, then updates just
 * those rows. Usage per batch: for each touched row, `touch(t, row)` and add
 * into `grads[t]` at that row; then `step()`.
 *
 * @example
 * ```ts
 * import { RowOptimizer } from "./row_optimizer.ts";
 * const table = { values: new Float64Array(6), dim: 2 };
 * const opt = new RowOptimizer([table], { learningRate: 0.1 });
 * opt.touch(0, 1);
 * opt.grads[0][2] += 1; // d loss / d table[1][0]
 * opt.step();
 * ```
 */
export class RowOptimizer {
  /** Gradient buffers, one per table, shaped like it; zero outside a batch. */
  readonly grads: Float64Array[];
  readonly #tables: ParamTable[];
  readonly #m: Float64Array[];
  readonly #v: Float64Array[];
  readonly #marked: Uint8Array[];
  readonly #touched: number[][];
  readonly #o: Required<RowOptimizerOptions>;
  #t = 0;

  /** An optimizer over `tables` (kept by reference and updated in place). */
  constructor(tables: ParamTable[], options: RowOptimizerOptions = {}) {
    this.#o = {
      kind: "adam",
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    };
    this.#tables = tables;
    this.grads = tables.map((t) => new Float64Array(t.values.length));
    const adam = this.#o.kind === "adam";
    this.#m = tables.map((t) => new Float64Array(adam ? t.values.length : 0));
    this.#v = tables.map((t) => new Float64Array(adam ? t.values.length : 0));
    this.#marked = tables.map((t) => new Uint8Array(t.values.length / t.dim));
    this.#touched = tables.map(() => []);
  }

  /** Number of steps taken. */
  get steps(): number {
    return this.#t;
  }

  /** Marks `row` of table `table` as receiving a gradient in this batch. */
  touch(table: number, row: number): void {
    const marked = this.#marked[table];
    if (marked[row] === 0) {
      marked[row] = 1;
      this.#touched[table].push(row);
    }
  }

  /** Updates the touched rows from their gradients, then clears gradients and marks. */
  step(): void {
    this.#t++;
    const { kind, learningRate: lr, beta1, beta2, epsilon } = this.#o;
    const c1 = 1 - Math.pow(beta1, this.#t);
    const c2 = 1 - Math.pow(beta2, this.#t);
    const stepSize = kind === "adam" ? lr * Math.sqrt(c2) / c1 : lr;
    const epsHat = epsilon * Math.sqrt(c2);
    this.#tables.forEach(({ values, dim }, t) => {
      const g = this.grads[t];
      const m = this.#m[t];
      const v = this.#v[t];
      for (const row of this.#touched[t]) {
        const end = (row + 1) * dim;
        for (let k = row * dim; k < end; k++) {
          const gk = g[k];
          g[k] = 0;
          if (kind === "sgd") {
            values[k] -= lr * gk;
            continue;
          }
          m[k] = beta1 * m[k] + (1 - beta1) * gk;
          v[k] = beta2 * v[k] + (1 - beta2) * gk * gk;
          // Same as lr · m̂ / (sqrt(v̂) + ε) with m̂, v̂ the bias-corrected moments.
          values[k] -= stepSize * m[k] / (Math.sqrt(v[k]) + epsHat);
        }
        this.#marked[t][row] = 0;
      }
      this.#touched[t].length = 0;
    });
  }
}
