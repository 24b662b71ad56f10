import { documentUnits } from "../lib/baselines/review_cnn/document_units.ts";
import { assertEquals } from "./support/assert.ts";

Deno.test("documentUnits encodes a review piece shared by several documents once", () => {
  const { units, members } = documentUnits([
    { rows: Int32Array.of(1, 0), words: Int32Array.of(2, 3) },
    { rows: Int32Array.of(0, 3), words: Int32Array.of(3, 1) },
    { rows: Int32Array.of(0), words: Int32Array.of(2) },
  ]);
  assertEquals(Array.from(units.rows), [1, 0, 3, 0]);
  assertEquals(Array.from(units.words), [2, 3, 1, 2]);
  assertEquals(members.map((m) => Array.from(m)), [[0, 1], [1, 2], [3]]);
});
