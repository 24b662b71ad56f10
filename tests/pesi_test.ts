import * as tf from "@tensorflow/tfjs";
import { resolvePesiOptions } from "../lib/baselines/pesi/options.ts";
import { Pesi } from "../lib/baselines/pesi/pesi.ts";
import { PesiNetwork } from "../lib/baselines/pesi/pesi_network.ts";
import { createPesiParams, disposePesiParams } from "../lib/baselines/pesi/pesi_params.ts";
import { attendedWords } from "../lib/baselines/pesi/review_evidence.ts";
import { entityReviews } from "../lib/baselines/review_cnn/review_documents.ts";
import { AttentionPooler } from "../lib/kernels/attention_pool.ts";
import { Rng } from "../lib/random.ts";
import type { TokenFeatures } from "../lib/text/token_features.ts";
import {
  assert,
  assertEquals,
  assertNotEquals,
  assertRejects,
  assertThrows,
} from "./support/assert.ts";
import {
  ALL_USERS,
  assertBeatsGlobalMean,
  assertNoTensorLeak,
  assertPredictMatchesScoreAll,
  assertRecommendsUnseen,
  assertSaveLoadRoundTrip,
  assertSeedDeterminism,
  features,
  fitted,
  perTokenFeatures,
  split,
} from "./support/review_model_fixture.ts";

/** Small and quick: enough to exercise every code path. */
const SMALL = { latentDim: 8, maxReviews: 5, maxEpochs: 2, batchSize: 128 } as const;

Deno.test("PESI: the same seed gives an identical model; another seed a different one", async () => {
  await assertSeedDeterminism((seed) => new Pesi({ ...SMALL, seed }));
});

Deno.test("PESI: save then load gives identical predictions, scores, recommendations and explanations", async () => {
  await assertSaveLoadRoundTrip(
    await fitted(new Pesi({ ...SMALL, maxEpochs: 1 })),
    Pesi.load,
    { replace: '"version":1', with: '"version":9', error: "version" },
  );
});

Deno.test("PESI: the live tensor count stays flat from epoch to epoch, and dispose frees it all", async () => {
  await assertNoTensorLeak(
    new Pesi({ ...SMALL, maxEpochs: 4, patience: 10, dropout: 0.5 }),
    (model) => {
      model.predict(Int32Array.of(0), Int32Array.of(0));
      model.scoreAllItems(ALL_USERS);
      model.recommend(0, 3);
    },
  );
});

Deno.test("PESI: predict and scoreAllItems agree exactly, within the rating scale", async () => {
  const model = await fitted(new Pesi({ ...SMALL, maxEpochs: 1 }));
  const all = assertPredictMatchesScoreAll(model);
  const nI = model.numItems;
  // Pairs in a scrambled order give the same numbers as in scoreAllItems.
  const scrambled = model.predict(Int32Array.of(17, 0, 5), Int32Array.of(3, 70, 11));
  assertEquals(scrambled, Float32Array.of(all[2 * nI + 3], all[70], all[nI + 11]));
  assertThrows(() => model.predict(Int32Array.of(0), Int32Array.of(nI)), RangeError);
  model.dispose();
});

/** `features` with review `r`'s words replaced by other words (same count, so the same lists). */
function withReviewChanged(f: TokenFeatures, r: number): TokenFeatures {
  const tokens = f.tokens.slice();
  tokens[r] = tokens[r].map((id) => (id + 7) % f.vocab.length);
  return { ...f, tokens };
}

