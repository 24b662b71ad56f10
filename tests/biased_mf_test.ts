import { BiasedMF } from "../lib/baselines/biased_mf/biased_mf.ts";
import { GlobalMean } from "../lib/baselines/global_mean/global_mean.ts";
import { UserItemBias } from "../lib/baselines/user_item_bias/user_item_bias.ts";
import { evaluate } from "../lib/metrics/evaluate.ts";
import { seenItemsByUser } from "../lib/seen_items.ts";
import {
  assert,
  assertEquals,
  assertGreater,
  assertLess,
  assertNotEquals,
  assertRejects,
  assertThrows,
} from "./support/assert.ts";
import { allPairs, fixtureSplit } from "./support/fixture.ts";

const QUIET = { progress: false } as const;

Deno.test("BiasedMF: the same seed gives an identical model, another seed a different one", async () => {
  const split = await fixtureSplit();
  const { users, items } = allPairs(split);
  const fit = async (seed: number) => {
    const m = new BiasedMF({ seed, maxEpochs: 5 });
    await m.fit({ split }, QUIET);
    return m.predict(users, items);
  };
  const a = await fit(7);
  assertEquals(await fit(7), a);
  assertNotEquals(await fit(8), a);
});

Deno.test("BiasedMF: predict agrees with scoreAllItems and with μ + b_u + b_i + p_u·q_i", async () => {
  const split = await fixtureSplit();
  const m = new BiasedMF({ maxEpochs: 5 });
  await m.fit({ split }, QUIET);
  const { users, items } = allPairs(split);
  const all = m.scoreAllItems(Int32Array.from({ length: split.users.size }, (_, u) => u));
  assertEquals(m.predict(users, items), all);
  const p = m.params;
  const [u, i] = [3, 17];
  let expected = p.mean + p.userBias[u] + p.itemBias[i];
  for (let k = 0; k < p.dim; k++) {
    expected += p.userFactors[u * p.dim + k] * p.itemFactors[i * p.dim + k];
  }
  assertEquals(m.predict(Int32Array.of(u), Int32Array.of(i))[0], Math.fround(expected));
});

