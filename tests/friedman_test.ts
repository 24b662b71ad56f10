import { friedmanTest, rankWithTies, type ResultsTable } from "../lib/stats/friedman.ts";
import { chiSquareSf, fSf } from "../lib/stats/distributions.ts";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertGreater,
  assertLess,
  assertThrows,
} from "./support/assert.ts";

/**
 * Demšar (2006), Table 6: AUC of C4.5, C4.5+m, C4.5+cf and C4.5+m+cf on 14
 * datasets, as printed (3 decimals). The paper ranks C4.5+cf above C4.5+m+cf
 * on "voting" (2 and 3) although both print as 0.975, so its ranks come from
 * unrounded values; `voting` lets a test restore that order.
 */
function demsarTable(voting = [0.972, 0.981, 0.975, 0.975]): ResultsTable {
  return {
    models: ["C4.5", "C4.5+m", "C4.5+cf", "C4.5+m+cf"],
    rows: [
      "adult (sample)",
      "breast cancer",
      "breast cancer wisconsin",
      "cmc",
      "ionosphere",
      "iris",
      "liver disorders",
      "lung cancer",
      "lymphography",
      "mushroom",
      "primary tumor",
      "rheum",
      "voting",
      "wine",
    ],
    values: [
      [0.763, 0.768, 0.771, 0.798],
      [0.599, 0.591, 0.590, 0.569],
      [0.954, 0.971, 0.968, 0.967],
      [0.628, 0.661, 0.654, 0.657],
      [0.882, 0.888, 0.886, 0.898],
      [0.936, 0.931, 0.916, 0.931],
      [0.661, 0.668, 0.609, 0.685],
      [0.583, 0.583, 0.563, 0.625],
      [0.775, 0.838, 0.866, 0.875],
      [1.000, 1.000, 1.000, 1.000],
      [0.940, 0.962, 0.965, 0.962],
      [0.619, 0.666, 0.614, 0.669],
      voting,
      [0.957, 0.978, 0.946, 0.970],
    ],
    higherIsBetter: true,
  };
}

Deno.test("rankWithTies: 1 = best, ties share the average rank", () => {
  assertEquals(rankWithTies([0.9, 0.7, 0.9], true), [1.5, 3, 1.5]);
  assertEquals(rankWithTies([1, 2, 2, 3], false), [1, 2.5, 2.5, 4]);
  assertEquals(rankWithTies([1, 2, 2, 3], true), [4, 2.5, 2.5, 1]);
  assertEquals(rankWithTies([5, 5, 5, 5], true), [2.5, 2.5, 2.5, 2.5]);
  assertEquals(rankWithTies([3, 1, 2], false), [3, 1, 2]);
  assertThrows(() => rankWithTies([1, NaN], true), RangeError);
});

Deno.test("friedmanTest: Demšar's worked example (chi2_F = 9.28, F_F = 3.69)", () => {
  const result = friedmanTest(demsarTable([0.972, 0.981, 0.97501, 0.975]));
  // Rank sums by hand: 44, 28, 40.5, 27.5 over 14 rows; Demšar: 3.143, 2.000, 2.893, 1.964.
  const expected = [44 / 14, 2, 40.5 / 14, 27.5 / 14];
  result.averageRanks.forEach((r, j) => assertAlmostEquals(r, expected[j], 1e-12));
  assertEquals(result.ranks[5], [1, 2.5, 4, 2.5]); // iris: tie between C4.5+m and C4.5+m+cf
  assertEquals(result.ranks[9], [2.5, 2.5, 2.5, 2.5]); // mushroom: all tied
  // 12·14/20 · ((44² + 28² + 40.5² + 27.5²)/196 − 25) = 8.4 · 1.1045918 = 9.2785714
  assertAlmostEquals(result.chiSquare, 9.2785714, 1e-6);
  assertAlmostEquals(result.chiSquare, 9.28, 0.005);
  // 13 · 9.2785714 / (42 − 9.2785714) = 3.68631
  assertAlmostEquals(result.imanDavenport, 3.68631, 1e-5);
  assertAlmostEquals(result.imanDavenport, 3.69, 0.005);
  assertEquals(result.chiSquareDf, 3);
  assertEquals(result.imanDavenportDf, [3, 39]);
  assertEquals(result.blocks, 14);
  assertAlmostEquals(result.imanDavenportCritical, 2.85, 0.005);
  assertAlmostEquals(result.chiSquareCritical, 7.815, 5e-4);
  // 9.28 lies between the 0.05 (7.815) and 0.025 (9.348) chi-square(3) critical values.
  assertGreater(result.chiSquarePValue, 0.025);
  assertLess(result.chiSquarePValue, 0.05);
  assertAlmostEquals(result.chiSquarePValue, chiSquareSf(result.chiSquare, 3), 1e-15);
  assertAlmostEquals(result.imanDavenportPValue, fSf(result.imanDavenport, 3, 39), 1e-15);
  assertLess(result.imanDavenportPValue, result.chiSquarePValue); // F_F is less conservative
  assert(result.rejected);
});

