/**
 * The distribution functions the Friedman and Nemenyi tests need, in plain
 * TypeScript (no statistics dependency):
 *
 * - the log-gamma function (Lanczos approximation, g = 7, 9 terms; about 15
 *   significant digits for positive arguments);
 * - the regularised incomplete gamma functions P(a, x) and Q(a, x) (power
 *   series for x < a + 1, a continued fraction by the modified Lentz method
 *   otherwise), giving the chi-square and normal distributions;
 * - the regularised incomplete beta function I_x(a, b) (its continued
 *   fraction, using the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where the
 *   fraction converges slowly), giving the F distribution;
 * - the distribution of the range of `k` independent standard normals
 *   (the studentized range with infinite degrees of freedom), by numerical
 *   integration, and its quantile by bisection.
 *
 * Upper tails (`...Sf`, survival functions) are computed directly rather
 * than as `1 - cdf`, so small p-values keep their precision.
 *
 * @module
 */

const EPS = 1e-15;
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000;

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/**
 * Natural log of the gamma function, `ln Γ(x)`, for `x > 0`
 * (Lanczos approximation; reflection formula below 0.5).
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: x must be positive, got ${x}`);
  if (x < 0.5) {
    // Γ(x) Γ(1 - x) = π / sin(πx)
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let j = 1; j < LANCZOS.length; j++) sum += LANCZOS[j] / (z + j);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

function checkGammaArgs(a: number, x: number, name: string): void {
  if (!(a > 0) || !(x >= 0)) {
    throw new RangeError(`${name}: need a > 0 and x >= 0, got a = ${a}, x = ${x}`);
  }
}

/** P(a, x) by its power series; accurate for x < a + 1. */
function gammaPSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Q(a, x) by its continued fraction (modified Lentz); accurate for x >= a + 1. */
function gammaQFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Regularised lower incomplete gamma function `P(a, x) = γ(a, x) / Γ(a)`, for `a > 0`, `x >= 0`. */
export function regularizedGammaP(a: number, x: number): number {
  checkGammaArgs(a, x, "regularizedGammaP");
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaPSeries(a, x) : 1 - gammaQFraction(a, x);
}

/** Regularised upper incomplete gamma function `Q(a, x) = 1 - P(a, x)`, computed without cancellation. */
export function regularizedGammaQ(a: number, x: number): number {
  checkGammaArgs(a, x, "regularizedGammaQ");
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaPSeries(a, x) : gammaQFraction(a, x);
}

/** The continued fraction of I_x(a, b) (modified Lentz); converges fast for x < (a + 1) / (a + b + 2). */
function betaFraction(a: number, b: number, x: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    // Even step.
    let an = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + an * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    // Odd step.
    an = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + an * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/**
 * Regularised incomplete beta function `I_x(a, b)`, for `a, b > 0` and
 * `0 <= x <= 1`: the CDF at `x` of a Beta(a, b) variable.
 */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) {
    throw new RangeError(
      `regularizedBeta: need a, b > 0 and 0 <= x <= 1, got x = ${x}, a = ${a}, b = ${b}`,
    );
  }
  if (x === 0) return 0;
  if (x === 1) return 1;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) +
    b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) {
    return (Math.exp(logFront) * betaFraction(a, b, x)) / a;
  }
  return 1 - (Math.exp(logFront) * betaFraction(b, a, 1 - x)) / b;
}

function checkDf(df: number, name: string): void {
  if (!(df > 0) || !Number.isFinite(df)) {
    throw new RangeError(`${name}: degrees of freedom must be positive and finite, got ${df}`);
  }
}

/** CDF of the chi-square distribution with `df` degrees of freedom: `P(X <= x)`. */
export function chiSquareCdf(x: number, df: number): number {
  checkDf(df, "chiSquareCdf");
  if (Number.isNaN(x)) return NaN;
  return x <= 0 ? 0 : regularizedGammaP(df / 2, x / 2);
}

/** Upper tail of the chi-square distribution, `P(X > x)`: the p-value of a chi-square statistic `x`. */
export function chiSquareSf(x: number, df: number): number {
  checkDf(df, "chiSquareSf");
  if (Number.isNaN(x)) return NaN;
  return x <= 0 ? 1 : regularizedGammaQ(df / 2, x / 2);
}

/** CDF of the F distribution with `(df1, df2)` degrees of freedom: `P(X <= x)`. */
export function fCdf(x: number, df1: number, df2: number): number {
  checkDf(df1, "fCdf");
  checkDf(df2, "fCdf");
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  return regularizedBeta((df1 * x) / (df1 * x + df2), df1 / 2, df2 / 2);
}

