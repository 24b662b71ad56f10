/**
 * Int8 token rows that live in a WASM memory the pooling kernel can run on
 * directly, so that compact features exist once: the caller's views and the
 * kernel's reads are the same bytes (`compactFeatures` builds them here).
 *
 * Layout of the memory: the kernels' stacks and static data below
 * {@linkcode RESIDENT_START}, then every review's rows back to back (int8,
 * `rows × dim`), then one float scale per row, then free space that a
 * kernel uses as scratch. The memory is shared, so it can grow without
 * invalidating the views.
 *
 * @module
 */
import type { Int8PerTokenFeatures } from "../text/token_features.ts";

/** Byte offset where resident rows start: above every kernel's stacks and static data. */
export const RESIDENT_START = 1 << 20;

const PAGE = 65536;

/** Where a memory's resident rows are. */
export interface ResidentInt8Rows {
  /** The memory (shared) holding them. */
  memory: WebAssembly.Memory;
  /** Review r's first row (rows are numbered over all reviews); `firstRow[reviews]` is the row count. */
  firstRow: Int32Array;
  /** Byte offset of row 0's values. */
  valuesAt: number;
  /** Byte offset of row 0's scale (floats, one per row). */
  scalesAt: number;
  /** First byte after the scales (16-byte aligned): a kernel's scratch starts here. */
  end: number;
}

function align(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

/**
 * Quantizes the `rows × dim` floats of `block` into `values` (int8) and
 * `scales` (one per row, `max |x| / 127`).
 */
export function quantizeRows(
  block: Float32Array,
  dim: number,
  values: Int8Array,
  scales: Float32Array,
): void {
  const rows = scales.length;
  for (let k = 0; k < rows; k++) {
    let max = 0;
    for (let j = k * dim; j < k * dim + dim; j++) max = Math.max(max, Math.abs(block[j]));
    const scale = max / 127;
    scales[k] = scale;
    if (scale === 0) {
      values.fill(0, k * dim, k * dim + dim);
      continue;
    }
    const inv = 1 / scale;
    for (let j = k * dim; j < k * dim + dim; j++) values[j] = Math.round(block[j] * inv);
  }
}

/**
 * Builds resident int8 rows review by review: say how many rows each review
 * has, then `set` each review's floats (they are quantized in place, so the
 * floats never need to be held all at once).
 */
export class ResidentInt8Builder {
  readonly #dim: number;
  readonly #rows: ResidentInt8Rows;

  /** Reserves the rows of `rowsPerReview.length` reviews of width `dim`. */
  constructor(dim: number, rowsPerReview: ArrayLike<number>) {
    const firstRow = new Int32Array(rowsPerReview.length + 1);
    for (let r = 0; r < rowsPerReview.length; r++) firstRow[r + 1] = firstRow[r] + rowsPerReview[r];
    const rows = firstRow[rowsPerReview.length];
    const valuesAt = RESIDENT_START;
    const scalesAt = align(valuesAt + rows * dim);
    const end = align(scalesAt + rows * 4);
    const pages = Math.ceil(end / PAGE);
    if (pages > 65536) {
      throw new RangeError(
        `compact features need ${(end / 2 ** 30).toFixed(2)} GiB in one WASM memory (limit 4 GiB)`,
      );
    }
    const memory = new WebAssembly.Memory({ initial: pages, maximum: 65536, shared: true });
    this.#dim = dim;
    this.#rows = { memory, firstRow, valuesAt, scalesAt, end };
  }

  /** Quantizes review `r`'s `rows × dim` floats into place. */
  set(r: number, block: Float32Array): void {
    const { values, scales } = this.views(r);
    if (block.length !== values.length) {
      throw new RangeError(
        `ResidentInt8Builder: review ${r} has ${scales.length} rows of ${this.#dim}, got ${block.length} values`,
      );
    }
    quantizeRows(block, this.#dim, values, scales);
  }

  /** Copies review `r`'s int8 rows (values and one scale per row) into place. */
  copy(r: number, values: Int8Array, scales: Float32Array): void {
    const into = this.views(r);
    into.values.set(values);
    into.scales.set(scales);
  }

  /** Where the rows live. */
  get rows(): ResidentInt8Rows {
    return this.#rows;
  }

  /** Review `r`'s values and scales, as views into the memory. */
  views(r: number): { values: Int8Array; scales: Float32Array } {
    const { memory, firstRow, valuesAt, scalesAt } = this.#rows;
    const first = firstRow[r];
    const count = firstRow[r + 1] - first;
    return {
      values: new Int8Array(memory.buffer, valuesAt + first * this.#dim, count * this.#dim),
      scales: new Float32Array(memory.buffer, scalesAt + first * 4, count),
    };
  }

  /** Every review's views, and where they live. */
  build(): { values: Int8Array[]; scales: Float32Array[]; resident: ResidentInt8Rows } {
    const values: Int8Array[] = [];
    const scales: Float32Array[] = [];
    for (let r = 0; r + 1 < this.#rows.firstRow.length; r++) {
      const v = this.views(r);
      values.push(v.values);
      scales.push(v.scales);
    }
    return { values, scales, resident: this.#rows };
  }
}

/**
 * `int8`'s rows in a kernel-ready memory: where they already are when
 * `compactFeatures` built them, else a copy made once (rows built by hand,
 * or filtered copies).
 */
export function residentRows(int8: Int8PerTokenFeatures, dim: number): ResidentInt8Rows {
  if (int8.resident) return int8.resident;
  const builder = new ResidentInt8Builder(dim, int8.scales.map((s) => s.length));
  int8.values.forEach((values, r) => builder.copy(r, values, int8.scales[r]));
  return builder.rows;
}
