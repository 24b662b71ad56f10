import * as tf from "@tensorflow/tfjs";
import { Narre } from "../lib/baselines/narre/narre.ts";
import { NarreNetwork } from "../lib/baselines/narre/narre_network.ts";
import {
  createNarreParams,
  type NarreParams,
  narreVariables,
} from "../lib/baselines/narre/narre_params.ts";
import { resolveNarreOptions } from "../lib/baselines/narre/options.ts";
import { PooledReviewCnn } from "../lib/baselines/review_cnn/pooled_review_cnn.ts";
import { entityReviews } from "../lib/baselines/review_cnn/review_documents.ts";
import { TokenRows } from "../lib/baselines/review_cnn/token_rows.ts";
import { Rng } from "../lib/random.ts";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertLessOrEqual,
  assertNotEquals,
  assertRejects,
  assertThrows,
} from "./support/assert.ts";
import {
  assertBeatsGlobalMean,
  assertNoTensorLeak,
  assertPredictMatchesScoreAll,
  assertRecommendsUnseen,
  assertSaveLoadRoundTrip,
  assertSeedDeterminism,
  features,
  fitted,
  split,
} from "./support/review_model_fixture.ts";

/** Small and quick: enough to exercise every code path. */
const SMALL = { filters: 8, latentDim: 8, attentionDim: 4, maxEpochs: 2, batchSize: 128 } as const;

Deno.test("NARRE: the same seed gives an identical model; another seed a different one", async () => {
  await assertSeedDeterminism((seed) => new Narre({ ...SMALL, seed }));
});

Deno.test("NARRE: save then load gives identical predictions, scores, recommendations and explanations", async () => {
  await assertSaveLoadRoundTrip(
    await fitted(new Narre({ ...SMALL, maxEpochs: 1 })),
    Narre.load,
    { replace: '"format":"drex-narre"', with: '"format":"x"', error: "format" },
  );
});

Deno.test("NARRE: the live tensor count stays flat from epoch to epoch, and dispose frees it all", async () => {
  await assertNoTensorLeak(
    new Narre({ ...SMALL, maxEpochs: 4, patience: 10, dropout: 0.5, lambda: 0.001 }),
    (model) => {
      model.predict(Int32Array.of(0), Int32Array.of(0));
      model.recommend(0, 3);
    },
  );
});

Deno.test("NARRE: predict and scoreAllItems agree exactly, within the rating scale", async () => {
  const model = await fitted(new Narre({ ...SMALL, maxEpochs: 1 }));
  assertPredictMatchesScoreAll(model);
  assertThrows(() => model.predict(Int32Array.of(-1), Int32Array.of(0)), RangeError);
  model.dispose();
});

/**
 * A network over the fixture's training reviews (window 3) with the sizes
 * in `sizes`, parameters seeded by `seed`.
 */
function network(
  sizes: { filters: number; latentDim: number; attentionDim: number; maxReviews?: number },
  seed: number,
): { net: NarreNetwork; params: NarreParams } {
  const { filters, latentDim, attentionDim } = sizes;
  const params = createNarreParams(
    {
      featureDim: features.dim,
      window: 3,
      filters,
      latentDim,
      attentionDim,
      numUsers: split.users.size,
      numItems: split.items.size,
    },
    3.5,
    new Rng(seed),
  );
  const net = new NarreNetwork(
    params,
    new PooledReviewCnn(new TokenRows(features), 3, filters),
    entityReviews(split.train, features.tokens, split.users.size, split.items.size),
    split.train,
    resolveNarreOptions(sizes),
  );
  return { net, params };
}

Deno.test("NARRE: a training step's review lists never contain the target interaction's review", () => {
  const { net, params } = network({ filters: 4, latentDim: 4, attentionDim: 2 }, 1);
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
  const { net, params } = network(
    { filters: 6, latentDim: 5, attentionDim: 3, maxReviews: 12 },
    2,
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
  const model = await fitted(new Narre({ ...SMALL, maxEpochs: 1, explanationReviews: 3 }));
  assertRecommendsUnseen(model, (r) => {
    const reviews = r.explanation?.reviews ?? [];
    assertEquals(reviews.length, 3);
    const itemTexts = split.train.filter((it) => it.item === r.item).map((it) => it.review);
    for (const ev of reviews) {
      assert(itemTexts.includes(ev.text), "explanation is the item's review");
    }
    for (let j = 1; j < reviews.length; j++) assert(reviews[j - 1].weight >= reviews[j].weight);
  });
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
  await assertBeatsGlobalMean(new Narre({ maxEpochs: 8, patience: 8, seed: 42 }), 0.03);
});
