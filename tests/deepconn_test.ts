import * as tf from "@tensorflow/tfjs";
import { DeepConn } from "../lib/baselines/deepconn/deepconn.ts";
import { DeepConnNetwork } from "../lib/baselines/deepconn/deepconn_network.ts";
import {
  createDeepConnParams,
  deepConnVariables,
} from "../lib/baselines/deepconn/deepconn_params.ts";
import { resolveDeepConnOptions } from "../lib/baselines/deepconn/options.ts";
import { PooledReviewCnn } from "../lib/baselines/deepconn/pooled_review_cnn.ts";
import { entityReviews } from "../lib/baselines/deepconn/review_documents.ts";
import { TokenRows } from "../lib/baselines/deepconn/token_rows.ts";
import { GlobalMean } from "../lib/baselines/global_mean/global_mean.ts";
import { initBackend } from "../lib/backend/init.ts";
import { prepareDataset } from "../lib/data/prepare.ts";
import { loadInteractions } from "../lib/data/read_interactions.ts";
import { evaluate } from "../lib/metrics/evaluate.ts";
import { Rng } from "../lib/random.ts";
import { seenItemsByUser } from "../lib/seen_items.ts";
import { extractFeatures } from "../lib/text/extract_features.ts";
import { reviewFeatureRows, type TokenFeatures } from "../lib/text/token_features.ts";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertLess,
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
const SMALL = { filters: 8, latentDim: 8, maxEpochs: 2, batchSize: 128 } as const;
const ALL_USERS = Int32Array.from({ length: split.users.size }, (_, u) => u);

Deno.test("DeepCoNN: the same seed gives an identical model; another seed a different one", async () => {
  const a = new DeepConn({ ...SMALL, seed: 7 });
  const b = new DeepConn({ ...SMALL, seed: 7 });
  const c = new DeepConn({ ...SMALL, seed: 8 });
  for (const m of [a, b, c]) await m.fit(input, { progress: false });
  assertEquals(a.scoreAllItems(ALL_USERS), b.scoreAllItems(ALL_USERS));
  assertEquals(a.report.history.map((h) => h.trainLoss), b.report.history.map((h) => h.trainLoss));
  assertNotEquals(a.scoreAllItems(ALL_USERS), c.scoreAllItems(ALL_USERS));
  for (const m of [a, b, c]) m.dispose();
});

