import {
  chiSquareCdf,
  chiSquareQuantile,
  chiSquareSf,
  fCdf,
  fQuantile,
  fSf,
  logGamma,
  normalCdf,
  normalRangeCdf,
  normalRangeQuantile,
  normalSf,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
} from "../lib/stats/distributions.ts";
import { assertAlmostEquals, assertEquals, assertThrows } from "./support/assert.ts";

Deno.test("logGamma: known values", () => {
  assertAlmostEquals(logGamma(1), 0, 1e-14);
  assertAlmostEquals(logGamma(2), 0, 1e-14);
  assertAlmostEquals(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14);
  assertAlmostEquals(logGamma(10), Math.log(362880), 1e-12);
  assertAlmostEquals(logGamma(0.1), Math.log(9.513507698668732), 1e-13);
  assertAlmostEquals(logGamma(101), 363.73937555556347, 1e-9); // ln(100!)
  assertThrows(() => logGamma(0), RangeError);
});

Deno.test("regularized incomplete gamma: closed forms, P + Q = 1", () => {
  for (const x of [0.1, 1, 3, 10, 40]) {
    // P(1, x) = 1 - exp(-x)
    assertAlmostEquals(regularizedGammaP(1, x), 1 - Math.exp(-x), 1e-14);
    assertAlmostEquals(regularizedGammaQ(1, x), Math.exp(-x), 1e-14 * Math.exp(-x) + 1e-300);
    for (const a of [0.5, 2.5, 7]) {
      assertAlmostEquals(regularizedGammaP(a, x) + regularizedGammaQ(a, x), 1, 1e-14);
    }
  }
  // P(1/2, x^2) = erf(x); erf(1) = 0.8427007929497149
  assertAlmostEquals(regularizedGammaP(0.5, 1), 0.8427007929497149, 1e-14);
  assertEquals(regularizedGammaP(3, 0), 0);
  assertEquals(regularizedGammaQ(3, 0), 1);
  assertThrows(() => regularizedGammaP(0, 1), RangeError);
  assertThrows(() => regularizedGammaQ(1, -1), RangeError);
});

Deno.test("chi-square: critical values at 0.05, closed form for df 2, small tails", () => {
  assertAlmostEquals(chiSquareSf(3.841459, 1), 0.05, 1e-6);
  assertAlmostEquals(chiSquareSf(7.814728, 3), 0.05, 1e-6);
  assertAlmostEquals(chiSquareSf(9.487729, 4), 0.05, 1e-6);
  assertAlmostEquals(chiSquareSf(11.344867, 3), 0.01, 1e-6);
  assertAlmostEquals(chiSquareQuantile(0.95, 3), 7.814728, 1e-5);
  assertAlmostEquals(chiSquareQuantile(0.95, 6), 12.591587, 1e-5);
  for (const x of [0.5, 2, 9]) assertAlmostEquals(chiSquareCdf(x, 2), 1 - Math.exp(-x / 2), 1e-14);
  // P(chi2_1 > 100) = 2 P(Z > 10) = 1.5239706e-23: keeps its relative precision.
  assertAlmostEquals(chiSquareSf(100, 1), 1.5239706e-23, 1e-29);
  assertEquals(chiSquareCdf(-1, 3), 0);
  assertEquals(chiSquareSf(0, 3), 1);
  assertThrows(() => chiSquareCdf(1, 0), RangeError);
});

Deno.test("regularized incomplete beta: closed forms and symmetry", () => {
  for (const x of [0.05, 0.3, 0.7, 0.95]) {
    assertAlmostEquals(regularizedBeta(x, 2.5, 1), Math.pow(x, 2.5), 1e-14);
    assertAlmostEquals(regularizedBeta(x, 1, 3.5), 1 - Math.pow(1 - x, 3.5), 1e-14);
    assertAlmostEquals(regularizedBeta(x, 3, 7) + regularizedBeta(1 - x, 7, 3), 1, 1e-14);
  }
  assertAlmostEquals(regularizedBeta(0.5, 4.5, 4.5), 0.5, 1e-14);
  // I_x(2, 2) = 3x^2 - 2x^3
  assertAlmostEquals(regularizedBeta(0.3, 2, 2), 3 * 0.09 - 2 * 0.027, 1e-14);
  assertThrows(() => regularizedBeta(1.5, 1, 1), RangeError);
});

