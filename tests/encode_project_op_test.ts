import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { createDrexParams, disposeParams, namedParams } from "../lib/drex/drex_params.ts";
import { encodeAndProject } from "../lib/drex/encode_project_op.ts";
import { projectInputs } from "../lib/drex/gru.ts";
import { encodeInteractions } from "../lib/drex/interaction_encoder.ts";
import { AttentionPooler } from "../lib/kernels/attention_pool.ts";
import { DenseProducts } from "../lib/kernels/dense_products.ts";
import { Rng } from "../lib/random.ts";
import type { TokenFeatures } from "../lib/text/token_features.ts";
import { firstBitDifference } from "./support/float_bits.ts";
import { assert, assertEquals } from "./support/assert.ts";

await initBackend("wasm");

Deno.test("encodeAndProject: encodeInteractions then projectInputs, values and gradients to the bit", () => {
  const rng = new Rng(8);
  const D = 24;
  const d = 64;
  const vocab = Array.from({ length: 30 }, (_, i) => `w${i}`);
  const table = Float32Array.from({ length: vocab.length * D }, () => rng.normal());
  const tokens = Array.from(
    { length: 60 },
    () => Int32Array.from({ length: 1 + rng.int(12) }, () => rng.int(vocab.length)),
  );
  const features: TokenFeatures = { encoder: "test", dim: D, vocab, tokens, table };
  const pooler = new AttentionPooler(features);
  const params = createDrexParams(
    {
      featureDim: D,
      latentDim: d,
      ratingLevels: 5,
      numUsers: 3,
      numItems: 3,
      representation: "table",
      mlpHidden: 16,
      initScale: 0.1,
      biases: false,
    },
    3.5,
    rng,
  );
  // Non-zero biases, so that a bias added in the wrong place shows.
  for (const b of [params.review.bt, params.rating.br, params.fusion.bf, params.userGru.bzr]) {
    b.assign(tf.randomNormal(b.shape, 0, 0.1, "float32", rng.int(1000)));
  }
  params.userGru.bh.assign(tf.randomNormal([d], 0, 0.1, "float32", 9));
  const M = 211;
  // Rows without a review, and rows without a rating (hidden, or dropped as modality dropout).
  const inputs = {
    reviews: Int32Array.from({ length: M }, () => (rng.next() < 0.2 ? -1 : rng.int(tokens.length))),
    levels: Int32Array.from({ length: M }, () => (rng.next() < 0.2 ? -1 : rng.int(5))),
  };
  const cell = params.userGru;
  const names = namedParams(params).filter(([n]) =>
    n.startsWith("review.") || n.startsWith("rating.") || n.startsWith("fusion.") ||
    (n.startsWith("userGru.") && (n.includes(".wx") || n.endsWith(".bzr") || n.endsWith(".bh")))
  );
  assertEquals(names.length, 12);
  const vars = names.map(([, v]) => v);
  // A loss that weighs every output differently, so every gradient path carries its own values.
  const weights = tf.randomNormal([M, 3 * d], 0, 1, "float32", 11);
  const want = tf.variableGrads(() => {
    const { x } = encodeInteractions(params, pooler, inputs);
    const p = projectInputs(cell, x);
    return tf.sum(tf.mul(tf.concat([p.zr, p.h], 1), weights)) as tf.Scalar;
  }, vars);
  const got = tf.variableGrads(
    () =>
      tf.sum(
        tf.mul(encodeAndProject(new DenseProducts(), params, cell, pooler, inputs), weights),
      ) as tf.Scalar,
    vars,
  );
  const value = (t: tf.Tensor) => t.dataSync() as Float32Array;
  assert(firstBitDifference(value(got.value), value(want.value)) < 0, "losses differ");
  const [outGot, outWant] = tf.tidy(() => {
    const p = projectInputs(cell, encodeInteractions(params, pooler, inputs).x);
    return [
      value(encodeAndProject(new DenseProducts(), params, cell, pooler, inputs)),
      value(tf.concat([p.zr, p.h], 1)),
    ];
  });
  assert(firstBitDifference(outGot, outWant) < 0, "outputs differ");
  for (const [name, v] of names) {
    const [g, w] = [value(got.grads[v.name]), value(want.grads[v.name])];
    const at = firstBitDifference(g, w);
    assert(at < 0, `gradient of ${name}: value ${at} is ${g[at]}, TF.js ${w[at]}`);
  }
  [want, got].forEach((r) => {
    r.value.dispose();
    Object.values(r.grads).forEach((g) => g.dispose());
  });
  weights.dispose();
  disposeParams(params);
});
