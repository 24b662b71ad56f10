import { IdMap } from "../lib/data/id_map.ts";
import type { DatasetSplit, IndexedInteraction } from "../lib/data/types.ts";
import {
  DEFAULT_CUTOFFS,
  evaluate,
  type EvaluationResult,
  evaluationRows,
  type ProtocolMetrics,
} from "../lib/metrics/evaluate.ts";
import { Rng } from "../lib/random.ts";
import type { RatingPredictor } from "../lib/recommender.ts";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertLess,
  assertThrows,
} from "./support/assert.ts";

const L3 = Math.log2(3);

function makeSplit(
  numUsers: number,
  numItems: number,
  train: IndexedInteraction[],
  validation: IndexedInteraction[],
  test: IndexedInteraction[],
): DatasetSplit {
  return {
    users: IdMap.from(Array.from({ length: numUsers }, (_, u) => `u${u}`)),
    items: IdMap.from(Array.from({ length: numItems }, (_, i) => `i${i}`)),
    train,
    validation,
    test,
    report: {
      seed: 0,
      ratios: [0.7, 0.1, 0.2],
      movedFromValidation: 0,
      movedFromTest: 0,
      counts: { train: train.length, validation: validation.length, test: test.length },
    },
  };
}

/** A model whose prediction for (u, i) is `table[u][i]`, and which records every user it scores. */
class TableModel implements RatingPredictor {
  readonly scoredUsers: number[] = [];
  constructor(readonly table: number[][]) {}
  get numItems(): number {
    return this.table[0].length;
  }
  predict(users: Int32Array, items: Int32Array): Float32Array {
    return Float32Array.from(users, (u, j) => this.table[u][items[j]]);
  }
  scoreAllItems(users: Int32Array): Float32Array {
    const out = new Float32Array(users.length * this.numItems);
    users.forEach((u, b) => {
      this.scoredUsers.push(u);
      out.set(this.table[u], b * this.numItems);
    });
    return out;
  }
}

/** The same score for everything. */
class ConstantModel implements RatingPredictor {
  constructor(readonly numItems: number) {}
  predict(users: Int32Array): Float32Array {
    return new Float32Array(users.length).fill(3);
  }
  scoreAllItems(users: Int32Array): Float32Array {
    return new Float32Array(users.length * this.numItems).fill(3);
  }
}

/** Knows the test ratings; scores every training/validation item of a user above everything. */
function oracle(split: DatasetSplit): TableModel {
  const table = Array.from({ length: split.users.size }, () => new Array(split.items.size).fill(0));
  for (const x of [...split.train, ...split.validation]) table[x.user][x.item] = 1e6;
  for (const x of split.test) table[x.user][x.item] = x.rating ?? 0;
  return new TableModel(table);
}

/**
 * Three users, six items. Test: u0 rates i1 = 5, i2 = 3, i3 = 4; u1 rates i0 = 2, i4 = 1;
 * u2 rates i5 = 5 and has an unrated test interaction with i3.
 * Seen (train + validation): u0 {i0, i4}, u1 {i1, i2}, u2 {i0, i1, i2}.
 */
function handSplit(): DatasetSplit {
  return makeSplit(
    3,
    6,
    [
      { user: 0, item: 0, rating: 4 },
      { user: 1, item: 1, rating: 3 },
      { user: 1, item: 2, rating: 5 },
      { user: 2, item: 0, rating: 2 },
      { user: 2, item: 1, rating: 4 },
    ],
    [{ user: 0, item: 4, rating: 5 }, { user: 2, item: 2, rating: 1 }],
    [
      { user: 0, item: 1, rating: 5 },
      { user: 0, item: 2, rating: 3 },
      { user: 0, item: 3, rating: 4 },
      { user: 1, item: 0, rating: 2 },
      { user: 1, item: 4, rating: 1 },
      { user: 2, item: 5, rating: 5 },
      { user: 2, item: 3 },
    ],
  );
}

/** Seen items get 9 (they would top every list were they not excluded). */
const HAND_TABLE = [
  [9, 3.0, 4.5, 4.0, 8, 1.0],
  [2.5, 9, 9, 0, 1.5, 0],
  [9, 9, 9, 2.0, 0.5, 4.0],
];

Deno.test("evaluate: MAE and RMSE over rated test interactions only", () => {
  const result = evaluate(new TableModel(HAND_TABLE), handSplit(), { protocols: [] });
  // Errors: u0 (3 vs 5, 4.5 vs 3, 4 vs 4), u1 (2.5 vs 2, 1.5 vs 1), u2 (4 vs 5).
  assertEquals(result.ratedTestInteractions, 6);
  assertAlmostEquals(result.mae, (2 + 1.5 + 0 + 0.5 + 0.5 + 1) / 6);
  assertAlmostEquals(result.rmse, Math.sqrt((4 + 2.25 + 0 + 0.25 + 0.25 + 1) / 6));
  assertEquals(result.ranking, {});
});

