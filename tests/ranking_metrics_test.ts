import {
  dcgAtK,
  f1Score,
  hitAtK,
  hitsAtK,
  idealDcgAtK,
  ndcgAtK,
  precisionAtK,
  recallAtK,
} from "../lib/metrics/ranking_metrics.ts";
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "./support/assert.ts";

const L3 = Math.log2(3);

Deno.test("dcgAtK / idealDcgAtK: hand-computed, discount log2(i + 2)", () => {
  const gains = [3, 2, 3, 0, 1, 2];
  const dcg6 = 3 + 2 / L3 + 3 / 2 + 0 / Math.log2(5) + 1 / Math.log2(6) + 2 / Math.log2(7);
  assertAlmostEquals(dcgAtK(gains, 6), dcg6);
  assertAlmostEquals(dcg6, 6.861126, 1e-6);
  assertAlmostEquals(dcgAtK(gains, 1), 3);
  assertAlmostEquals(dcgAtK(gains, 2), 3 + 2 / L3);
  // Ideal order 3, 3, 2, 2, 1, 0.
  const ideal6 = 3 + 3 / L3 + 2 / 2 + 2 / Math.log2(5) + 1 / Math.log2(6);
  assertAlmostEquals(idealDcgAtK(gains, 6), ideal6);
  assertAlmostEquals(ideal6, 7.140995, 1e-6);
  // The input is not reordered.
  assertEquals(gains, [3, 2, 3, 0, 1, 2]);
});

Deno.test("ndcgAtK: hand-computed values, ties in gain, perfect order", () => {
  const gains = [3, 2, 3, 0, 1, 2];
  assertAlmostEquals(ndcgAtK(gains, 6), 6.861126 / 7.140995, 1e-6);
  assertAlmostEquals(ndcgAtK(gains, 1), 1); // top gain 3 is a best possible first item
  assertAlmostEquals(ndcgAtK(gains, 2), (3 + 2 / L3) / (3 + 3 / L3));
  // Tied gains: either 5 first is ideal; a 4 first gives 4/5 at k = 1.
  assertAlmostEquals(ndcgAtK([4, 4, 5], 1), 0.8);
  assertAlmostEquals(ndcgAtK([5, 4, 4], 3), 1);
  assertAlmostEquals(ndcgAtK([5, 4, 4, 4, 1], 20), 1);
});

Deno.test("ndcgAtK: a list shorter than k is scored on all its items", () => {
  assertAlmostEquals(ndcgAtK([2, 1], 5), 1);
  assertAlmostEquals(ndcgAtK([1, 2], 5), (1 + 2 / L3) / (2 + 1 / L3));
  assertAlmostEquals(ndcgAtK([1, 2], 5), ndcgAtK([1, 2], 2));
});

Deno.test("ndcgAtK: explicit ideal gains (relevant items outside the list), zero ideal is NaN", () => {
  // Binary gains, two relevant items, the list found one at rank 2.
  assertAlmostEquals(ndcgAtK([0, 1], 2, { idealGains: [1, 1] }), (1 / L3) / (1 + 1 / L3));
  // Three relevant items, none in a top-2 list.
  assertEquals(ndcgAtK([0, 0], 2, { idealGains: [1, 1, 1] }), 0);
  // One relevant item found first: ideal is reached.
  assertAlmostEquals(ndcgAtK([1, 0, 0], 3, { idealGains: [1] }), 1);
  assert(Number.isNaN(ndcgAtK([0, 0, 0], 3)));
  assert(Number.isNaN(ndcgAtK([], 3)));
});

Deno.test("precisionAtK: denominator k vs min(k, list length)", () => {
  const rel = [true, false, true];
  assertEquals(hitsAtK(rel, 5), 2);
  assertAlmostEquals(precisionAtK(rel, 1), 1);
  assertAlmostEquals(precisionAtK(rel, 2), 0.5);
  assertAlmostEquals(precisionAtK(rel, 5), 2 / 5);
  assertAlmostEquals(precisionAtK(rel, 5, { denominator: "listLength" }), 2 / 3);
  assertAlmostEquals(precisionAtK(rel, 2, { denominator: "listLength" }), 0.5);
  assertEquals(precisionAtK([false, false], 2), 0);
  assertEquals(precisionAtK([], 3), 0);
  assert(Number.isNaN(precisionAtK([], 3, { denominator: "listLength" })));
});

Deno.test("recallAtK: hits over all relevant items; none relevant is NaN", () => {
  const rel = [true, false, true];
  assertAlmostEquals(recallAtK(rel, 1, 4), 0.25);
  assertAlmostEquals(recallAtK(rel, 2, 4), 0.25);
  assertAlmostEquals(recallAtK(rel, 3, 4), 0.5);
  assertAlmostEquals(recallAtK(rel, 10, 2), 1);
  assertEquals(recallAtK([false], 1, 3), 0);
  assert(Number.isNaN(recallAtK([false, false], 2, 0)));
  assertThrows(() => recallAtK(rel, 3, 1), RangeError, "2 hits but only 1");
});

Deno.test("f1Score and hitAtK", () => {
  assertAlmostEquals(f1Score(0.5, 0.25), 1 / 3);
  assertAlmostEquals(f1Score(1, 1), 1);
  assertAlmostEquals(f1Score(2 / 3, 1), 0.8);
  assertEquals(f1Score(0, 0), 0);
  assertEquals(f1Score(0, 1), 0);
  assertEquals(hitAtK([false, true], 1), 0);
  assertEquals(hitAtK([false, true], 2), 1);
  assertEquals(hitAtK([], 2), 0);
});

Deno.test("ranking metrics: k must be a positive integer", () => {
  assertThrows(() => dcgAtK([1], 0), RangeError, "positive integer");
  assertThrows(() => ndcgAtK([1], 1.5), RangeError);
  assertThrows(() => precisionAtK([true], -1), RangeError);
  assertThrows(() => recallAtK([true], 0, 1), RangeError);
  assertThrows(() => hitAtK([true], NaN), RangeError);
});
