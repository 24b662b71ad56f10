import { rankItems } from "../lib/metrics/rank_items.ts";
import { Rng } from "../lib/random.ts";
import { assert, assertEquals, assertLess, assertThrows } from "./support/assert.ts";

Deno.test("rankItems: distinct scores are ordered best first, whatever the seed", () => {
  const scores = Float32Array.of(0.2, 0.9, -1, 0.5, 3);
  for (const seed of [1, 2, 3]) {
    assertEquals(Array.from(rankItems(scores, new Rng(seed))), [4, 1, 3, 0, 2]);
    assertEquals(Array.from(rankItems(scores, new Rng(seed), { k: 2 })), [4, 1]);
  }
});

Deno.test("rankItems: candidates restrict the ranking to the given indices", () => {
  const scores = [5, 4, 3, 2, 1, 0];
  assertEquals(Array.from(rankItems(scores, new Rng(0), { candidates: [5, 2, 3] })), [2, 3, 5]);
  assertEquals(Array.from(rankItems(scores, new Rng(0), { candidates: [5, 2, 3], k: 1 })), [2]);
  assertEquals(Array.from(rankItems(scores, new Rng(0), { candidates: [] })), []);
  assertEquals(Array.from(rankItems(scores, new Rng(0), { k: 0 })), []);
  assertEquals(rankItems(scores, new Rng(0), { k: 99 }).length, 6);
});

Deno.test("rankItems: NaN scores rank below every number", () => {
  const scores = [NaN, -Infinity, 1, NaN, -5];
  const order = Array.from(rankItems(scores, new Rng(4)));
  assertEquals(order.slice(0, 2), [2, 4]);
  assertEquals(new Set(order.slice(2)), new Set([0, 1, 3]));
  // Top-k selection path (k small against n) agrees.
  const many = Array.from({ length: 40 }, (_, j) => (j % 2 === 0 ? NaN : j));
  assertEquals(Array.from(rankItems(many, new Rng(4), { k: 3 })), [39, 37, 35]);
});

Deno.test("rankItems: top-k selection matches the head of the full ranking", () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 50; trial++) {
    const n = 20 + rng.int(200);
    // Few distinct values, so ties are common.
    const scores = Float32Array.from({ length: n }, () => rng.int(12));
    const seed = rng.nextUint32();
    const full = rankItems(scores, new Rng(seed));
    for (const k of [1, 3, 5]) {
      const top = rankItems(scores, new Rng(seed), { k });
      assertEquals(Array.from(top), Array.from(full.subarray(0, k)), `n=${n} k=${k}`);
    }
    // Scores never increase along the ranking; every index appears once.
    for (let j = 1; j < n; j++) assert(scores[full[j]] <= scores[full[j - 1]]);
    assertEquals(new Set(full).size, n);
  }
});

Deno.test("rankItems: ties are broken uniformly at random, not by index", () => {
  // Eight tied candidates behind one clear winner: who comes second?
  const scores = [1, 1, 1, 1, 1, 1, 1, 1, 2];
  const trials = 8000;
  for (const k of [2, 9]) { // selection path and full-sort path
    const counts = new Array(8).fill(0);
    for (let seed = 0; seed < trials; seed++) {
      const order = rankItems(scores, new Rng(seed), { k });
      assertEquals(order[0], 8);
      counts[order[1]]++;
    }
    // Each tied index expects 1000; 4.5 standard deviations is about 134.
    for (const c of counts) assertLess(Math.abs(c - trials / 8), 134, `counts ${counts}`);
  }
});

Deno.test("rankItems: equal seeds give equal rankings; different seeds reorder ties", () => {
  const scores = new Float32Array(30).fill(3);
  const a = rankItems(scores, new Rng(5));
  assertEquals(a, rankItems(scores, new Rng(5)));
  assert(Array.from(a).join() !== Array.from(rankItems(scores, new Rng(6))).join());
  // A tie must not keep the index order.
  assert(Array.from(a).join() !== Array.from({ length: 30 }, (_, j) => j).join());
});

Deno.test("rankItems: bad candidates or k throw", () => {
  assertThrows(() => rankItems([1, 2], new Rng(0), { candidates: [2] }), RangeError, "outside");
  assertThrows(() => rankItems([1, 2], new Rng(0), { candidates: [0.5] }), RangeError);
  assertThrows(() => rankItems([1, 2], new Rng(0), { k: -1 }), RangeError);
});
