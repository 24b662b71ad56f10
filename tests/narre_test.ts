import * as tf from "@tensorflow/tfjs";
import { PooledReviewCnn } from "../lib/baselines/deepconn/pooled_review_cnn.ts";
import { entityReviews } from "../lib/baselines/deepconn/review_documents.ts";
import { TokenRows } from "../lib/baselines/deepconn/token_rows.ts";
import { GlobalMean } from "../lib/baselines/global_mean/global_mean.ts";
import { Narre } from "../lib/baselines/narre/narre.ts";
import { NarreNetwork } from "../lib/baselines/narre/narre_network.ts";
import { createNarreParams, narreVariables } from "../lib/baselines/narre/narre_params.ts";
import { resolveNarreOptions } from "../lib/baselines/narre/options.ts";
import { initBackend } from "../lib/backend/init.ts";
import { prepareDataset } from "../lib/data/prepare.ts";
import { loadInteractions } from "../lib/data/read_interactions.ts";
import { evaluate } from "../lib/metrics/evaluate.ts";
import { Rng } from "../lib/random.ts";
import { seenItemsByUser } from "../lib/seen_items.ts";
import { extractFeatures } from "../lib/text/extract_features.ts";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertLess,
  assertLessOrEqual,
  assertNotEquals,
  assertRejects,
  assertThrows,
} from "./support/assert.ts";
import { repoPath } from "./support/shared.ts";

await initBackend("wasm");
const { interactions } = await loadInteractions(repoPath("fixtures", "synthetic", "reviews.jsonl"));
const { split } = prepareDataset(interactions);
const { features } = await extractFeatures(split.train.map((it) => it.review), { cache: false });
const input = { split, features };
/** Small and quick: enough to exercise every code path. */
const SMALL = { filters: 8, latentDim: 8, attentionDim: 4, maxEpochs: 2, batchSize: 128 } as const;
const ALL_USERS = Int32Array.from({ length: split.users.size }, (_, u) => u);

Deno.test("NARRE: the same seed gives an identical model; another seed a different one", async () => {
  const a = new Narre({ ...SMALL, seed: 7 });
  const b = new Narre({ ...SMALL, seed: 7 });
  const c = new Narre({ ...SMALL, seed: 8 });
  for (const m of [a, b, c]) await m.fit(input, { progress: false });
  assertEquals(a.scoreAllItems(ALL_USERS), b.scoreAllItems(ALL_USERS));
  assertEquals(a.report.history.map((h) => h.trainLoss), b.report.history.map((h) => h.trainLoss));
  assertEquals(a.explain(0, 0), b.explain(0, 0));
  assertNotEquals(a.scoreAllItems(ALL_USERS), c.scoreAllItems(ALL_USERS));
  for (const m of [a, b, c]) m.dispose();
});