Deno.test("evaluate: a score-only model gets no MAE or RMSE, but is still ranked", () => {
  const scoresOnly = Object.assign(new TableModel(HAND_TABLE), { predictsRatings: false });
  const result = evaluate(scoresOnly, handSplit(), { protocols: ["test-items"] });
  const rated = evaluate(new TableModel(HAND_TABLE), handSplit(), { protocols: ["test-items"] });
  assertEquals(result.mae, NaN);
  assertEquals(result.rmse, NaN);
  assertEquals(result.ratedTestInteractions, 6);
  assertEquals(result.ranking, rated.ranking);
});

Deno.test("evaluate: test-items protocol, hand-computed", () => {
  const result = evaluate(new TableModel(HAND_TABLE), handSplit(), {
    protocols: ["test-items"],
    cutoffs: [1, 2, 3, 5],
  });
  const m = result.ranking["test-items"] as ProtocolMetrics;
  assertEquals(result.ranking.full, undefined);
  // u0 and u1 have >= 2 rated test items; u2 has one. Only u0 has a relevant (>= 4) item.
  assertEquals(m.users, 2);
  assertEquals(m.usersWithRelevant, 1);
  // u0 ranks i2 (gain 3), i3 (4), i1 (5); ideal 5, 4, 3. u1 is ranked ideally (NDCG 1).
  const u0 = {
    1: 3 / 5,
    2: (3 + 4 / L3) / (5 + 4 / L3),
    3: (3 + 4 / L3 + 5 / 2) / (5 + 4 / L3 + 3 / 2),
  };
  assertAlmostEquals(m.ndcg[1], (u0[1] + 1) / 2);
  assertAlmostEquals(m.ndcg[2], (u0[2] + 1) / 2);
  assertAlmostEquals(m.ndcg[3], (u0[3] + 1) / 2);
  assertAlmostEquals(m.ndcg[5], (u0[3] + 1) / 2); // list of 3: same as k = 3
  // u0's relevance in rank order: no, yes, yes. Precision divides by min(k, 3).
  assertEquals(m.precision, { 1: 0, 2: 0.5, 3: 2 / 3, 5: 2 / 3 });
  assertEquals(m.recall, { 1: 0, 2: 0.5, 3: 1, 5: 1 });
  assertAlmostEquals(m.f1[1], 0);
  assertAlmostEquals(m.f1[2], 0.5);
  assertAlmostEquals(m.f1[3], 0.8);
  assertAlmostEquals(m.f1[5], 0.8);
  assertEquals(m.hitRate, { 1: 0, 2: 1, 3: 1, 5: 1 });
});

Deno.test("evaluate: full protocol, hand-computed, seen items never ranked", () => {
  const model = new TableModel(HAND_TABLE);
  const result = evaluate(model, handSplit(), { protocols: ["full"], cutoffs: [1, 2, 3, 5] });
  const m = result.ranking.full as ProtocolMetrics;
  // u0 (relevant i1, i3) and u2 (relevant i5); u1 has no relevant test item and is not scored.
  assertEquals(m.users, 2);
  assertEquals(m.usersWithRelevant, 2);
  assertEquals(model.scoredUsers, [0, 2]);
  // u0 candidates {1, 2, 3, 5} rank i2, i3, i1, i5: relevance no, yes, yes, no.
  // u2 candidates {3, 4, 5} rank i5, i3, i4: relevance yes, no, no.
  const idcg2 = 1 + 1 / L3;
  assertAlmostEquals(m.ndcg[1], (0 + 1) / 2);
  assertAlmostEquals(m.ndcg[2], ((1 / L3) / idcg2 + 1) / 2);
  assertAlmostEquals(m.ndcg[3], ((1 / L3 + 1 / 2) / idcg2 + 1) / 2);
  assertAlmostEquals(m.ndcg[5], m.ndcg[3]);
  // Precision divides by k, even past the end of u0's 4 or u2's 3 candidates.
  assertAlmostEquals(m.precision[1], (0 + 1) / 2);
  assertAlmostEquals(m.precision[2], (1 / 2 + 1 / 2) / 2);
  assertAlmostEquals(m.precision[3], (2 / 3 + 1 / 3) / 2);
  assertAlmostEquals(m.precision[5], (2 / 5 + 1 / 5) / 2);
  assertEquals(m.recall, { 1: 0.5, 2: 0.75, 3: 1, 5: 1 });
  assertAlmostEquals(m.f1[1], (0 + 1) / 2);
  assertAlmostEquals(m.f1[2], (0.5 + 2 / 3) / 2);
  assertAlmostEquals(m.f1[5], (2 * 0.4 / 1.4 + 2 * 0.2 / 1.2) / 2);
  assertEquals(m.hitRate, { 1: 0.5, 2: 1, 3: 1, 5: 1 });
});

