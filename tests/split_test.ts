import { dedupe } from "../lib/data/dedupe.ts";
import { filterInteractions } from "../lib/data/filter.ts";
import { readAmazon2018 } from "../lib/data/read_amazon2018.ts";
import { partSizes, splitDataset } from "../lib/data/split.ts";
import type { DatasetSplit, Interaction } from "../lib/data/types.ts";
import { Rng } from "../lib/random.ts";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertNotEquals,
  assertThrows,
} from "./support/assert.ts";
import { hasShared, sharedPath } from "./support/shared.ts";

/** A plain, comparable picture of a split (IdMap keeps its ids in private fields). */
function snapshot(split: DatasetSplit): unknown {
  return {
    users: split.users.ids(),
    items: split.items.ids(),
    train: split.train,
    validation: split.validation,
    test: split.test,
    report: split.report,
  };
}

/** Interactions back in source ids, as sorted JSON strings: a multiset fingerprint. */
function sourceMultiset(split: DatasetSplit): string[] {
  const parts = [...split.train, ...split.validation, ...split.test];
  return parts.map((x) =>
    JSON.stringify([
      split.users.id(x.user),
      split.items.id(x.item),
      x.rating,
      x.review,
      x.timestamp,
    ])
  ).sort();
}

function inputMultiset(xs: readonly Interaction[]): string[] {
  return xs.map((x) => JSON.stringify([x.user, x.item, x.rating, x.review, x.timestamp])).sort();
}

function synthetic(seed: number, users = 300, items = 150): Interaction[] {
  const rng = new Rng(seed);
  const out: Interaction[] = [];
  for (let u = 0; u < users; u++) {
    const n = 1 + rng.int(25);
    for (let k = 0; k < n; k++) {
      const x: Interaction = { user: `user${u}`, item: `item${rng.int(items)}` };
      if (rng.next() < 0.9) x.rating = 1 + rng.int(5);
      if (rng.next() < 0.7) x.review = `review ${rng.int(1000)}`;
      if (rng.next() < 0.8) x.timestamp = 1_500_000_000_000 + rng.int(1e9);
      out.push(x);
    }
  }
  return out;
}

function checkInvariants(split: DatasetSplit, input: readonly Interaction[]): void {
  // No interaction lost or duplicated.
  assertEquals(sourceMultiset(split), inputMultiset(input));
  // Every user keeps a training interaction; every held-out user and item is in train.
  const trainUsers = new Set(split.train.map((x) => x.user));
  const trainItems = new Set(
    split.items.ids().map((_, k) => k).filter((k) => split.train.some((x) => x.item === k)),
  );
  assertEquals(trainUsers.size, split.users.size);
  for (const x of [...split.validation, ...split.test]) {
    assert(trainUsers.has(x.user), `user ${x.user} in train`);
    assert(trainItems.has(x.item), `item ${x.item} in train`);
  }
  // Id maps are sorted source ids covering exactly what occurs.
  const sorted = (ids: readonly string[]): string[] => [...ids].sort((a, b) => a < b ? -1 : 1);
  assertEquals(split.users.ids(), sorted(new Set(input.map((x) => x.user)).values().toArray()));
  assertEquals(split.items.ids(), sorted(new Set(input.map((x) => x.item)).values().toArray()));
  assertEquals(split.report.counts, {
    train: split.train.length,
    validation: split.validation.length,
    test: split.test.length,
  });
}

Deno.test("partSizes: documented rounding, at least one training interaction", () => {
  const r: [number, number, number] = [0.7, 0.1, 0.2];
  assertEquals(partSizes(0, r), [0, 0, 0]);
  assertEquals(partSizes(1, r), [1, 0, 0]);
  assertEquals(partSizes(2, r), [1, 1, 0]);
  assertEquals(partSizes(3, r), [2, 0, 1]);
  assertEquals(partSizes(5, r), [3, 1, 1]);
  assertEquals(partSizes(10, r), [7, 1, 2]);
  assertEquals(partSizes(20, r), [14, 2, 4]);
  assertEquals(partSizes(2, [0.1, 0.4, 0.5]), [1, 0, 1]);
  assertEquals(partSizes(1, [0.1, 0.4, 0.5]), [1, 0, 0]);
  // Randomised rounding: u = 0 rounds down, u close to 1 rounds up; integers stay put.
  assertEquals(partSizes(4, r, 0), [3, 1, 0]);
  assertEquals(partSizes(4, r, 0.99), [2, 1, 1]);
  assertEquals(partSizes(10, r, 0), [7, 1, 2]);
  assertEquals(partSizes(10, r, 0.999999), [7, 1, 2]);
  assertThrows(() => partSizes(4, r, 1), RangeError);
});

Deno.test("splitDataset: ratios hold on average even for users with few interactions", () => {
  const rng = new Rng(17);
  const data: Interaction[] = [];
  for (let u = 0; u < 3000; u++) {
    const n = 3 + (u % 3); // 3, 4 or 5 interactions
    for (let k = 0; k < n; k++) data.push({ user: `u${u}`, item: `i${rng.int(30)}`, rating: 4 });
  }
  const split = splitDataset(data);
  assertEquals(split.report.movedFromValidation + split.report.movedFromTest, 0);
  assertAlmostEquals(split.validation.length / data.length, 0.1, 0.01);
  assertAlmostEquals(split.test.length / data.length, 0.2, 0.01);
  checkInvariants(split, data);
});