Deno.test("PESI: a training step never reads the target interaction's own review", () => {
  const o = resolvePesiOptions({ latentDim: 8, maxReviews: 50, contrastiveWeight: 0.5 });
  const params = createPesiParams(
    {
      featureDim: features.dim,
      latentDim: 8,
      numUsers: split.users.size,
      numItems: split.items.size,
    },
    3.5,
    new Rng(1),
  );
  const lists = entityReviews(split.train, features.tokens, split.users.size, split.items.size);
  const net = (f: TokenFeatures) => new PesiNetwork(params, new AttentionPooler(f), lists, o);
  const target = lists.users[4][0]; // a training row with a review
  const { user, item } = split.train[target];
  const plan = (n: PesiNetwork, exclude: number) =>
    n.planBatch(
      Int32Array.of(exclude),
      Int32Array.of(user),
      Int32Array.of(item),
      Float32Array.of(4),
    );
  const loss = (n: PesiNetwork, exclude: number) =>
    tf.tidy(() => n.batchLoss(plan(n, exclude)).loss.dataSync()[0]);
  const original = net(features);
  const changed = net(withReviewChanged(features, target));
  // The documents leave the target's row out…
  const docs = plan(original, target).docs;
  assert(!docs.reviews.includes(target));
  assert(docs.reviews.length > 0);
  // …so rewriting that review's words cannot change the step's loss,
  assertEquals(loss(changed, target), loss(original, target));
  // while it does when the review is not excluded (the check can fail).
  assertNotEquals(loss(changed, -1), loss(original, -1));
  // And across a whole batch, no pair's averaging row touches its own review.
  const rows = Int32Array.from({ length: 200 }, (_, j) => j * 11);
  const batch = original.planBatch(
    rows,
    rows.map((r) => split.train[r].user),
    rows.map((r) => split.train[r].item),
    new Float32Array(rows.length),
  );
  const R = batch.docs.reviews.length;
  const column = new Map(Array.from(batch.docs.reviews, (r, c) => [r, c]));
  let present = 0;
  rows.forEach((r, b) => {
    const c = column.get(r);
    if (c === undefined) return;
    present++;
    assertEquals(batch.docs.user[b * R + c], 0);
    assertEquals(batch.docs.item[b * R + c], 0);
  });
  assert(present > 0, "the batch's reviews include other pairs' targets, so the check is real");
  disposePesiParams(params);
});

Deno.test("PESI: per-token (contextual) features holding the same vectors give the same model", async () => {
  const a = await fitted(new Pesi({ ...SMALL, maxEpochs: 1 }));
  const b = new Pesi({ ...SMALL, maxEpochs: 1 });
  await b.fit({ split, features: perTokenFeatures(features) }, { progress: false });
  assertEquals(b.scoreAllItems(ALL_USERS), a.scoreAllItems(ALL_USERS));
  assertEquals(b.explain(2, 5), a.explain(2, 5));
  a.dispose();
  b.dispose();
});

Deno.test("PESI: recommend returns k unseen items, best first, explained by the item's own reviews", async () => {
  const model = await fitted(new Pesi({ ...SMALL, maxEpochs: 1 }));
  assertRecommendsUnseen(model, (r) => {
    assertEquals(r.itemId, split.items.id(r.item));
    const itemTexts = new Set(
      split.train.filter((it) => it.item === r.item).map((it) => it.review),
    );
    const why = r.explanation?.reviews ?? [];
    assertEquals(why.length, Math.min(3, itemTexts.size));
    for (const e of why) assert(itemTexts.has(e.text), "explanations quote the item's reviews");
    for (let j = 1; j < why.length; j++) assert(why[j - 1].weight >= why[j].weight);
    assert(why.every((e) => e.weight >= -1 - 1e-9 && e.weight <= 1 + 1e-9));
    assert((r.explanation?.keywords?.length ?? 0) > 0);
  });
  model.dispose();
});

Deno.test("attendedWords sums a review's attention per word, strongest first", () => {
  const words = attendedWords(
    Int32Array.of(2, 0, 2, 1),
    Float32Array.of(0.25, 0.25, 0.125, 0.375),
    ["a", "b", "c"],
    2,
  );
  // "c" gets 0.25 + 0.125; "b" ties with it and comes first by spelling; "a" is cut.
  assertEquals(words, [{ word: "b", weight: 0.375 }, { word: "c", weight: 0.375 }]);
});

Deno.test("PESI: rejects bad options and missing features", async () => {
  assertThrows(() => new Pesi({ latentDim: 0 }), RangeError, "latentDim");
  assertThrows(() => new Pesi({ dropout: 1 }), RangeError, "dropout");
  assertThrows(() => new Pesi({ temperature: 0 }), RangeError, "temperature");
  assertThrows(() => new Pesi({ contrastive: 1 } as never), RangeError, "Unknown");
  await assertRejects(() => new Pesi().fit({ split }), Error, "features");
  assertThrows(() => new Pesi().predict(Int32Array.of(0), Int32Array.of(0)), Error, "not trained");
});

Deno.test("PESI beats the global mean on the fixture's test ratings", async () => {
  await assertBeatsGlobalMean(new Pesi({ maxEpochs: 8, patience: 8, seed: 42 }), 0.1);
});
