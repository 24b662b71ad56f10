import { EMF } from "../lib/baselines/emf/emf.ts";
import { GlobalMean } from "../lib/baselines/global_mean/global_mean.ts";
import { UserItemBias } from "../lib/baselines/user_item_bias/user_item_bias.ts";
import { evaluate } from "../lib/metrics/evaluate.ts";
import { seenItemsByUser } from "../lib/seen_items.ts";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertLess,
  assertNotEquals,
  assertStringIncludes,
  assertThrows,
} from "./support/assert.ts";
import { allPairs, fixtureSplit } from "./support/fixture.ts";

const QUIET = { progress: false } as const;

Deno.test("EMF: the same seed gives an identical model, another seed a different one", async () => {
  const split = await fixtureSplit();
  const { users, items } = allPairs(split);
  const fit = async (seed: number) => {
    const m = new EMF({ seed, maxEpochs: 5 });
    await m.fit({ split }, QUIET);
    return m.predict(users, items);
  };
  const a = await fit(7);
  assertEquals(await fit(7), a);
  assertNotEquals(await fit(8), a);
});

Deno.test("EMF: predict agrees with scoreAllItems and with p_u · q_i", async () => {
  const split = await fixtureSplit();
  const m = new EMF({ maxEpochs: 5 });
  await m.fit({ split }, QUIET);
  const { users, items } = allPairs(split);
  const all = m.scoreAllItems(Int32Array.from({ length: split.users.size }, (_, u) => u));
  assertEquals(m.predict(users, items), all);
  const p = m.params;
  let dot = 0;
  for (let k = 0; k < p.dim; k++) {
    dot += p.userFactors[2 * p.dim + k] * p.itemFactors[9 * p.dim + k];
  }
  assertEquals(m.predict(Int32Array.of(2), Int32Array.of(9))[0], Math.fround(dot));
});

Deno.test("EMF: save then load gives identical predictions, recommendations and explanations", async () => {
  const split = await fixtureSplit();
  const m = new EMF({ maxEpochs: 5 });
  await m.fit({ split }, QUIET);
  const dir = await Deno.makeTempDir();
  try {
    await m.save(`${dir}/emf`);
    const loaded = await EMF.load(`${dir}/emf`);
    const { users, items } = allPairs(split);
    assertEquals(loaded.predict(users, items), m.predict(users, items));
    assertEquals(loaded.scoreAllItems(Int32Array.of(1, 2)), m.scoreAllItems(Int32Array.of(1, 2)));
    for (const u of [0, 7, 50]) assertEquals(loaded.recommend(u, 10), m.recommend(u, 10));
    assertEquals(loaded.neighboursOf(3), m.neighboursOf(3));
    assertEquals(loaded.explain(3, 11), m.explain(3, 11));
    assertEquals(loaded.options, m.options);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("EMF: recommend returns k unseen items, best first", async () => {
  const split = await fixtureSplit();
  const m = new EMF({ maxEpochs: 5 });
  await m.fit({ split }, QUIET);
  const seen = seenItemsByUser(split);
  for (let user = 0; user < split.users.size; user++) {
    const recs = m.recommend(user, 10);
    assertEquals(recs.length, 10);
    const scores = m.scoreAllItems(Int32Array.of(user));
    for (const r of recs) {
      assert(!seen[user].includes(r.item), `user ${user} got seen item ${r.item}`);
    }
    for (let j = 1; j < recs.length; j++) assert(scores[recs[j - 1].item] >= scores[recs[j].item]);
  }
});

Deno.test("EMF: explanations cite neighbours who really rated the item in training", async () => {
  const split = await fixtureSplit();
  const m = new EMF({ maxEpochs: 3, neighbours: 10 });
  await m.fit({ split }, QUIET);
  const trained = new Map<string, number>();
  for (const it of split.train) trained.set(`${it.user}:${it.item}`, it.rating!);
  let explained = 0;
  for (let user = 0; user < 20; user++) {
    const nb = Array.from(m.neighboursOf(user));
    assert(nb.length <= 10 && !nb.includes(user));
    for (const rec of m.recommend(user, 5)) {
      const why = m.explain(user, rec.item);
      for (const x of why.neighbours) {
        assert(nb.includes(x.user));
        assertEquals(trained.get(`${x.user}:${rec.item}`), x.rating);
      }
      const raters = nb.filter((v) => trained.has(`${v}:${rec.item}`));
      assertEquals(why.neighbours.map((x) => x.user), raters);
      assertAlmostEquals(why.score, raters.length / 10);
      if (raters.length === 0) {
        assertEquals(rec.explanation, undefined);
        continue;
      }
      explained++;
      const text = rec.explanation!.reviews![0].text;
      assertStringIncludes(text, `${raters.length} of your 10 most similar users rated it`);
      for (const v of raters) assertStringIncludes(text, split.users.id(v));
      assertEquals(rec.explanation!.reviews![0].weight, why.score);
    }
  }
  assert(explained > 50, `only ${explained} of 100 recommendations were explainable`);
});

Deno.test("EMF: the explainability weight pulls users toward the items their neighbours rated", async () => {
  const split = await fixtureSplit();
  const gap = async (explainabilityWeight: number) => {
    const m = new EMF({ explainabilityWeight, maxEpochs: 20, patience: 100 });
    await m.fit({ split }, QUIET);
    const p = m.params;
    let sum = 0;
    let n = 0;
    for (const it of split.train) {
      if (m.explain(it.user, it.item).score === 0) continue;
      for (let k = 0; k < p.dim; k++) {
        sum += (p.userFactors[it.user * p.dim + k] - p.itemFactors[it.item * p.dim + k]) ** 2;
      }
      n++;
    }
    return sum / n;
  };
  assertLess(await gap(3), 0.8 * await gap(0));
});

Deno.test("EMF: beats GlobalMean (and UserItemBias) on the fixture's test MAE", async () => {
  const split = await fixtureSplit();
  const emf = new EMF();
  await emf.fit({ split }, QUIET);
  const gm = new GlobalMean();
  await gm.fit({ split });
  const bias = new UserItemBias();
  await bias.fit({ split });
  const r = evaluate(emf, split, { protocols: [] });
  assertLess(r.mae, evaluate(gm, split, { protocols: [] }).mae - 0.1);
  assertLess(r.mae, evaluate(bias, split, { protocols: [] }).mae - 0.05);
});

Deno.test("EMF: bad options and untrained use are clear errors", () => {
  assertThrows(() => new EMF({ neighbours: 0 }), RangeError, "neighbours");
  assertThrows(() => new EMF({ threshold: 1 }), RangeError, "threshold");
  assertThrows(() => new EMF({ explainabilityWeight: -1 }), RangeError, "explainabilityWeight");
  assertThrows(() => new EMF({ beta: 1 } as never), RangeError, 'Unknown EMF option "beta"');
  assertThrows(() => new EMF().recommend(0, 3), Error, "not trained");
});