Deno.test("F distribution: critical values, closed form for df1 = 2, t relation", () => {
  // Demšar (2006): F(3, 39) critical value at 0.05 is 2.85 (2.845 to 3 decimals).
  assertAlmostEquals(fQuantile(0.95, 3, 39), 2.845, 5e-4);
  assertAlmostEquals(fSf(2.845, 3, 39), 0.05, 1e-4);
  // The DReX paper's Table 5: F(6, 12) critical value at 0.05 is 2.9961.
  assertAlmostEquals(fQuantile(0.95, 6, 12), 2.9961, 1e-4);
  // F(2, d): P(F > x) = (1 + 2x/d)^(-d/2)
  for (const x of [0.3, 1, 4]) {
    assertAlmostEquals(fSf(x, 2, 9), Math.pow(1 + (2 * x) / 9, -4.5), 1e-14);
    assertAlmostEquals(fCdf(x, 2, 9) + fSf(x, 2, 9), 1, 1e-14);
  }
  // F(1, 10) = t_10^2; two-sided t_10 critical value 2.228139 at 0.05.
  assertAlmostEquals(fSf(2.228139 ** 2, 1, 10), 0.05, 1e-6);
  assertEquals(fSf(0, 3, 39), 1);
  assertEquals(fSf(Infinity, 3, 39), 0);
  assertEquals(fCdf(-2, 3, 39), 0);
});

Deno.test("normal distribution: known values, both tails", () => {
  assertAlmostEquals(normalCdf(0), 0.5, 1e-15);
  assertAlmostEquals(normalCdf(1.959963984540054), 0.975, 1e-14);
  assertAlmostEquals(normalCdf(-1.959963984540054), 0.025, 1e-14);
  assertAlmostEquals(normalCdf(1), 0.8413447460685429, 1e-14);
  assertAlmostEquals(normalSf(8), 6.22096057427178e-16, 1e-25);
  assertAlmostEquals(normalCdf(-8), 6.22096057427178e-16, 1e-25);
});

Deno.test("normalRangeCdf: k = 2 matches the closed form 2 Φ(w / sqrt 2) - 1", () => {
  // The range of two standard normals is |Z1 - Z2| = sqrt(2) |Z|.
  for (const w of [0.2, 1, 2.5, 4]) {
    assertAlmostEquals(normalRangeCdf(w, 2), 2 * normalCdf(w / Math.SQRT2) - 1, 1e-9);
  }
  assertEquals(normalRangeCdf(0, 5), 0);
  // More means, wider range: the CDF falls with k.
  assertAlmostEquals(normalRangeCdf(3, 3) > normalRangeCdf(3, 6) ? 1 : 0, 1);
  assertThrows(() => normalRangeCdf(1, 1), RangeError);
});

Deno.test("normalRangeQuantile: tabulated studentized range q(0.95; k, infinity)", () => {
  assertAlmostEquals(normalRangeQuantile(0.95, 2), 1.959963984540054 * Math.SQRT2, 1e-8);
  // Standard tables of the studentized range, infinite df, to 3 decimals.
  const table: [number, number][] = [
    [3, 3.314],
    [4, 3.633],
    [5, 3.858],
    [6, 4.030],
    [7, 4.170],
    [8, 4.286],
    [9, 4.387],
    [10, 4.474],
  ];
  for (const [k, q] of table) assertAlmostEquals(normalRangeQuantile(0.95, k), q, 5.01e-4);
  assertThrows(() => normalRangeQuantile(1, 3), RangeError);
});
