import * as tf from "@tensorflow/tfjs";
import { resolvePesiOptions } from "../lib/baselines/pesi/options.ts";
import { PesiScorer } from "../lib/baselines/pesi/pair_scores.ts";
import { entityReviews } from "../lib/baselines/review_cnn/review_documents.ts";
import { disentangle, PesiNetwork, ratingHead } from "../lib/baselines/pesi/pesi_network.ts";
import { createPesiParams, disposePesiParams } from "../lib/baselines/pesi/pesi_params.ts";
import { initBackend } from "../lib/backend/init.ts";
import { AttentionPooler } from "../lib/kernels/attention_pool.ts";
import { Rng } from "../lib/random.ts";
import { assertAlmostEquals, assertEquals, assertThrows } from "./support/assert.ts";
import { fixtureFeatures, fixtureSplit } from "./support/fixture.ts";

await initBackend("wasm");
const split = await fixtureSplit();
const features = await fixtureFeatures();

Deno.test("PesiScorer: per-entity reduction gives the training-time forward pass on whole documents", () => {
  const o = resolvePesiOptions({ latentDim: 8, maxReviews: 4 });
  const params = createPesiParams(
    {
      featureDim: features.dim,
      latentDim: 8,
      numUsers: split.users.size,
      numItems: split.items.size,
    },
    3.7,
    new Rng(3),
  );
  // Non-zero biases, so their part of the sum is checked too.
  const rng = new Rng(9);
  for (const v of [params.userBias, params.itemBias]) {
    const values = tf.tensor2d(
      Float32Array.from({ length: v.shape[0] }, () => rng.uniform(-0.5, 0.5)),
      [v.shape[0], 1],
    );
    v.assign(values);
    values.dispose();
  }
  const lists = entityReviews(split.train, features.tokens, split.users.size, split.items.size);
  const net = new PesiNetwork(params, new AttentionPooler(features), lists, o);
  const users = Int32Array.of(0, 3, 3, 50, 119);
  const items = Int32Array.of(0, 1, 79, 40, 7);
  // Nothing excluded: the documents prediction uses.
  const plan = net.planBatch(new Int32Array(5).fill(-1), users, items, new Float32Array(5));
  const direct = tf.tidy(() => {
    const { r, t } = net.views(plan);
    const head = ratingHead(params, disentangle(params, r, t));
    const bu = tf.reshape(tf.gather(params.userBias, tf.tensor1d(users, "int32")), [-1]);
    const bi = tf.reshape(tf.gather(params.itemBias, tf.tensor1d(items, "int32")), [-1]);
    return tf.add(tf.add(tf.add(head.interaction, bu), bi), params.global);
  });
  const docs = net.encodeDocuments();
  const scorer = new PesiScorer(params, docs.user, docs.item);
  const fast = scorer.predict(users, items);
  const expected = direct.dataSync();
  for (let j = 0; j < users.length; j++) assertAlmostEquals(fast[j], expected[j], 1e-4);
  // scoreAll rows are the same numbers, bit for bit.
  const all = scorer.scoreAll(Int32Array.of(3));
  assertEquals(all[1], fast[1]);
  assertEquals(all[79], fast[2]);
  assertThrows(() => new PesiScorer(params, docs.user.subarray(8), docs.item), RangeError);
  direct.dispose();
  disposePesiParams(params);
});