Deno.test("evaluate: results do not depend on batch sizes", () => {
  const split = randomSplit(3, 40, 25);
  const model = new TableModel(
    Array.from(
      { length: 40 },
      (_, u) => Array.from({ length: 25 }, (_, i) => ((u * 7 + i * 3) % 5)),
    ),
  );
  const a = evaluate(model, split, { seed: 9 });
  const b = evaluate(model, split, { seed: 9, userBatchSize: 1, predictBatchSize: 3 });
  assertEquals(a, b);
});

/** Users with random train/validation/test interactions; every pair at most once. */
function randomSplit(seed: number, numUsers: number, numItems: number): DatasetSplit {
  const rng = new Rng(seed);
  const parts: IndexedInteraction[][] = [[], [], []];
  for (let user = 0; user < numUsers; user++) {
    const items = rng.shuffle(Array.from({ length: numItems }, (_, i) => i));
    const n = 1 + rng.int(Math.min(15, numItems - 1));
    items.slice(0, n).forEach((item, j) => {
      const part = j === 0 ? 0 : rng.pick([0, 0, 0, 1, 2, 2]);
      const x: IndexedInteraction = { user, item };
      if (rng.next() < 0.9) x.rating = 1 + rng.int(5);
      parts[part].push(x);
    });
  }
  return makeSplit(numUsers, numItems, parts[0], parts[1], parts[2]);
}

Deno.test("evaluate: an oracle scores NDCG 1 under both protocols; user counts are right", () => {
  for (const seed of [1, 2]) {
    const split = randomSplit(seed, 120, 30);
    const result = evaluate(oracle(split), split, { seed });
    const rated = split.test.filter((x) => x.rating !== undefined);
    assertEquals(result.ratedTestInteractions, rated.length);
    assertEquals(result.mae, 0);
    const count = (pred: (xs: IndexedInteraction[]) => boolean): number => {
      let n = 0;
      for (let u = 0; u < split.users.size; u++) if (pred(rated.filter((x) => x.user === u))) n++;
      return n;
    };
    const testItems = result.ranking["test-items"] as ProtocolMetrics;
    const full = result.ranking.full as ProtocolMetrics;
    assertEquals(testItems.users, count((xs) => xs.length >= 2));
    assertEquals(
      testItems.usersWithRelevant,
      count((xs) => xs.length >= 2 && xs.some((x) => x.rating! >= 4)),
    );
    assertEquals(full.users, count((xs) => xs.some((x) => x.rating! >= 4)));
    assertEquals(full.usersWithRelevant, full.users);
    assert(testItems.users > 20 && full.users > 20, "enough users to mean something");
    for (const k of DEFAULT_CUTOFFS) {
      assertAlmostEquals(testItems.ndcg[k], 1, 1e-12);
      assertAlmostEquals(full.ndcg[k], 1, 1e-12);
      // Relevant items come first, so the first hit is at rank 1.
      assertEquals(testItems.hitRate[k], 1);
      assertEquals(full.hitRate[k], 1);
    }
    assertEquals(full.precision[1], 1);
    assertEquals(testItems.precision[1], 1);
  }
});

Deno.test("evaluate: full protocol never ranks a training or validation item", () => {
  // Every user's seen items score +Infinity, and so do the user's relevant test items;
  // everything else scores 0. Were a seen item ranked, precision@|relevant| would drop below 1.
  const split = randomSplit(7, 80, 20);
  const table = Array.from({ length: 80 }, () => new Array(20).fill(0));
  for (const x of [...split.train, ...split.validation]) table[x.user][x.item] = Infinity;
  for (const x of split.test) if ((x.rating ?? 0) >= 4) table[x.user][x.item] = Infinity;
  const m = evaluate(new TableModel(table), split, { protocols: ["full"], cutoffs: [1] })
    .ranking.full as ProtocolMetrics;
  assert(m.users > 20);
  assertEquals(m.precision[1], 1);
  assertEquals(m.ndcg[1], 1);
});

/**
 * 2000 users over 50 items; each trains on items 40..49 and has test items
 * 0 (rated 5), 1 (4), 2 (2), 3 (1): the relevant items have the lowest
 * indices, so breaking ties by index would look perfect. `reverse` relabels
 * item i as 49 - i, putting them last instead.
 */
function tiedSplit(reverse: boolean): DatasetSplit {
  const label = (i: number): number => (reverse ? 49 - i : i);
  const train: IndexedInteraction[] = [];
  const test: IndexedInteraction[] = [];
  for (let user = 0; user < 2000; user++) {
    for (let i = 40; i < 50; i++) train.push({ user, item: label(i), rating: 3 });
    [5, 4, 2, 1].forEach((rating, i) => test.push({ user, item: label(i), rating }));
  }
  return makeSplit(2000, 50, train, [], test);
}

