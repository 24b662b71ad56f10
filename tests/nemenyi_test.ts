import { friedmanTest } from "../lib/stats/friedman.ts";
import { criticalDifference, nemenyiCriticalValue, nemenyiTest } from "../lib/stats/nemenyi.ts";
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "./support/assert.ts";

Deno.test("nemenyiCriticalValue: Demšar's Table 5 for k = 2..10", () => {
  // Demšar's values are tabulated studentized range quantiles (3 decimals)
  // divided by sqrt(2), so they can be off by up to about 7e-4 (k = 3, 7).
  const q05 = [1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164];
  const q10 = [1.645, 2.052, 2.291, 2.459, 2.589, 2.693, 2.780, 2.855, 2.920];
  for (let k = 2; k <= 10; k++) {
    assertAlmostEquals(nemenyiCriticalValue(k, 0.05), q05[k - 2], 1e-3, `q0.05 k=${k}`);
    assertAlmostEquals(nemenyiCriticalValue(k, 0.10), q10[k - 2], 1e-3, `q0.10 k=${k}`);
  }
  // k = 2: the two-sided normal quantiles exactly.
  assertAlmostEquals(nemenyiCriticalValue(2, 0.05), 1.959963984540054, 1e-8);
  assertAlmostEquals(nemenyiCriticalValue(2, 0.10), 1.6448536269514722, 1e-8);
  assertThrows(() => nemenyiCriticalValue(4, 1.5), RangeError);
});

Deno.test("criticalDifference: the DReX paper, k = 7 models over N = 3 datasets: CD = 5.202", () => {
  // 2.949 · sqrt(7·8 / 18) = 5.2016
  assertAlmostEquals(criticalDifference(7, 3, 2.949), 5.202, 5e-4);
  assertAlmostEquals(criticalDifference(7, 3, nemenyiCriticalValue(7, 0.05)), 5.202, 3e-3);
  // Demšar's example: k = 4, N = 14, 2.569 · sqrt(20/84) = 1.25.
  assertAlmostEquals(criticalDifference(4, 14, 2.569), 1.25, 5e-3);
  assertThrows(() => criticalDifference(1, 3, 2), RangeError);
});

Deno.test("nemenyiTest: Demšar's example, nothing significant at 0.05, C4.5 worse at 0.10", () => {
  const friedman = friedmanTest({
    models: ["C4.5", "C4.5+m", "C4.5+cf", "C4.5+m+cf"],
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
      [0.972, 0.981, 0.97501, 0.975],
      [0.957, 0.978, 0.946, 0.970],
    ],
    higherIsBetter: true,
  });
  // Average ranks 3.143 (C4.5), 2.000, 2.893, 1.964: largest difference 1.179.
  const at05 = nemenyiTest(friedman, { alpha: 0.05 });
  assertEquals(at05.models, ["C4.5+m+cf", "C4.5+m", "C4.5+cf", "C4.5"]);
  assertAlmostEquals(at05.criticalDifference, 1.25, 5e-3);
  assertEquals(at05.pairs.filter((p) => p.significant), []);
  assertEquals(at05.groups, [["C4.5+m+cf", "C4.5+m", "C4.5+cf", "C4.5"]]);
  // CD at 0.10 = 2.291 · sqrt(20/84) = 1.118 < 1.143 (C4.5 vs C4.5+m) < 1.179.
  const at10 = nemenyiTest(friedman, { alpha: 0.10 });
  assertAlmostEquals(at10.criticalDifference, 1.118, 1e-3);
  const significant = at10.pairs.filter((p) => p.significant).map((p) => [p.better, p.worse]);
  assertEquals(significant, [["C4.5+m+cf", "C4.5"], ["C4.5+m", "C4.5"]]);
  assertEquals(at10.groups, [["C4.5+m+cf", "C4.5+m", "C4.5+cf"], ["C4.5+cf", "C4.5"]]);
  assertEquals(at10.pairs.length, 6);
  const pair = at10.pairs.find((p) => p.better === "C4.5+m+cf" && p.worse === "C4.5");
  assertAlmostEquals(pair?.rankDifference as number, (44 - 27.5) / 14, 1e-12);
});

Deno.test("nemenyiTest: the DReX paper's NDCG@10 ranks, CD 5.202", () => {
  const result = nemenyiTest({
    models: ["EMF", "DMF", "DeepCoNN", "NARRE", "PESI", "DReX", "DReX-MLP"],
    averageRanks: [6, 7, 14 / 3, 13 / 3, 3, 2, 1],
    blocks: 3,
  }, { criticalValue: 2.949 });
  assertAlmostEquals(result.criticalDifference, 5.202, 5e-4);
  assertEquals(result.k, 7);
  // Only DReX-MLP (1) vs DMF (7) differ by at least 5.202.
  const significant = result.pairs.filter((p) => p.significant).map((p) => [p.better, p.worse]);
  assertEquals(significant, [["DReX-MLP", "DMF"]]);
  assertEquals(result.groups, [
    ["DReX-MLP", "DReX", "PESI", "NARRE", "DeepCoNN", "EMF"],
    ["DReX", "PESI", "NARRE", "DeepCoNN", "EMF", "DMF"],
  ]);
});

Deno.test("nemenyiTest: a model apart from all others is a group of its own", () => {
  // k = 3, N = 2, q = 1: CD = sqrt(12 / 12) = 1.
  const result = nemenyiTest(
    { models: ["A", "B", "C"], averageRanks: [1, 2.5, 2.9], blocks: 2 },
    { criticalValue: 1 },
  );
  assertAlmostEquals(result.criticalDifference, 1, 1e-15);
  assertEquals(result.groups, [["A"], ["B", "C"]]);
  assert(result.pairs.find((p) => p.worse === "B")?.significant);
  // A difference of exactly CD is significant ("at least CD", Demšar).
  const edge = nemenyiTest(
    { models: ["A", "B"], averageRanks: [1, 2], blocks: 1 },
    { criticalValue: 1 },
  );
  assertEquals(edge.pairs[0].significant, true);
  assertEquals(edge.groups, [["A"], ["B"]]);
  assertThrows(
    () => nemenyiTest({ models: ["A"], averageRanks: [1, 2], blocks: 2 }),
    RangeError,
    "2 ranks for 1 models",
  );
});
