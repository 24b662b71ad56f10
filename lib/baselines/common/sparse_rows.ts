/**
 * The training rating matrix in compressed sparse row form, by user (rows
 * are users) or by item (rows are items): what neighbourhoods (EMF) and
 * rating-vector inputs (DMF) read.
 *
 * @module
 */
import type { RatedPairs } from "./rated_pairs.ts";

/** A sparse matrix: row `r` holds `cols[offsets[r] .. offsets[r+1])` with `values` alongside, columns ascending. */
export interface SparseRows {
  /** Number of rows. */
  numRows: number;
  /** Number of columns. */
  numCols: number;
  /** `numRows + 1` offsets into `cols` and `values`. */
  offsets: Int32Array;
  /** Column index of each stored entry. */
  cols: Int32Array;
  /** Value of each stored entry. */
  values: Float64Array;
}

/**
 * The ratings of `pairs` as a `numUsers × numItems` matrix (`by = "user"`)
 * or its transpose (`by = "item"`). Columns within a row are ascending, so
 * the result does not depend on the order of `pairs`.
 */
export function sparseRatingRows(
  pairs: RatedPairs,
  numUsers: number,
  numItems: number,
  by: "user" | "item",
): SparseRows {
  const rowOf = by === "user" ? pairs.users : pairs.items;
  const colOf = by === "user" ? pairs.items : pairs.users;
  const numRows = by === "user" ? numUsers : numItems;
  const numCols = by === "user" ? numItems : numUsers;
  const n = rowOf.length;
  const offsets = new Int32Array(numRows + 1);
  for (let j = 0; j < n; j++) offsets[rowOf[j] + 1]++;
  for (let r = 0; r < numRows; r++) offsets[r + 1] += offsets[r];
  const order = Int32Array.from({ length: n }, (_, j) => j)
    .sort((a, b) => rowOf[a] - rowOf[b] || colOf[a] - colOf[b] || a - b);
  const cols = Int32Array.from(order, (j) => colOf[j]);
  const values = Float64Array.from(order, (j) => pairs.ratings[j]);
  return { numRows, numCols, offsets, cols, values };
}

/** Position of `col` in row `row` of `m`, or -1 (binary search). */
export function findEntry(m: SparseRows, row: number, col: number): number {
  let lo = m.offsets[row];
  let hi = m.offsets[row + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = m.cols[mid];
    if (c === col) return mid;
    if (c < col) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The rows of `m` as plain arrays of `[col, value]` pairs (for saving). */
export function sparseRowsToJSON(m: SparseRows): { numCols: number; rows: [number, number][][] } {
  const rows: [number, number][][] = [];
  for (let r = 0; r < m.numRows; r++) {
    const row: [number, number][] = [];
    for (let e = m.offsets[r]; e < m.offsets[r + 1]; e++) row.push([m.cols[e], m.values[e]]);
    rows.push(row);
  }
  return { numCols: m.numCols, rows };
}

/** Rebuilds a matrix saved with {@linkcode sparseRowsToJSON}. */
export function sparseRowsFromJSON(
  json: { numCols: number; rows: [number, number][][] },
): SparseRows {
  const numRows = json.rows.length;
  const offsets = new Int32Array(numRows + 1);
  json.rows.forEach((row, r) => offsets[r + 1] = offsets[r] + row.length);
  const cols = new Int32Array(offsets[numRows]);
  const values = new Float64Array(offsets[numRows]);
  let e = 0;
  for (const row of json.rows) {
    for (const [c, v] of row) {
      cols[e] = c;
      values[e++] = v;
    }
  }
  return { numRows, numCols: json.numCols, offsets, cols, values };
}