Deno.test("evaluate: a constant model gets chance-level rankings, whatever the item order", () => {
  const results: EvaluationResult[] = [false, true].map((reverse) =>
    evaluate(new ConstantModel(50), tiedSplit(reverse), { cutoffs: [1, 2, 10, 20], seed: 3 })
  );
  for (const result of results) {
    const t = result.ranking["test-items"] as ProtocolMetrics;
    const f = result.ranking.full as ProtocolMetrics;
    assertEquals(t.users, 2000);
    assertEquals(f.users, 2000);
    // test-items: in a random order each position holds a gain with mean (5+4+2+1)/4 = 3.
    assertLess(Math.abs(t.ndcg[1] - 3 / 5), 0.03);
    assertLess(Math.abs(t.ndcg[2] - (3 * (1 + 1 / L3)) / (5 + 4 / L3)), 0.03);
    assertLess(Math.abs(t.precision[1] - 0.5), 0.05);
    assertLess(Math.abs(t.recall[2] - 0.5), 0.04);
    // full: 2 relevant among 40 candidates; precision 2/40 at any k, recall k/40.
    assertLess(Math.abs(f.precision[10] - 0.05), 0.01);
    assertLess(Math.abs(f.recall[10] - 0.25), 0.03);
    assertLess(Math.abs(f.recall[20] - 0.5), 0.03);
    // hit@1 = P(one of the 2 relevant items first) = 2/40.
    assertLess(Math.abs(f.hitRate[1] - 0.05), 0.02);
  }
});

Deno.test("evaluate: rejects a model of another size, bad lengths and bad options", () => {
  const split = handSplit();
  assertThrows(() => evaluate(new ConstantModel(7), split), RangeError, "7 items");
  const short: RatingPredictor = {
    numItems: 6,
    predict: () => new Float32Array(1),
    scoreAllItems: (users) => new Float32Array(users.length * 6),
  };
  assertThrows(() => evaluate(short, split), RangeError, "predict returned 1");
  const narrow: RatingPredictor = {
    numItems: 6,
    predict: (users) => new Float32Array(users.length),
    scoreAllItems: (users) => new Float32Array(users.length * 5),
  };
  assertThrows(() => evaluate(narrow, split, { protocols: ["full"] }), RangeError, "scoreAllItems");
  const model = new TableModel(HAND_TABLE);
  assertThrows(() => evaluate(model, split, { cutoffs: [] }), RangeError);
  assertThrows(() => evaluate(model, split, { cutoffs: [0] }), RangeError);
  assertThrows(() => evaluate(model, split, { userBatchSize: 0 }), RangeError);
  assertThrows(
    // deno-lint-ignore no-explicit-any
    () => evaluate(model, split, { protocols: ["bogus" as any] }),
    RangeError,
    "unknown protocol",
  );
});

Deno.test("evaluate: a metric no user counted for is NaN", () => {
  // Nobody rated anything >= 4.
  const split = makeSplit(1, 3, [{ user: 0, item: 0, rating: 1 }], [], [
    { user: 0, item: 1, rating: 2 },
    { user: 0, item: 2, rating: 3 },
  ]);
  const result = evaluate(new ConstantModel(3), split, { cutoffs: [1] });
  const t = result.ranking["test-items"] as ProtocolMetrics;
  assertEquals(t.users, 1);
  assertEquals(t.usersWithRelevant, 0);
  assert(Number.isNaN(t.precision[1]));
  assert(!Number.isNaN(t.ndcg[1]));
  assertEquals(result.ranking.full?.users, 0);
  assert(Number.isNaN(result.ranking.full?.ndcg[1] as number));
});

Deno.test("evaluationRows: one row per number, JSON round trip keeps the result", () => {
  const result = evaluate(new TableModel(HAND_TABLE), handSplit(), { cutoffs: [1, 5] });
  assertEquals(JSON.parse(JSON.stringify(result)), result);
  const rows = evaluationRows(result);
  assertEquals(rows.length, 3 + 2 * (2 + 5 * 2));
  assertEquals(rows[0], { metric: "mae", protocol: "rating", k: null, value: result.mae });
  assertEquals(rows.find((r) => r.metric === "users" && r.protocol === "test-items")?.value, 2);
  const ndcgFull5 = rows.find((r) => r.metric === "ndcg" && r.protocol === "full" && r.k === 5);
  assertEquals(ndcgFull5?.value, result.ranking.full?.ndcg[5]);
  const onlyFull = evaluationRows({ ...result, ranking: { full: result.ranking.full } });
  assertEquals(onlyFull.filter((r) => r.protocol === "test-items").length, 0);
});
