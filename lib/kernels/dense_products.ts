/**
 * Matrix products in TF.js's summation order, on a WASM SIMD kernel
 * (`dense_products.c`), for DReX's dense layers: a layer computed here gives
 * the values of the same layer in TF.js bit for bit, gradients included (see
 * the C source for the order), without TF.js's per-operation cost (a tape
 * entry, saved copies, a kernel dispatch).
 *
 * Matrices live in the kernel's memory, laid out by a bump allocator: a
 * caller starts a layout with {@linkcode DenseProducts.reset}, and every
 * matrix placed after it stays put until the next reset (so a forward pass
 * can leave what its backward pass needs).
 *
 * @module
 */
import { denseProductsWasmBase64 } from "./dense_products_wasm.ts";
import { KernelMemory } from "./kernel_memory.ts";

/** The kernel's export (see `dense_products.c`). */
type ProductExports = Record<"matmul", (...args: number[]) => void>;

/** A row-major matrix in the kernel's memory. */
export interface Matrix {
  /** Byte offset of its first value. */
  at: number;
  /** Rows. */
  rows: number;
  /** Columns. */
  cols: number;
}

/** Matrices in a kernel memory, and products of them in TF.js's order; see the module doc. */
export class DenseProducts {
  readonly #kernel = new KernelMemory<ProductExports>("dense_products", denseProductsWasmBase64);
  #layout = 0;

  /** Starts a new layout: every matrix placed before is forgotten. */
  reset(): void {
    this.#kernel.reset();
    this.#layout++;
  }

  /**
   * The current layout's number (each reset starts a new one): a backward
   * pass checks that its forward pass's matrices are still in place.
   */
  get layout(): number {
    return this.#layout;
  }

  /** A new `rows × cols` matrix (its values are whatever the memory held). */
  matrix(rows: number, cols: number): Matrix {
    return { at: this.#kernel.alloc(rows * cols), rows, cols };
  }

  /** A new `rows × cols` matrix holding `values` (row-major). */
  put(values: Float32Array, rows: number, cols: number): Matrix {
    if (values.length !== rows * cols) {
      throw new RangeError(`DenseProducts.put: ${values.length} values for ${rows} × ${cols}`);
    }
    const m = this.matrix(rows, cols);
    this.#kernel.write(m.at, values);
    return m;
  }

  /** The values of `m`, a view valid until the next placement or reset. */
  view(m: Matrix): Float32Array {
    return this.#kernel.viewF32(m.at, m.rows * m.cols);
  }

  /** A copy of the values of `m`. */
  read(m: Matrix): Float32Array {
    return this.#kernel.readF32(m.at, m.rows * m.cols);
  }

  /**
   * `op(a) op(b)` with `op` = transpose where asked, summed as a plain
   * `tf.matMul` sums on the WASM backend (XNNPACK), to the bit: the order of
   * every product of a training step, since the library's gradient of a
   * product transposes and multiplies (`lib/backend/matmul_gradient.ts`).
   */
  matMul(a: Matrix, b: Matrix, transposeA = false, transposeB = false): Matrix {
    const [M, K] = transposeA ? [a.cols, a.rows] : [a.rows, a.cols];
    const [K2, N] = transposeB ? [b.cols, b.rows] : [b.rows, b.cols];
    if (K !== K2) {
      throw new RangeError(
        `DenseProducts.matMul: inner sizes differ (${a.rows} × ${a.cols}${
          transposeA ? "ᵀ" : ""
        } by ${b.rows} × ${b.cols}${transposeB ? "ᵀ" : ""})`,
      );
    }
    const right = transposeB ? this.#transposed(b) : b;
    const out = this.matrix(M, N);
    this.#kernel.exports.matmul(
      a.at,
      transposeA ? 1 : a.cols,
      transposeA ? a.cols : 1,
      right.at,
      out.at,
      M,
      K,
      N,
    );
    return out;
  }

  /** A transposed copy of `m`. */
  #transposed(m: Matrix): Matrix {
    const t = this.matrix(m.cols, m.rows);
    const src = this.view(m);
    const dst = this.view(t);
    for (let i = 0; i < m.rows; i++) {
      for (let j = 0; j < m.cols; j++) dst[j * m.rows + i] = src[i * m.cols + j];
    }
    return t;
  }
}

/**
 * Column sums of a row-major `rows × cols` array, each summed over the rows
 * in order in float32, as TF.js's `sum(x, 0)` does on the WASM backend (the
 * gradient of a broadcast bias).
 */
export function columnSums(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(cols);
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    for (let j = 0; j < cols; j++) out[j] += values[row + j];
  }
  return out;
}
