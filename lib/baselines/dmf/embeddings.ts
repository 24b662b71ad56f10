/**
 * DMF's latent vectors outside training: every row of the rating matrix run
 * through its tower, L2-normalised into a plain array, so that scoring is a
 * dot product (the cosine) and a trained model holds no tensors.
 *
 * @module
 */
import { tidyRead } from "../../backend/tidy_read.ts";
import type { SparseRows } from "../common/sparse_rows.ts";
import { sparseInput, type Tower, towerForward } from "./tower.ts";
import { PointwiseScorer } from "../common/pair_scorer.ts";

/** Rows per forward pass when embedding a whole side. */
const CHUNK_ROWS = 1024;

/** Unit-length tower outputs of every row of `m`, `numRows × dim` row-major (a zero output stays zero). */
export function normalisedEmbeddings(tower: Tower, m: SparseRows): Float32Array {
  const dim = tower.layers.length > 0
    ? tower.layers[tower.layers.length - 1].b.shape[0]
    : tower.input.shape[1] as number;
  const out = new Float32Array(m.numRows * dim);
  for (let start = 0; start < m.numRows; start += CHUNK_ROWS) {
    const end = Math.min(m.numRows, start + CHUNK_ROWS);
    const rows = Int32Array.from({ length: end - start }, (_, j) => start + j);
    const x = sparseInput(m, rows);
    const values = tidyRead(() => towerForward(tower, x));
    out.set(values, start * dim);
  }
  for (let r = 0; r < m.numRows; r++) {
    const row = out.subarray(r * dim, (r + 1) * dim);
    let s = 0;
    for (let k = 0; k < dim; k++) s += row[k] * row[k];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let k = 0; k < dim; k++) row[k] *= inv;
  }
  return out;
}

/** Dot product of row `a` of `x` and row `b` of `y` (both `dim` wide). */
export function rowDot(
  x: Float32Array,
  a: number,
  y: Float32Array,
  b: number,
  dim: number,
): number {
  const oa = a * dim;
  const ob = b * dim;
  let s = 0;
  for (let k = 0; k < dim; k++) s += x[oa + k] * y[ob + k];
  return s;
}

/** DMF's scores: the dot product of unit-length user and item vectors (their cosine). */
export class CosineScorer extends PointwiseScorer {
  /** Number of items. */
  readonly numItems: number;

  /** Scores from `numUsers × dim` and `numItems × dim` row-major vectors (shared, not copied). */
  constructor(
    readonly userVectors: Float32Array,
    readonly itemVectors: Float32Array,
    readonly dim: number,
  ) {
    super();
    this.numItems = itemVectors.length / dim;
  }

  /** The cosine of user `u` and item `i`. */
  protected score(u: number, i: number): number {
    return rowDot(this.userVectors, u, this.itemVectors, i, this.dim);
  }
}