Deno.test("BiasedMF: save then load gives identical predictions and recommendations", async () => {
  const split = await fixtureSplit();
  const m = new BiasedMF({ maxEpochs: 5 });
  await m.fit({ split }, QUIET);
  const dir = await Deno.makeTempDir();
  try {
    await m.save(`${dir}/model`);
    const loaded = await BiasedMF.load(`${dir}/model`);
    const { users, items } = allPairs(split);
    assertEquals(loaded.predict(users, items), m.predict(users, items));
    assertEquals(loaded.scoreAllItems(Int32Array.of(0, 5)), m.scoreAllItems(Int32Array.of(0, 5)));
    assertEquals(loaded.recommend(4, 10), m.recommend(4, 10));
    assertEquals(loaded.options, m.options);
    assertEquals(loaded.numItems, split.items.size);
    await assertRejects(() => GlobalMean.load(`${dir}/model`), Error, "format");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("BiasedMF: recommend returns k unseen items, best first", async () => {
  const split = await fixtureSplit();
  const m = new BiasedMF({ maxEpochs: 5 });
  await m.fit({ split }, QUIET);
  const seen = seenItemsByUser(split);
  for (let user = 0; user < split.users.size; user++) {
    const recs = m.recommend(user, 10);
    assertEquals(recs.length, 10);
    const scores = m.scoreAllItems(Int32Array.of(user));
    for (const r of recs) {
      assert(!seen[user].includes(r.item), `user ${user} was recommended seen item ${r.item}`);
      assertEquals(r.itemId, split.items.id(r.item));
    }
    for (let j = 1; j < recs.length; j++) {
      assert(scores[recs[j - 1].item] >= scores[recs[j].item]);
    }
  }
});

Deno.test("BiasedMF: beats GlobalMean and UserItemBias clearly on the fixture's test MAE", async () => {
  const split = await fixtureSplit();
  const mf = new BiasedMF();
  await mf.fit({ split }, QUIET);
  const gm = new GlobalMean();
  await gm.fit({ split });
  const bias = new UserItemBias();
  await bias.fit({ split });
  const r = evaluate(mf, split, { protocols: ["test-items", "full"] });
  const rGm = evaluate(gm, split, { protocols: [] });
  const rBias = evaluate(bias, split, { protocols: ["test-items", "full"] });
  assertLess(r.mae, rGm.mae - 0.1);
  assertLess(r.mae, rBias.mae - 0.05);
  assertLess(r.rmse, rBias.rmse);
  assertGreater(r.ranking.full!.ndcg[10], rBias.ranking.full!.ndcg[10]);
});

Deno.test("BiasedMF: keeps the epoch with the best validation MAE", async () => {
  const split = await fixtureSplit();
  // A small L2 weight overfits, so validation MAE rises after its best epoch.
  const m = new BiasedMF({ lambda: 0.001, learningRate: 0.02, patience: 3 });
  const seen: number[] = [];
  const report = await m.fit({ split }, { ...QUIET, onEpoch: (r) => seen.push(r.epoch) });
  assertEquals(seen, report.history.map((r) => r.epoch));
  assert(report.stoppedEarly);
  const best = Math.min(...report.history.map((r) => r.validationMae));
  assertEquals(report.history[report.bestEpoch - 1].validationMae, best);
  assertLess(report.bestEpoch, report.history.length);
  const rated = split.validation.filter((it) => it.rating !== undefined);
  const pred = m.predict(
    Int32Array.from(rated, (it) => it.user),
    Int32Array.from(rated, (it) => it.item),
  );
  const mae = rated.reduce((s, it, j) => s + Math.abs(pred[j] - it.rating!), 0) / rated.length;
  assertLess(Math.abs(mae - best), 1e-5);
});

Deno.test("BiasedMF: an abort signal stops training after the current epoch", async () => {
  const split = await fixtureSplit();
  const ctl = new AbortController();
  const m = new BiasedMF({ maxEpochs: 50 });
  const report = await m.fit({ split }, {
    ...QUIET,
    signal: ctl.signal,
    onEpoch: (r) => r.epoch === 2 && ctl.abort(),
  });
  assertEquals(report.history.length, 2);
  assert(report.stoppedEarly);
});

Deno.test("BiasedMF: SGD also trains", async () => {
  const split = await fixtureSplit();
  const m = new BiasedMF({ optimizer: "sgd", learningRate: 0.2, batchSize: 32, maxEpochs: 20 });
  const report = await m.fit({ split }, QUIET);
  assertLess(report.history.at(-1)!.trainLoss, report.history[0].trainLoss);
});

Deno.test("BiasedMF: bad options, untrained use and bad indices are clear errors", async () => {
  assertThrows(() => new BiasedMF({ latentDim: 0 }), RangeError, "latentDim");
  assertThrows(() => new BiasedMF({ learningRate: -1 }), RangeError, "learningRate");
  assertThrows(() => new BiasedMF({ optimizer: "rmsprop" as "sgd" }), RangeError, "optimizer");
  assertThrows(
    () => new BiasedMF({ latent: 3 } as never),
    RangeError,
    'Unknown BiasedMF option "latent"',
  );
  const m = new BiasedMF({ maxEpochs: 1 });
  assertThrows(() => m.predict(Int32Array.of(0), Int32Array.of(0)), Error, "not trained");
  await m.fit({ split: await fixtureSplit() }, QUIET);
  assertThrows(() => m.predict(Int32Array.of(0), Int32Array.of(999)), RangeError, "item index 999");
  assertThrows(() => m.predict(Int32Array.of(0, 1), Int32Array.of(0)), RangeError);
});
