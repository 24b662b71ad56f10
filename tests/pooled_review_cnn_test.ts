import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import {
  argmaxWindows,
  PooledReviewCnn,
  type ReviewUnits,
} from "../lib/baselines/review_cnn/pooled_review_cnn.ts";
import { TokenRows } from "../lib/baselines/review_cnn/token_rows.ts";
import { windowConv } from "../lib/baselines/review_cnn/window_conv.ts";
import { Rng } from "../lib/random.ts";
import { reviewFeatureRows, type TokenFeatures } from "../lib/text/token_features.ts";
import { assertAlmostEquals, assertEquals } from "./support/assert.ts";

await initBackend("wasm");

const D = 4;
const F = 5;
const W = 3;

function randomArray(n: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
}

/** Reviews of 1..9 words over a 7-lemma vocabulary, in both feature forms. */
function features(rng: Rng): { table: TokenFeatures; perToken: TokenFeatures } {
  const vocab = ["a", "b", "c", "d", "e", "f", "g"];
  const lengths = [5, 1, 9, 2, 3, 7];
  const tokens = lengths.map((n) => Int32Array.from({ length: n }, () => rng.int(vocab.length)));
  const table: TokenFeatures = {
    encoder: "test",
    dim: D,
    vocab,
    tokens,
    table: randomArray(vocab.length * D, rng),
  };
  const perToken: TokenFeatures = {
    encoder: "test",
    dim: D,
    vocab,
    tokens,
    perToken: tokens.map((t) => randomArray(t.length * D, rng)),
  };
  return { table, perToken };
}

/** The plain computation: per unit, windowConv over its (zero-padded) words, max over time, bias, ReLU. */
function reference(
  f: TokenFeatures,
  units: ReviewUnits,
  weight: tf.Tensor2D,
  bias: tf.Tensor1D,
): tf.Tensor2D {
  const pooled: tf.Tensor1D[] = [];
  for (let u = 0; u < units.rows.length; u++) {
    const words = units.words[u];
    const rows = reviewFeatureRows(f, units.rows[u]).slice(0, words * D);
    const padded = new Float32Array(Math.max(words, W) * D);
    padded.set(rows);
    const x = tf.tensor3d(padded, [1, Math.max(words, W), D]);
    pooled.push(tf.reshape(tf.max(windowConv(x, weight, W), 1), [F]) as tf.Tensor1D);
  }
  return tf.relu(tf.add(tf.stack(pooled), bias)) as tf.Tensor2D;
}

/** The same through the scan + recomputed argmax windows. */
function pooledFast(
  cnn: PooledReviewCnn,
  units: ReviewUnits,
  weight: tf.Tensor2D,
  bias: tf.Tensor1D,
): tf.Tensor2D {
  const scan = cnn.scan(units, weight);
  const values = cnn.windowValues(argmaxWindows(units, scan, F), weight);
  return tf.relu(tf.add(tf.reshape(values, [units.rows.length, F]), bias)) as tf.Tensor2D;
}

for (const form of ["table", "perToken"] as const) {
  Deno.test(`pooled review CNN (${form} features) equals windowConv + max-pool + ReLU, values and gradients`, () => {
    const rng = new Rng(11);
    const f = features(rng)[form];
    const cnn = new PooledReviewCnn(new TokenRows(f), W, F);
    // Whole reviews, a review cut to 4 words, and one repeated with a different cut.
    const units: ReviewUnits = {
      rows: Int32Array.of(0, 1, 2, 3, 4, 5, 2, 5),
      words: Int32Array.of(5, 1, 9, 2, 3, 7, 4, 2),
    };
    const weight = tf.variable(tf.tensor2d(randomArray(W * D * F, rng), [W * D, F]));
    const bias = tf.variable(tf.tensor1d(randomArray(F, rng)));
    const mix = tf.tensor2d(randomArray(units.rows.length * F, rng), [units.rows.length, F]);
    const before = tf.memory().numTensors;

    const scan = cnn.scan(units, weight);
    const ref = tf.tidy(() => reference(f, units, weight, bias).dataSync());
    const fast = tf.tidy(() => pooledFast(cnn, units, weight, bias).dataSync());
    ref.forEach((v, j) => assertAlmostEquals(fast[j], v, 1e-5));
    // The scan's maxima are the pre-bias pooled values.
    const b = bias.dataSync();
    scan.max.forEach((m, j) => assertAlmostEquals(Math.max(0, m + b[j % F]), ref[j], 1e-5));

    const loss = (compute: typeof reference) => () =>
      tf.sum(tf.mul(compute(f, units, weight, bias), mix)) as tf.Scalar;
    const g1 = tf.variableGrads(loss(reference), [weight, bias]);
    const g2 = tf.variableGrads(loss((_, u, wt, bs) => pooledFast(cnn, u, wt, bs)), [weight, bias]);
    assertAlmostEquals(g2.value.dataSync()[0], g1.value.dataSync()[0], 1e-4);
    for (const name of [weight.name, bias.name]) {
      const a = g1.grads[name].dataSync();
      const c = g2.grads[name].dataSync();
      assertEquals(a.length, c.length);
      a.forEach((v, j) => assertAlmostEquals(c[j], v, 1e-4));
    }
    tf.dispose([g1.value, g2.value, ...Object.values(g1.grads), ...Object.values(g2.grads)]);
    assertEquals(tf.memory().numTensors, before, "no tensor left behind");
    tf.dispose([weight, bias, mix]);
  });
}

Deno.test("pooled review CNN: an all-padding window sums to zero; a 1-word review has one padded window", () => {
  const rng = new Rng(5);
  const f = features(rng).table;
  const cnn = new PooledReviewCnn(new TokenRows(f), W, F);
  const weight = tf.tensor2d(randomArray(W * D * F, rng), [W * D, F]);
  const values = cnn.windowValues({
    rows: Int32Array.of(-1, 1),
    words: Int32Array.of(0, 1),
    starts: Int32Array.of(0, 0),
    filters: Int32Array.of(2, 3),
  }, weight);
  const v = values.dataSync();
  assertEquals(v[0], 0);
  // Review 1 is one word: its only window is that word then two zero vectors.
  const word = f.tokens[1][0];
  const ws = weight.dataSync();
  let expected = 0;
  for (let d = 0; d < D; d++) expected += f.table![word * D + d] * ws[d * F + 3];
  assertAlmostEquals(v[1], expected, 1e-5);
  assertEquals(cnn.windowCount(1), 1);
  assertEquals(cnn.windowCount(9), 7);
  tf.dispose([weight, values]);
});