Deno.test("friedmanTest: the table as printed ties C4.5+cf and C4.5+m+cf on voting", () => {
  const result = friedmanTest(demsarTable());
  assertEquals(result.ranks[12], [4, 1, 2.5, 2.5]);
  // Rank sums 44, 28, 41, 27.
  const expected = [44 / 14, 2, 41 / 14, 27 / 14];
  result.averageRanks.forEach((r, j) => assertAlmostEquals(r, expected[j], 1e-12));
});

Deno.test("friedmanTest: lower-is-better tables rank the other way", () => {
  const table = demsarTable([0.972, 0.981, 0.97501, 0.975]);
  const negated: ResultsTable = {
    ...table,
    values: table.values.map((row) => row.map((v) => -v)),
    higherIsBetter: false,
  };
  assertEquals(friedmanTest(negated).averageRanks, friedmanTest(table).averageRanks);
  assertEquals(friedmanTest(negated).chiSquare, friedmanTest(table).chiSquare);
});

/** NDCG@k of the DReX paper's Table 4 (3 datasets), for the 7 models. */
const PAPER_MODELS = ["EMF", "DMF", "DeepCoNN", "NARRE", "PESI", "DReX", "DReX-MLP"];
const PAPER_NDCG: Record<string, number[][]> = {
  "1": [
    [0.4197, 0.3752, 0.4864, 0.4899, 0.6104, 0.6720, 0.6490],
    [0.4803, 0.4227, 0.5162, 0.5023, 0.6666, 0.6512, 0.6765],
    [0.4896, 0.4484, 0.5345, 0.5534, 0.6482, 0.7333, 0.7073],
  ],
  "5": [
    [0.6978, 0.6685, 0.7392, 0.7358, 0.8511, 0.9118, 0.9109],
    [0.7164, 0.6890, 0.7480, 0.7602, 0.8604, 0.9185, 0.9264],
    [0.7397, 0.7172, 0.7788, 0.7877, 0.8920, 0.9594, 0.9591],
  ],
  "10": [
    [0.7596, 0.7403, 0.7930, 0.7901, 0.8990, 0.9578, 0.9595],
    [0.7538, 0.7380, 0.7866, 0.7940, 0.8974, 0.9524, 0.9568],
    [0.7689, 0.7540, 0.8052, 0.8081, 0.9100, 0.9732, 0.9742],
  ],
};

