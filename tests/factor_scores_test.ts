import {
  allItemScores,
  type FactorParams,
  fillNormal,
  pairScore,
  pairScores,
} from "../lib/baselines/common/factor_scores.ts";
import { Rng } from "../lib/random.ts";
import { assertAlmostEquals, assertEquals } from "./support/assert.ts";

const params: FactorParams = {
  dim: 2,
  mean: 3,
  userBias: Float64Array.of(0.5, -0.5),
  itemBias: Float64Array.of(0.1, 0.2, 0.3),
  userFactors: Float64Array.of(1, 0, 0, 2),
  itemFactors: Float64Array.of(1, 1, 2, 0, 0, -1),
};

Deno.test("pairScore is μ + b_u + b_i + p_u · q_i; a model without biases is p_u · q_i", () => {
  assertAlmostEquals(pairScore(params, 0, 1), 3 + 0.5 + 0.2 + 2);
  assertAlmostEquals(pairScore(params, 1, 2), 3 - 0.5 + 0.3 - 2);
  const plain = { ...params, mean: 0, userBias: undefined, itemBias: undefined };
  assertAlmostEquals(pairScore(plain, 1, 0), 2);
});

Deno.test("allItemScores equals pairScores on every pair", () => {
  const all = allItemScores(params, Int32Array.of(1, 0));
  const users = Int32Array.of(1, 1, 1, 0, 0, 0);
  const items = Int32Array.of(0, 1, 2, 0, 1, 2);
  assertEquals(all, pairScores(params, users, items));
});

Deno.test("fillNormal draws with the requested scale", () => {
  const rng = new Rng(3);
  const v = fillNormal(new Float64Array(20000), 0.1, () => rng.normal());
  const sd = Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
  assertAlmostEquals(sd, 0.1, 0.005);
});