Deno.test("NARRE: save then load gives identical predictions, scores, recommendations and explanations", async () => {
  const model = new Narre({ ...SMALL, maxEpochs: 1 });
  await model.fit(input, { progress: false });
  const dir = await Deno.makeTempDir();
  try {
    await model.save(`${dir}/model`);
    const loaded = await Narre.load(`${dir}/model`);
    const users = Int32Array.from(split.test, (it) => it.user);
    const items = Int32Array.from(split.test, (it) => it.item);
    assertEquals(loaded.predict(users, items), model.predict(users, items));
    assertEquals(loaded.scoreAllItems(ALL_USERS), model.scoreAllItems(ALL_USERS));
    assertEquals(loaded.recommend(3, 5), model.recommend(3, 5));
    assertEquals(loaded.options, model.options);
    loaded.dispose();
    await Deno.writeTextFile(
      `${dir}/model/model.json`,
      (await Deno.readTextFile(`${dir}/model/model.json`)).replace(
        '"format":"drex-narre"',
        '"format":"x"',
      ),
    );
    await assertRejects(() => Narre.load(`${dir}/model`), Error, "format");
  } finally {
    model.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("NARRE: the live tensor count stays flat from epoch to epoch, and dispose frees it all", async () => {
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  const model = new Narre({ ...SMALL, maxEpochs: 4, patience: 10, dropout: 0.5, lambda: 0.001 });
  await model.fit(input, {
    progress: false,
    onEpoch: () => counts.push(tf.memory().numTensors),
  });
  assertEquals(counts.length, 4);
  assertEquals(new Set(counts).size, 1, `tensor counts per epoch: ${counts}`);
  model.predict(Int32Array.of(0), Int32Array.of(0));
  model.recommend(0, 3);
  model.dispose();
  assertEquals(tf.memory().numTensors, before);
});

Deno.test("NARRE: predict and scoreAllItems agree exactly, within the rating scale", async () => {
  const model = new Narre({ ...SMALL, maxEpochs: 1 });
  await model.fit(input, { progress: false });
  const users = Int32Array.of(0, 5, 17);
  const all = model.scoreAllItems(users);
  const nI = model.numItems;
  users.forEach((u, b) => {
    const items = Int32Array.from({ length: nI }, (_, i) => i);
    const row = model.predict(new Int32Array(nI).fill(u), items);
    assertEquals(row, all.slice(b * nI, (b + 1) * nI));
  });
  assert(all.every((v) => v >= 1 && v <= 5));
  assertThrows(() => model.predict(Int32Array.of(-1), Int32Array.of(0)), RangeError);
  model.dispose();
});

Deno.test("NARRE: a training step's review lists never contain the target interaction's review", () => {
  const o = resolveNarreOptions({ filters: 4, latentDim: 4, attentionDim: 2 });
  const reviews = entityReviews(split.train, features.tokens, split.users.size, split.items.size);
  const params = createNarreParams(
    {
      featureDim: features.dim,
      window: 3,
      filters: 4,
      latentDim: 4,
      attentionDim: 2,
      numUsers: split.users.size,
      numItems: split.items.size,
    },
    3.5,
    new Rng(1),
  );
  const net = new NarreNetwork(
    params,
    new PooledReviewCnn(new TokenRows(features), 3, 4),
    reviews,
    split.train,
    o,
  );
  const rows = Int32Array.from({ length: 100 }, (_, j) => j * 13);
  const users = rows.map((r) => split.train[r].user);
  const items = rows.map((r) => split.train[r].item);
  const plan = net.planBatch(rows, users, items, new Float32Array(rows.length).fill(3));
  for (const side of ["user", "item"] as const) {
    const p = plan[side];
    for (let j = 0; j < rows.length; j++) {
      for (let m = 0; m < p.width; m++) {
        if (p.mask[j * p.width + m] === 1) {
          assertNotEquals(p.units.rows[p.slots[j * p.width + m]], rows[j]);
        }
      }
    }
    // Each list holds the entity's own reviews: of that user (item).
    for (let j = 0; j < rows.length; j++) {
      for (let m = 0; m < p.width; m++) {
        if (p.mask[j * p.width + m] === 0) continue;
        const it = split.train[p.units.rows[p.slots[j * p.width + m]]];
        assertEquals(side === "user" ? it.user : it.item, side === "user" ? users[j] : items[j]);
      }
    }
  }
  const full = net.lists("item", items, new Int32Array(rows.length).fill(-1));
  assert(full.some((list, j) => list.includes(rows[j])));
  for (const [, v] of narreVariables(params)) v.dispose();
});

Deno.test("NARRE: planned attention (with gradients) equals the whole-list encoding (without)", () => {
  const o = resolveNarreOptions({ filters: 6, latentDim: 5, attentionDim: 3, maxReviews: 12 });
  const reviews = entityReviews(split.train, features.tokens, split.users.size, split.items.size);
  const params = createNarreParams(
    {
      featureDim: features.dim,
      window: 3,
      filters: 6,
      latentDim: 5,
      attentionDim: 3,
      numUsers: split.users.size,
      numItems: split.items.size,
    },
    3.5,
    new Rng(2),
  );
  const net = new NarreNetwork(
    params,
    new PooledReviewCnn(new TokenRows(features), 3, 6),
    reviews,
    split.train,
    o,
  );
  for (const side of ["user", "item"] as const) {
    const count = side === "user" ? split.users.size : split.items.size;
    const all = net.encodeAll(side);
    assert(all.lists.every((l) => l.length <= 12));
    all.weights.forEach((w) => {
      if (w.length > 0) assertAlmostEquals(w.reduce((a, b) => a + b, 0), 1, 1e-5);
    });
    const entities = Int32Array.from({ length: count }, (_, e) => e);
    const plan = net.planSide(side, entities, new Int32Array(count).fill(-1));
    const out = tf.tidy(() =>
      tf.add(net.attended(side, plan), side === "user" ? params.user.emb : params.item.emb)
        .dataSync()
    );
    out.forEach((v, j) => assertAlmostEquals(v, all.factors[j], 1e-4));
  }
  for (const [, v] of narreVariables(params)) v.dispose();
});

Deno.test("NARRE: recommend returns k unseen items, each explained by the item's most attended reviews", async () => {
  const model = new Narre({ ...SMALL, maxEpochs: 1, explanationReviews: 3 });
  await model.fit(input, { progress: false });
  const seen = seenItemsByUser(split);
  for (const user of [0, 1, 42, 119]) {
    const recs = model.recommend(user, 10);
    assertEquals(recs.length, 10);
    for (const r of recs) {
      assert(!seen[user].includes(r.item), `user ${user} has seen item ${r.item}`);
      const reviews = r.explanation?.reviews ?? [];
      assertEquals(reviews.length, 3);
      const itemTexts = split.train.filter((it) => it.item === r.item).map((it) => it.review);
      for (const ev of reviews) {
        assert(itemTexts.includes(ev.text), "explanation is the item's review");
      }
      for (let j = 1; j < reviews.length; j++) assert(reviews[j - 1].weight >= reviews[j].weight);
    }
    for (let j = 1; j < recs.length; j++) assert(recs[j - 1].score >= recs[j].score);
  }
  const weights = model.explain(0, 0).reviews!.map((r) => r.weight);
  assert(weights.every((w) => w > 0 && w <= 1));
  assertLessOrEqual(weights.reduce((a, b) => a + b, 0), 1 + 1e-6);
  model.dispose();
});

Deno.test("NARRE: rejects bad options and missing features", async () => {
  assertThrows(() => new Narre({ maxReviews: 0 }), RangeError, "maxReviews");
  assertThrows(() => new Narre({ learningRate: -1 }), RangeError, "learningRate");
  await assertRejects(() => new Narre().fit({ split }), Error, "features");
  assertThrows(() => new Narre().explain(0, 0), Error, "not trained");
});

Deno.test("NARRE beats the global mean on the fixture's test ratings", async () => {
  const mean = new GlobalMean();
  await mean.fit({ split });
  const model = new Narre({ maxEpochs: 8, patience: 8, seed: 42 });
  await model.fit(input, { progress: false });
  const ours = evaluate(model, split, { protocols: ["test-items"] });
  const base = evaluate(mean, split, { protocols: ["test-items"] });
  assertLess(ours.mae, base.mae - 0.03, `NARRE MAE ${ours.mae} vs global mean ${base.mae}`);
  model.dispose();
});