Deno.test("friedmanTest: the DReX paper's Table 5 (F_F 29.5, 61, 124; critical 2.9961)", () => {
  // Rank sums by hand (NDCG@1): 18, 21, 14, 13, 8, 5, 5 -> chi2 = 1244/14 - 72 = 16.857,
  // F_F = 2 chi2 / (18 - chi2) = 29.5. NDCG@5: sum of squares 1252 -> 61; NDCG@10: 1256 -> 124.
  const expected: Record<string, number> = { "1": 29.5, "5": 61, "10": 124 };
  for (const [k, values] of Object.entries(PAPER_NDCG)) {
    const result = friedmanTest({ models: PAPER_MODELS, values, higherIsBetter: true });
    assertAlmostEquals(result.imanDavenport, expected[k], 1e-9);
    assertEquals(result.imanDavenportDf, [6, 12]);
    assertAlmostEquals(result.imanDavenportCritical, 2.9961, 1e-4);
    assert(result.rejected);
  }
  const at10 = friedmanTest({
    models: PAPER_MODELS,
    values: PAPER_NDCG["10"],
    higherIsBetter: true,
  });
  assertEquals(at10.averageRanks, [6, 7, 14 / 3, 13 / 3, 3, 2, 1]);
});

Deno.test("friedmanTest: identical rankings give F_F = Infinity, p = 0; equal models p = 1", () => {
  const agree = friedmanTest({
    models: ["a", "b", "c"],
    values: [[3, 2, 1], [30, 20, 10], [0.3, 0.2, 0.1]],
    higherIsBetter: true,
  });
  assertAlmostEquals(agree.chiSquare, 6, 1e-12); // N(k - 1)
  assertEquals(agree.imanDavenport, Infinity);
  assertEquals(agree.imanDavenportPValue, 0);
  const tied = friedmanTest({
    models: ["a", "b", "c"],
    values: [[1, 1, 1], [2, 2, 2]],
    higherIsBetter: false,
  });
  assertEquals(tied.chiSquare, 0);
  assertEquals(tied.chiSquarePValue, 1);
  assertEquals(tied.imanDavenportPValue, 1);
  assert(!tied.rejected);
});

Deno.test("friedmanTest: rejects malformed tables", () => {
  const ok = { models: ["a", "b"], values: [[1, 2], [2, 1]], higherIsBetter: true };
  friedmanTest(ok);
  assertThrows(() => friedmanTest({ ...ok, models: ["a"], values: [[1], [2]] }), RangeError);
  assertThrows(() => friedmanTest({ ...ok, values: [[1, 2]] }), RangeError, "2 rows");
  assertThrows(() => friedmanTest({ ...ok, values: [[1, 2], [1]] }), RangeError, "1 values");
  assertThrows(
    () => friedmanTest({ ...ok, rows: ["x", "y"], values: [[1, 2], [NaN, 1]] }),
    RangeError,
    'y, model "a" is NaN',
  );
  assertThrows(() => friedmanTest({ ...ok, rows: ["x"] }), RangeError, "row labels");
  assertThrows(() => friedmanTest(ok, { alpha: 0 }), RangeError);
});

Deno.test("rankWithTies: values equal within a relative 1e-9 tie (float noise is no ranking)", () => {
  assertEquals(rankWithTies([0.8333333333333334, 0.8333333333333333, 0.9], false), [1.5, 1.5, 3]);
  assertEquals(rankWithTies([1e-12, 2e-12], false), [1, 2]); // near zero, differences still count
  assertEquals(rankWithTies([0.8, 0.8 + 1e-6], false), [1, 2]); // real differences count
  assertEquals(rankWithTies([0.8, 0.8 + 1e-6], false, { relativeTolerance: 1e-3 }), [1.5, 1.5]);
  assertEquals(rankWithTies([0.1, 0.2], true, { relativeTolerance: 0 }), [2, 1]);
  assertThrows(() => rankWithTies([1, 2], true, { relativeTolerance: -1 }), RangeError);
});

Deno.test("friedmanTest: float noise in the table gives χ² = 0, not a spurious ranking", () => {
  const r = friedmanTest({
    models: ["seeded", "deterministic"],
    values: [[0.8333333333333334, 0.8333333333333333], [0.8333333333333334, 0.8333333333333333]],
    higherIsBetter: false,
  });
  assertEquals(r.chiSquare, 0);
});