Deno.test("DeepCoNN: save then load gives identical predictions, scores and recommendations", async () => {
  const model = new DeepConn({ ...SMALL, maxEpochs: 1 });
  await model.fit(input, { progress: false });
  const dir = await Deno.makeTempDir();
  try {
    await model.save(`${dir}/model`);
    const loaded = await DeepConn.load(`${dir}/model`);
    const users = Int32Array.from(split.test, (it) => it.user);
    const items = Int32Array.from(split.test, (it) => it.item);
    assertEquals(loaded.predict(users, items), model.predict(users, items));
    assertEquals(loaded.scoreAllItems(ALL_USERS), model.scoreAllItems(ALL_USERS));
    assertEquals(loaded.recommend(3, 5), model.recommend(3, 5));
    assertEquals(loaded.options, model.options);
    assertEquals(loaded.report, model.report);
    loaded.dispose();
    await Deno.writeTextFile(
      `${dir}/model/model.json`,
      (await Deno.readTextFile(`${dir}/model/model.json`)).replace('"version":1', '"version":9'),
    );
    await assertRejects(() => DeepConn.load(`${dir}/model`), Error, "version");
  } finally {
    model.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("DeepCoNN: the live tensor count stays flat from epoch to epoch, and dispose frees it all", async () => {
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  const model = new DeepConn({ ...SMALL, maxEpochs: 4, patience: 10, dropout: 0.5, lambda: 0.001 });
  await model.fit(input, {
    progress: false,
    onEpoch: () => counts.push(tf.memory().numTensors),
  });
  assertEquals(counts.length, 4);
  assertEquals(new Set(counts).size, 1, `tensor counts per epoch: ${counts}`);
  model.predict(Int32Array.of(0), Int32Array.of(0));
  model.scoreAllItems(ALL_USERS);
  model.dispose();
  assertEquals(tf.memory().numTensors, before);
});

Deno.test("DeepCoNN: predict and scoreAllItems agree exactly, within the rating scale", async () => {
  const model = new DeepConn({ ...SMALL, maxEpochs: 1 });
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
  assertThrows(() => model.predict(Int32Array.of(0), Int32Array.of(nI)), RangeError);
  model.dispose();
});

Deno.test("DeepCoNN: a training step's documents never contain the target interaction's review", () => {
  const o = resolveDeepConnOptions({ filters: 4, latentDim: 4 });
  const reviews = entityReviews(split.train, features.tokens, split.users.size, split.items.size);
  const params = createDeepConnParams(
    { featureDim: features.dim, window: 3, filters: 4, latentDim: 4, fmFactors: 2 },
    3.5,
    new Rng(1),
  );
  const net = new DeepConnNetwork(
    params,
    new PooledReviewCnn(new TokenRows(features), 3, 4),
    reviews,
    o,
  );
  const rows = Int32Array.from({ length: 200 }, (_, j) => j * 7);
  const users = rows.map((r) => split.train[r].user);
  const items = rows.map((r) => split.train[r].item);
  const plan = net.planBatch(rows, users, items, new Float32Array(rows.length).fill(3));
  for (const side of ["user", "item"] as const) {
    const refs = plan[side].refs;
    for (let j = 0; j < rows.length; j++) {
      for (let f = 0; f < 4; f++) assertNotEquals(refs.rows[j * 4 + f], rows[j]);
    }
  }
  // Without the exclusion, the documents do hold those reviews.
  const full = net.documents("user", users, new Int32Array(rows.length).fill(-1));
  assert(full.some((doc, j) => doc.rows.includes(rows[j])));
  const trimmed = net.documents("user", users, rows);
  assert(trimmed.every((doc, j) => !doc.rows.includes(rows[j])));
  for (const [, v] of deepConnVariables(params)) v.dispose();
});

Deno.test("DeepCoNN: per-token (contextual-form) features give the same model as the table form", async () => {
  const perToken: TokenFeatures = {
    encoder: features.encoder,
    dim: features.dim,
    vocab: features.vocab,
    tokens: features.tokens,
    perToken: features.tokens.map((_, r) => reviewFeatureRows(features, r).slice()),
  };
  const a = new DeepConn({ ...SMALL, maxEpochs: 1 });
  const b = new DeepConn({ ...SMALL, maxEpochs: 1 });
  await a.fit(input, { progress: false });
  await b.fit({ split, features: perToken }, { progress: false });
  const sa = a.scoreAllItems(ALL_USERS);
  const sb = b.scoreAllItems(ALL_USERS);
  sa.forEach((v, j) => assertAlmostEquals(sb[j], v, 1e-3));
  a.dispose();
  b.dispose();
});

Deno.test("DeepCoNN: a planned tower (with gradients) equals the whole-document encoding (without)", () => {
  const o = resolveDeepConnOptions({ filters: 6, latentDim: 5 });
  const reviews = entityReviews(split.train, features.tokens, split.users.size, split.items.size);
  const params = createDeepConnParams(
    { featureDim: features.dim, window: 3, filters: 6, latentDim: 5, fmFactors: 2 },
    3.5,
    new Rng(3),
  );
  const net = new DeepConnNetwork(
    params,
    new PooledReviewCnn(new TokenRows(features), 3, 6),
    reviews,
    o,
  );
  for (const side of ["user", "item"] as const) {
    const count = side === "user" ? split.users.size : split.items.size;
    const all = net.encodeAll(side);
    const entities = Int32Array.from({ length: count }, (_, e) => e);
    const plan = net.planSide(side, entities, new Int32Array(count).fill(-1));
    const out = tf.tidy(() => net.towerOutput(side, plan).dataSync());
    out.forEach((v, j) => assertAlmostEquals(v, all[j], 1e-4));
  }
  for (const [, v] of deepConnVariables(params)) v.dispose();
});

Deno.test("DeepCoNN: recommend returns k unseen items, best first", async () => {
  const model = new DeepConn({ ...SMALL, maxEpochs: 1 });
  await model.fit(input, { progress: false });
  const seen = seenItemsByUser(split);
  for (const user of [0, 1, 42, 119]) {
    const recs = model.recommend(user, 10);
    assertEquals(recs.length, 10);
    for (const r of recs) {
      assert(!seen[user].includes(r.item), `user ${user} has seen item ${r.item}`);
      assertEquals(r.itemId, split.items.id(r.item));
    }
    for (let j = 1; j < recs.length; j++) assert(recs[j - 1].score >= recs[j].score);
  }
  model.dispose();
});

Deno.test("DeepCoNN: rejects bad options and missing features", async () => {
  assertThrows(() => new DeepConn({ window: 0 }), RangeError, "window");
  assertThrows(() => new DeepConn({ dropout: 1 }), RangeError, "dropout");
  assertThrows(() => new DeepConn({ fmFactor: 3 } as never), RangeError, "Unknown");
  await assertRejects(() => new DeepConn().fit({ split }), Error, "features");
  assertThrows(
    () => new DeepConn().predict(Int32Array.of(0), Int32Array.of(0)),
    Error,
    "not trained",
  );
});

Deno.test("DeepCoNN beats the global mean on the fixture's test ratings", async () => {
  const mean = new GlobalMean();
  await mean.fit({ split });
  const model = new DeepConn({ maxEpochs: 12, patience: 12, seed: 42 });
  await model.fit(input, { progress: false });
  const ours = evaluate(model, split, { protocols: ["test-items"] });
  const base = evaluate(mean, split, { protocols: ["test-items"] });
  assertLess(ours.mae, base.mae - 0.03, `DeepCoNN MAE ${ours.mae} vs global mean ${base.mae}`);
  model.dispose();
});
