import { TokenRows } from "../lib/baselines/review_cnn/token_rows.ts";
import type { TokenFeatures } from "../lib/text/token_features.ts";
import { assertEquals, assertThrows } from "./support/assert.ts";
import { withFeaturesInFile } from "./support/features_in_file.ts";

const D = 2;
const vocab = ["a", "b", "c"];
const tokens = [Int32Array.of(0, 2), new Int32Array(0), Int32Array.of(1), Int32Array.of(2, 2, 0)];
const table: TokenFeatures = {
  encoder: "test",
  dim: D,
  vocab,
  tokens,
  table: Float32Array.of(1, 2, 3, 4, 5, 6),
};
const perToken: TokenFeatures = {
  encoder: "test",
  dim: D,
  vocab,
  tokens,
  perToken: tokens.map((t, r) => Float32Array.from({ length: t.length * D }, (_, j) => 10 * r + j)),
};

Deno.test("TokenRows: static features share one row per lemma", () => {
  const rows = new TokenRows(table);
  assertEquals([rows.shared, rows.size, rows.dim], [true, 3, D]);
  assertEquals([rows.id(0, 1), rows.id(3, 0), rows.id(3, 2)], [2, 2, 0]);
  assertEquals(Array.from(rows.copyRows(Int32Array.of(2, 0))), [5, 6, 1, 2, 0, 0]);
});

Deno.test("TokenRows: per-token features give every token its own row, across empty reviews", () => {
  const rows = new TokenRows(perToken);
  assertEquals([rows.shared, rows.size], [false, 6]);
  // Review 1 is empty: review 2's token is row 2, review 3's tokens rows 3..5.
  assertEquals([rows.id(0, 0), rows.id(0, 1), rows.id(2, 0), rows.id(3, 0), rows.id(3, 2)], [
    0,
    1,
    2,
    3,
    5,
  ]);
  assertEquals(
    Array.from(rows.copyRows(Int32Array.of(5, 2, 0, 1))),
    [34, 35, 20, 21, 0, 1, 2, 3, 0, 0],
  );
});

Deno.test("TokenRows rejects features with neither form", () => {
  assertThrows(() => new TokenRows({ encoder: "x", dim: 1, vocab: [], tokens: [] }), TypeError);
});

Deno.test("TokenRows: per-token features in a file give the same rows as in memory", async () => {
  await withFeaturesInFile(perToken, (inFile) => {
    // Runs inside one review (3, 4, 5 and 0, 1) are read at once; a run stops at a review's end (1, 2).
    const ids = Int32Array.of(5, 0, 2, 3, 1, 4, 3, 4, 5, 0, 1, 2);
    assertEquals(new TokenRows(inFile).copyRows(ids), new TokenRows(perToken).copyRows(ids));
  });
});