/** Upper tail of the F distribution, `P(X > x)`: the p-value of an F statistic `x`. */
export function fSf(x: number, df1: number, df2: number): number {
  checkDf(df1, "fSf");
  checkDf(df2, "fSf");
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return regularizedBeta(df2 / (df2 + df1 * x), df2 / 2, df1 / 2);
}

/**
 * The `x` where an increasing function `cdf` reaches `p`, by bisection on
 * `[lo, hi]` (widening `hi` until it brackets), to 1e-12 relative.
 */
function invertIncreasing(cdf: (x: number) => number, p: number, lo: number, hi: number): number {
  while (cdf(hi) < p) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) return Infinity;
  }
  for (let iteration = 0; iteration < 200; iteration++) {
    const mid = 0.5 * (lo + hi);
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
    if (hi - lo <= 1e-12 * Math.max(1, hi)) break;
  }
  return 0.5 * (lo + hi);
}

function checkProbability(p: number, name: string): void {
  if (!(p > 0 && p < 1)) throw new RangeError(`${name}: p must be in (0, 1), got ${p}`);
}

/** Quantile of the chi-square distribution: the `x` with `P(X <= x) = p` (for example the critical value at `p = 1 - alpha`). */
export function chiSquareQuantile(p: number, df: number): number {
  checkProbability(p, "chiSquareQuantile");
  checkDf(df, "chiSquareQuantile");
  return invertIncreasing((x) => chiSquareCdf(x, df), p, 0, Math.max(1, df));
}

/** Quantile of the F distribution: the `x` with `P(X <= x) = p` (the critical value at `p = 1 - alpha`). */
export function fQuantile(p: number, df1: number, df2: number): number {
  checkProbability(p, "fQuantile");
  checkDf(df1, "fQuantile");
  checkDf(df2, "fQuantile");
  return invertIncreasing((x) => fCdf(x, df1, df2), p, 0, 1);
}

/** CDF of the standard normal distribution, `Φ(x)`, accurate in both tails. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const tail = 0.5 * regularizedGammaQ(0.5, (x * x) / 2); // P(Z > |x|)
  return x < 0 ? tail : 1 - tail;
}

/** Upper tail of the standard normal distribution, `1 - Φ(x)`, without cancellation. */
export function normalSf(x: number): number {
  return Number.isNaN(x) ? NaN : normalCdf(-x);
}

/** `Φ(b) - Φ(a)` for `a <= b`, from whichever tail keeps its precision. */
function normalMass(a: number, b: number): number {
  return a >= 0 ? normalSf(a) - normalSf(b) : normalCdf(b) - normalCdf(a);
}

const RANGE_LIMIT = 9; // φ(±9) ≈ 1e-18: the integrand is negligible beyond.
const RANGE_STEPS = 1800; // Simpson panels of width 0.01.

/**
 * CDF of the range `W = max - min` of `k` independent standard normal
 * variables (the studentized range distribution with infinite degrees of
 * freedom): `P(W <= w) = k ∫ φ(x) [Φ(x + w) - Φ(x)]^(k-1) dx`, integrated by
 * composite Simpson's rule over `[-9, 9]` with step 0.01 (error well below
 * 1e-9 for k <= 100).
 */
export function normalRangeCdf(w: number, k: number): number {
  if (!Number.isInteger(k) || k < 2) {
    throw new RangeError(`normalRangeCdf: k must be an integer >= 2, got ${k}`);
  }
  if (Number.isNaN(w)) return NaN;
  if (w <= 0) return 0;
  if (w === Infinity) return 1;
  const h = (2 * RANGE_LIMIT) / RANGE_STEPS;
  const density = 1 / Math.sqrt(2 * Math.PI);
  let sum = 0;
  for (let j = 0; j <= RANGE_STEPS; j++) {
    const x = -RANGE_LIMIT + j * h;
    const weight = j === 0 || j === RANGE_STEPS ? 1 : j % 2 === 1 ? 4 : 2;
    const f = density * Math.exp(-0.5 * x * x) * Math.pow(normalMass(x, x + w), k - 1);
    sum += weight * f;
  }
  return Math.min(1, (k * h * sum) / 3);
}

/**
 * Quantile of the studentized range distribution with infinite degrees of
 * freedom: the `w` with `P(W <= w) = p` for the range `W` of `k` independent
 * standard normals. Nemenyi's critical value is this at `p = 1 - alpha`,
 * divided by `sqrt(2)`.
 *
 * @example
 * ```ts
 * import { normalRangeQuantile } from "./distributions.ts";
 * normalRangeQuantile(0.95, 2); // 2.772 (= 1.960 · sqrt(2))
 * ```
 */
export function normalRangeQuantile(p: number, k: number): number {
  checkProbability(p, "normalRangeQuantile");
  return invertIncreasing((w) => normalRangeCdf(w, k), p, 0, 4);
}