Deno.test("splitDataset: invariants on synthetic data", () => {
  const data = synthetic(1);
  const split = splitDataset(data);
  checkInvariants(split, data);
  assertEquals(split.report.seed, 42);
  assertEquals(split.report.ratios, [0.7, 0.1, 0.2]);
});

Deno.test("splitDataset: same seed gives the identical split, another seed a different one", () => {
  const data = synthetic(2);
  const a = splitDataset(data, { seed: 7 });
  const b = splitDataset(data, { seed: 7 });
  assertEquals(snapshot(a), snapshot(b));
  const c = splitDataset(data, { seed: 8 });
  assertNotEquals(c.test, a.test);
  checkInvariants(c, data);
});

Deno.test("splitDataset: input order does not matter", () => {
  const data = synthetic(3);
  const reference = snapshot(splitDataset(data, { seed: 11 }));
  for (const seed of [1, 2, 3]) {
    const shuffled = new Rng(seed).shuffle([...data]);
    assertEquals(snapshot(splitDataset(shuffled, { seed: 11 })), reference);
  }
  assertEquals(snapshot(splitDataset([...data].reverse(), { seed: 11 })), reference);
});

Deno.test("splitDataset: ratios are respected on average", () => {
  // Many items, each seen often, so few interactions need moving.
  const rng = new Rng(5);
  const data: Interaction[] = [];
  for (let u = 0; u < 400; u++) {
    for (let k = 0; k < 20; k++) data.push({ user: `u${u}`, item: `i${rng.int(50)}`, rating: 3 });
  }
  for (const ratios of [[0.7, 0.1, 0.2], [0.8, 0.1, 0.1], [0.6, 0.2, 0.2]] as const) {
    const split = splitDataset(data, { ratios: [...ratios] });
    const n = data.length;
    assertAlmostEquals(split.train.length / n, ratios[0], 0.01);
    assertAlmostEquals(split.validation.length / n, ratios[1], 0.01);
    assertAlmostEquals(split.test.length / n, ratios[2], 0.01);
    checkInvariants(split, data);
  }
});

Deno.test("splitDataset: held-out interactions with an item unseen in train are moved and counted", () => {
  // One user, ten items seen only once: whatever is held out has no training interaction.
  const data: Interaction[] = Array.from({ length: 10 }, (_, k) => ({
    user: "solo",
    item: `only${k}`,
    rating: 4,
  }));
  const split = splitDataset(data);
  assertEquals(split.report.movedFromValidation, 1);
  assertEquals(split.report.movedFromTest, 2);
  assertEquals(split.report.counts, { train: 10, validation: 0, test: 0 });
  checkInvariants(split, data);
});

Deno.test("splitDataset: moving one interaction of an item is enough for the rest", () => {
  // 30 users, each with "shared" and two items of their own; one training interaction per user
  // (ratios give 1 train, 0 validation, 2 test out of 3).
  const data: Interaction[] = [];
  for (let u = 0; u < 30; u++) {
    data.push({ user: `u${u}`, item: "shared", rating: 5 });
    data.push({ user: `u${u}`, item: `own${u}a`, rating: 3 });
    data.push({ user: `u${u}`, item: `own${u}b`, rating: 3 });
  }
  const ratios: [number, number, number] = [1 / 3, 0, 2 / 3];
  for (const u of [0, 0.5, 0.999]) assertEquals(partSizes(3, ratios, u), [1, 0, 2]);
  const split = splitDataset(data, { ratios, seed: 3 });
  checkInvariants(split, data);
  const shared = split.items.index("shared");
  const sharedInTrain = split.train.filter((x) => x.item === shared).length;
  const sharedInTest = split.test.filter((x) => x.item === shared).length;
  assert(sharedInTrain >= 1);
  assert(sharedInTest > 0, "other held-out 'shared' interactions stay in test");
  // Every "own" item occurs once, so all 60 end up in train; each move added one to train.
  assertEquals(split.train.length - sharedInTrain, 60);
  assertEquals(split.report.movedFromTest, split.train.length - 30);
  assertEquals(split.report.movedFromValidation, 0);
});

Deno.test("splitDataset: bad options are refused", () => {
  const data = synthetic(4, 5, 5);
  assertThrows(() => splitDataset(data, { ratios: [0.7, 0.2, 0.2] }), RangeError);
  assertThrows(() => splitDataset(data, { ratios: [0, 0.5, 0.5] }), RangeError);
  assertThrows(() => splitDataset(data, { ratios: [1.1, -0.1, 0] }), RangeError);
  assertThrows(() => splitDataset(data, { seed: 1.5 }), RangeError);
});

for (const file of ["amazon2018_All_Beauty_5.jsonl.gz", "amazon2018_AMAZON_FASHION_5.jsonl.gz"]) {
  const name = `splitDataset: ${file} after dedupe and a relaxed filter`;
  Deno.test({
    name,
    ignore: !hasShared(name, "data", file),
    fn: async () => {
      const raw: Interaction[] = [];
      for await (const x of readAmazon2018(sharedPath("data", file))) raw.push(x);
      const data = filterInteractions(dedupe(raw).interactions, {
        minUserRatings: 3,
        minItemRatings: 3,
        kCore: true,
      }).interactions;
      const split = splitDataset(data);
      checkInvariants(split, data);
      const shuffled = splitDataset(new Rng(1).shuffle([...data]));
      assertEquals(snapshot(shuffled), snapshot(split));
      assertAlmostEquals(split.test.length / data.length, 0.2, 0.1);
    },
  });
}
