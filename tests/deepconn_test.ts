import * as tf from "@tensorflow/tfjs";
import { DeepConn } from "../lib/baselines/deepconn/deepconn.ts";
import { DeepConnNetwork } from "../lib/baselines/deepconn/deepconn_network.ts";
import {
  createDeepConnParams,
  type DeepConnParams,
  deepConnVariables,
} from "../lib/baselines/deepconn/deepconn_params.ts";
import { resolveDeepConnOptions } from "../lib/baselines/deepconn/options.ts";
import { PooledReviewCnn } from "../lib/baselines/review_cnn/pooled_review_cnn.ts";
import { entityReviews } from "../lib/baselines/review_cnn/review_documents.ts";
import { TokenRows } from "../lib/baselines/review_cnn/token_rows.ts";
import { Rng } from "../lib/random.ts";
import {
  assert,
  assertAlmostEquals,
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
const SMALL = { filters: 8, latentDim: 8, maxEpochs: 2, batchSize: 128 } as const;

Deno.test("DeepCoNN: the same seed gives an identical model; another seed a different one", async () => {
  await assertSeedDeterminism((seed) => new DeepConn({ ...SMALL, seed }));
});

Deno.test("DeepCoNN: save then load gives identical predictions, scores and recommendations", async () => {
  await assertSaveLoadRoundTrip(
    await fitted(new DeepConn({ ...SMALL, maxEpochs: 1 })),
    DeepConn.load,
    { replace: '"version":1', with: '"version":9', error: "version" },
  );
});

Deno.test("DeepCoNN: the live tensor count stays flat from epoch to epoch, and dispose frees it all", async () => {
  await assertNoTensorLeak(
    new DeepConn({ ...SMALL, maxEpochs: 4, patience: 10, dropout: 0.5, lambda: 0.001 }),
    (model) => {
      model.predict(Int32Array.of(0), Int32Array.of(0));
      model.scoreAllItems(ALL_USERS);
    },
  );
});

Deno.test("DeepCoNN: predict and scoreAllItems agree exactly, within the rating scale", async () => {
  const model = await fitted(new DeepConn({ ...SMALL, maxEpochs: 1 }));
  assertPredictMatchesScoreAll(model);
  assertThrows(() => model.predict(Int32Array.of(0), Int32Array.of(model.numItems)), RangeError);
  model.dispose();
});

/**
 * A network over the fixture's training reviews (window 3, 2 FM factors)
 * with `filters` filters and latent size `latentDim`, parameters seeded by `seed`.
 */
function network(
  filters: number,
  latentDim: number,
  seed: number,
): { net: DeepConnNetwork; params: DeepConnParams } {
  const params = createDeepConnParams(
    { featureDim: features.dim, window: 3, filters, latentDim, fmFactors: 2 },
    3.5,
    new Rng(seed),
  );
  const net = new DeepConnNetwork(
    params,
    new PooledReviewCnn(new TokenRows(features), 3, filters),
    entityReviews(split.train, features.tokens, split.users.size, split.items.size),
    resolveDeepConnOptions({ filters, latentDim }),
  );
  return { net, params };
}

Deno.test("DeepCoNN: a training step's documents never contain the target interaction's review", () => {
  const { net, params } = network(4, 4, 1);
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
  const a = await fitted(new DeepConn({ ...SMALL, maxEpochs: 1 }));
  const b = new DeepConn({ ...SMALL, maxEpochs: 1 });
  await b.fit({ split, features: perTokenFeatures(features) }, { progress: false });
  const sa = a.scoreAllItems(ALL_USERS);
  const sb = b.scoreAllItems(ALL_USERS);
  sa.forEach((v, j) => assertAlmostEquals(sb[j], v, 1e-3));
  a.dispose();
  b.dispose();
});

Deno.test("DeepCoNN: a planned tower (with gradients) equals the whole-document encoding (without)", () => {
  const { net, params } = network(6, 5, 3);
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
  const model = await fitted(new DeepConn({ ...SMALL, maxEpochs: 1 }));
  assertRecommendsUnseen(model, (r) => assertEquals(r.itemId, split.items.id(r.item)));
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
  await assertBeatsGlobalMean(new DeepConn({ maxEpochs: 12, patience: 12, seed: 42 }), 0.03);
});
