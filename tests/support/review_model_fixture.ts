/**
 * Setup and checks the review-model tests (DeepCoNN, NARRE, PESI) share:
 * the fixture split with its static token features on the WASM backend, and
 * the properties every {@linkcode ReviewRecommender} must have (seeded
 * determinism, exact save/load, no tensor leak, consistent scores, unseen
 * recommendations, beating the global mean).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { ReviewRecommender } from "../../lib/baselines/common/review_recommender.ts";
import { GlobalMean } from "../../lib/baselines/global_mean/global_mean.ts";
import { initBackend } from "../../lib/backend/init.ts";
import type { DatasetSplit } from "../../lib/data/types.ts";
import { evaluate } from "../../lib/metrics/evaluate.ts";
import type { ModelInput, Recommendation } from "../../lib/recommender.ts";
import { seenItemsByUser } from "../../lib/seen_items.ts";
import { reviewFeatureRows, type TokenFeatures } from "../../lib/text/token_features.ts";
import { assert, assertEquals, assertLess, assertNotEquals, assertRejects } from "./assert.ts";
import { fixtureFeatures, fixtureSplit } from "./fixture.ts";

await initBackend("wasm");

/** The fixture split (paper filters, default seed). */
export const split: DatasetSplit = await fixtureSplit();
/** Static (wink 100-d) token features of its training reviews. */
export const features: TokenFeatures = await fixtureFeatures();
/** What the models are fitted on. */
const input: ModelInput = { split, features };
/** Every user index, for `scoreAllItems`. */
export const ALL_USERS: Int32Array = Int32Array.from({ length: split.users.size }, (_, u) => u);

/** The same vectors as `f` in the per-token (contextual-encoder) form. */
export function perTokenFeatures(f: TokenFeatures): TokenFeatures {
  const perToken = f.tokens.map((_, r) => reviewFeatureRows(f, r).slice());
  return { ...f, table: undefined, perToken };
}

/** `model` fitted quietly on the fixture. */
export async function fitted<M extends ReviewRecommender>(model: M): Promise<M> {
  await model.fit(input, { progress: false });
  return model;
}

/**
 * Models from `make(7)` twice and `make(8)`: the first two have the same
 * scores, training losses and (where the model explains) explanations; the
 * third's scores differ.
 */
export async function assertSeedDeterminism(
  make: (seed: number) => ReviewRecommender,
): Promise<void> {
  const [a, b, c] = [make(7), make(7), make(8)];
  for (const m of [a, b, c]) await fitted(m);
  assertEquals(a.scoreAllItems(ALL_USERS), b.scoreAllItems(ALL_USERS));
  assertEquals(a.report.history.map((h) => h.trainLoss), b.report.history.map((h) => h.trainLoss));
  if (a.explain && b.explain) assertEquals(a.explain(0, 0), b.explain(0, 0));
  assertNotEquals(a.scoreAllItems(ALL_USERS), c.scoreAllItems(ALL_USERS));
  for (const m of [a, b, c]) m.dispose();
}

/** How to damage a saved `model.json`, and what the load error must then say. */
export interface Corruption {
  /** Text of `model.json` to replace. */
  replace: string;
  /** Its replacement. */
  with: string;
  /** Text the load error contains. */
  error: string;
}

/**
 * Saves the fitted `model`, loads it with `load`, and checks predictions,
 * scores, recommendations, options and report are identical; then damages
 * the file as `corrupt` says and checks the load fails. Disposes `model`.
 */
export async function assertSaveLoadRoundTrip<M extends ReviewRecommender>(
  model: M,
  load: (dir: string) => Promise<M>,
  corrupt: Corruption,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await model.save(`${dir}/model`);
    const loaded = await load(`${dir}/model`);
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
      (await Deno.readTextFile(`${dir}/model/model.json`)).replace(corrupt.replace, corrupt.with),
    );
    await assertRejects(() => load(`${dir}/model`), Error, corrupt.error);
  } finally {
    model.dispose();
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Fits `model` (which must run exactly 4 epochs) and checks the live tensor
 * count is the same after every epoch; then runs `use` on it, disposes it,
 * and checks every tensor it made is freed.
 */
export async function assertNoTensorLeak(
  model: ReviewRecommender,
  use: (model: ReviewRecommender) => void,
): Promise<void> {
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  await model.fit(input, {
    progress: false,
    onEpoch: () => counts.push(tf.memory().numTensors),
  });
  assertEquals(counts.length, 4);
  assertEquals(new Set(counts).size, 1, `tensor counts per epoch: ${counts}`);
  use(model);
  model.dispose();
  assertEquals(tf.memory().numTensors, before);
}

/**
 * Checks `predict` gives exactly the `scoreAllItems` rows of users 0, 5 and
 * 17, all on the 1–5 scale; returns those rows (`3 × numItems`).
 */
export function assertPredictMatchesScoreAll(model: ReviewRecommender): Float32Array {
  const users = Int32Array.of(0, 5, 17);
  const all = model.scoreAllItems(users);
  const nI = model.numItems;
  users.forEach((u, b) => {
    const items = Int32Array.from({ length: nI }, (_, i) => i);
    const row = model.predict(new Int32Array(nI).fill(u), items);
    assertEquals(row, all.slice(b * nI, (b + 1) * nI));
  });
  assert(all.every((v) => v >= 1 && v <= 5));
  return all;
}

/**
 * For a few users, checks `recommend(user, 10)` gives 10 items the user has
 * not seen, best first, running `check` on each recommendation.
 */
export function assertRecommendsUnseen(
  model: ReviewRecommender,
  check: (rec: Recommendation) => void,
): void {
  const seen = seenItemsByUser(split);
  for (const user of [0, 1, 42, 119]) {
    const recs = model.recommend(user, 10);
    assertEquals(recs.length, 10);
    for (const r of recs) {
      assert(!seen[user].includes(r.item), `user ${user} has seen item ${r.item}`);
      check(r);
    }
    for (let j = 1; j < recs.length; j++) assert(recs[j - 1].score >= recs[j].score);
  }
}

/** Fits `model` and checks its test-item MAE is below the global mean's by more than `margin`. */
export async function assertBeatsGlobalMean(
  model: ReviewRecommender,
  margin: number,
): Promise<void> {
  const mean = new GlobalMean();
  await mean.fit({ split });
  await fitted(model);
  const ours = evaluate(model, split, { protocols: ["test-items"] });
  const base = evaluate(mean, split, { protocols: ["test-items"] });
  assertLess(
    ours.mae,
    base.mae - margin,
    `${model.name} MAE ${ours.mae} vs global mean ${base.mae}`,
  );
  model.dispose();
}
