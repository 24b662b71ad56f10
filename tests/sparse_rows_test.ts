import {
  findEntry,
  sparseRatingRows,
  sparseRowsFromJSON,
  sparseRowsToJSON,
} from "../lib/baselines/common/sparse_rows.ts";
import { assertEquals } from "./support/assert.ts";

const pairs = {
  users: Int32Array.of(1, 0, 1, 2),
  items: Int32Array.of(2, 1, 0, 2),
  ratings: Float64Array.of(5, 3, 4, 1),
};

Deno.test("sparseRatingRows: rows by user, columns ascending, values alongside", () => {
  const m = sparseRatingRows(pairs, 4, 3, "user");
  assertEquals(m.numRows, 4);
  assertEquals(m.numCols, 3);
  assertEquals(Array.from(m.offsets), [0, 1, 3, 4, 4]);
  assertEquals(Array.from(m.cols), [1, 0, 2, 2]);
  assertEquals(Array.from(m.values), [3, 4, 5, 1]);
});

Deno.test("sparseRatingRows: by item is the transpose", () => {
  const m = sparseRatingRows(pairs, 4, 3, "item");
  assertEquals(m.numRows, 3);
  assertEquals(m.numCols, 4);
  assertEquals(Array.from(m.offsets), [0, 1, 2, 4]);
  assertEquals(Array.from(m.cols), [1, 0, 1, 2]);
  assertEquals(Array.from(m.values), [4, 3, 5, 1]);
});

Deno.test("findEntry finds stored entries and reports missing ones as -1", () => {
  const m = sparseRatingRows(pairs, 4, 3, "user");
  assertEquals(m.values[findEntry(m, 1, 2)], 5);
  assertEquals(m.values[findEntry(m, 1, 0)], 4);
  assertEquals(findEntry(m, 1, 1), -1);
  assertEquals(findEntry(m, 3, 0), -1);
});

Deno.test("sparseRowsToJSON / sparseRowsFromJSON round-trip", () => {
  const m = sparseRatingRows(pairs, 4, 3, "user");
  const back = sparseRowsFromJSON(JSON.parse(JSON.stringify(sparseRowsToJSON(m))));
  assertEquals(back, m);
});
