import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { AttentionPooler } from "../lib/kernels/attention_pool.ts";
import { attentionPool, attentionPoolProjected } from "../lib/drex/attention_pool_op.ts";
import type { TokenFeatures } from "../lib/text/token_features.ts";
import { reviewFeatureRows } from "../lib/text/token_features.ts";
import { Rng } from "../lib/random.ts";
import { untilTwoThreads } from "./support/helper_thread.ts";
import { withFeaturesInFile } from "./support/features_in_file.ts";
import { compactFeatures, compactRows } from "../lib/text/compact_features.ts";
import { moveIntoResidentRows } from "../lib/kernels/resident_float_rows.ts";
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "./support/assert.ts";

await initBackend("wasm");

/** Random features in both forms, with an empty review and a 1-token review. */
function makeFeatures(
  rng: Rng,
  D: number,
): {
  table: TokenFeatures;
  perToken: TokenFeatures;
  perTokenInt8: TokenFeatures;
  perTokenInt8Copied: TokenFeatures;
  perTokenResident: TokenFeatures;
  perTokenSharded: TokenFeatures;
} {
  const vocabSize = 13;
  const table = new Float32Array(vocabSize * D).map(() => rng.normal());
  const lengths = [5, 0, 1, 9, 3, 17];
  const tokens = lengths.map((n) => Int32Array.from({ length: n }, () => rng.int(vocabSize)));
  const vocab = Array.from({ length: vocabSize }, (_, i) => `w${i}`);
  const tableForm: TokenFeatures = { encoder: "test", dim: D, vocab, tokens, table };
  const perToken = tokens.map((_, r) => reviewFeatureRows(tableForm, r).slice());
  const perTokenForm: TokenFeatures = { encoder: "test", dim: D, vocab, tokens, perToken };
  // Int8 rows in ordinary arrays (as a caller or a copy would make them): the pooler copies them in.
  const rows = perToken.map((block) => compactRows(block, D));
  const copied: TokenFeatures = {
    encoder: "test",
    dim: D,
    vocab,
    tokens,
    perTokenInt8: { values: rows.map((x) => x.values), scales: rows.map((x) => x.scales) },
  };
  // Float rows in kernel memory: in one shard, and in four (1,500 bytes a shard: reviews 0-2,
  // 3, 4 and 5, the last larger than a shard).
  const resident = (shardBytes?: number): TokenFeatures => {
    const { perToken: views, perTokenResident } = moveIntoResidentRows(
      perToken.map((b) => b.slice()),
      D,
      { shardBytes },
    );
    return { ...perTokenForm, perToken: views, perTokenResident };
  };
  return {
    table: tableForm,
    perToken: perTokenForm,
    perTokenInt8: compactFeatures(perTokenForm),
    perTokenInt8Copied: copied,
    perTokenResident: resident(),
    perTokenSharded: resident(1500),
  };
}

/** The same computation with plain TF.js ops, one review at a time. */
function referencePool(features: TokenFeatures, reviews: Int32Array, v: tf.Tensor1D): tf.Tensor2D {
  const D = features.dim;
  const rows = Array.from(reviews, (r) => {
    const n = r < 0 ? 0 : features.tokens[r].length;
    if (n === 0) return tf.zeros([1, D]);
    const E = tf.tensor2d(reviewFeatureRows(features, r), [n, D]);
    const a = tf.softmax(tf.reshape(tf.matMul(E, tf.reshape(v, [D, 1])), [1, n]));
    return tf.matMul(a, E);
  });
  return tf.concat(rows, 0) as tf.Tensor2D;
}

// Int8 features are compared with their own float expansion (reviewFeatureRows): the kernel
// must compute what the stored values stand for, up to its int16 steps (1/32767 of the largest
// score vector entry, token weight or gradient entry), far finer than the int8 rows' own.
const FORMS = [
  "table",
  "perToken",
  "perTokenInt8",
  "perTokenInt8Copied",
  "perTokenResident",
  "perTokenSharded",
] as const;

for (const form of FORMS) {
  Deno.test(`attention pooling (${form}) matches TF.js ops forward and backward`, () => {
    const tol = form.startsWith("perTokenInt8") ? 1e-4 : 1e-5;
    const rng = new Rng(7);
    const D = 37; // not a multiple of 4 or 8: exercises the kernel's scalar tails
    const features = makeFeatures(rng, D)[form];
    const pooler = new AttentionPooler(features);
    const reviews = Int32Array.of(0, 1, -1, 2, 3, 5, 4, 0);
    const v = tf.tensor1d(Array.from({ length: D }, () => 0.3 * rng.normal()));
    const G = tf.tensor2d(Array.from({ length: reviews.length * D }, () => rng.normal()), [
      reviews.length,
      D,
    ]);

    const ours = attentionPool(pooler, reviews, v);
    const ref = referencePool(features, reviews, v);
    const a = ours.pooled.dataSync();
    const b = ref.dataSync();
    for (let j = 0; j < a.length; j++) {
      assertAlmostEquals(a[j], b[j], tol * Math.max(1, Math.abs(b[j])));
    }

    // attention weights of each non-empty review sum to one; missing/empty pool to zero
    const { offsets, attention } = ours.result;
    for (let m = 0; m < reviews.length; m++) {
      let s = 0;
      for (let k = offsets[m]; k < offsets[m + 1]; k++) s += attention[k];
      const n = offsets[m + 1] - offsets[m];
      assertAlmostEquals(s, n > 0 ? 1 : 0, 1e-6);
    }

    const gOurs = tf.grad((vv: tf.Tensor) =>
      tf.sum(tf.mul(attentionPool(pooler, reviews, vv).pooled, G))
    )(v);
    const gRef = tf.grad((vv: tf.Tensor) =>
      tf.sum(tf.mul(referencePool(features, reviews, vv as tf.Tensor1D), G))
    )(v);
    const ga = gOurs.dataSync();
    const gb = gRef.dataSync();
    assertEquals(ga.length, D);
    let norm = 0;
    for (let j = 0; j < D; j++) {
      assertAlmostEquals(ga[j], gb[j], 10 * tol * Math.max(1, Math.abs(gb[j])));
      norm += gb[j] * gb[j];
    }
    assert(norm > 1e-6, "reference gradient should not vanish");
  });

  Deno.test(`projected attention pooling (${form}) equals pooling then matMul, forward and backward`, async () => {
    const tol = form.startsWith("perTokenInt8") ? 1e-4 : 1e-5;
    const rng = new Rng(17);
    const D = 37;
    const width = 22; // one block of 16 columns and a scalar tail of 6
    const features = makeFeatures(rng, D)[form];
    const reviews = Int32Array.of(0, 1, -1, 2, 3, 5, 4, 0);
    const v = tf.tensor1d(Array.from({ length: D }, () => 0.3 * rng.normal()));
    const W = tf.tensor2d(Array.from({ length: D * width }, () => rng.normal()), [D, width]);
    const G = tf.tensor2d(Array.from({ length: reviews.length * width }, () => rng.normal()), [
      reviews.length,
      width,
    ]);
    for (const threads of [1, 2]) {
      const pooler = new AttentionPooler(features, { threads });
      try {
        if (threads === 2) {
          pooler.forward(reviews, v.dataSync() as Float32Array); // starts the helper
          await untilTwoThreads(pooler);
        }
        const ours = attentionPoolProjected(pooler, reviews, v, W);
        const ref = tf.matMul(attentionPool(pooler, reviews, v).pooled, W);
        const a = ours.projected.dataSync();
        const b = ref.dataSync();
        for (let j = 0; j < a.length; j++) {
          assertAlmostEquals(a[j], b[j], 1e-5 * Math.max(1, Math.abs(b[j])));
        }
        // Exactly a float32 product summed in row order, whether the kernel projected a row in a
        // group of four or alone (eight reviews; on two threads, each half has its own groups).
        const pooled = ours.result.pooled;
        const w = W.dataSync();
        const exact = new Float32Array(reviews.length * width);
        for (let m = 0; m < reviews.length; m++) {
          for (let c = 0; c < width; c++) {
            let acc = 0;
            for (let j = 0; j < D; j++) {
              acc = Math.fround(acc + Math.fround(pooled[m * D + j] * w[j * width + c]));
            }
            exact[m * width + c] = acc;
          }
        }
        assertEquals(Float32Array.from(a), exact);
        // Without gradients: the same values, and no pooled rows copied out.
        const plain = attentionPoolProjected(pooler, reviews, v, W, { gradient: false });
        assertEquals(plain.projected.dataSync(), ours.projected.dataSync());
        assertEquals(plain.result.pooled.length, 0);
        assertEquals(plain.result.attention, ours.result.attention);
        const bare = attentionPoolProjected(pooler, reviews, v, W, {
          gradient: false,
          attention: false,
        });
        assertEquals(bare.projected.dataSync(), ours.projected.dataSync());
        assertEquals(bare.result.attention.length, 0);
        assertThrows(
          () => pooler.backwardProjected(plain.result, new Float32Array(reviews.length * width)),
          Error,
          "did not keep",
        );
        const loss =
          (f: (vv: tf.Tensor, ww: tf.Tensor) => tf.Tensor) => (vv: tf.Tensor, ww: tf.Tensor) =>
            tf.sum(tf.mul(f(vv, ww), G));
        const [dvOurs, dwOurs] = tf.grads(
          loss((vv, ww) => attentionPoolProjected(pooler, reviews, vv, ww).projected),
        )([v, W]);
        const [dvRef, dwRef] = tf.grads(
          loss((vv, ww) => tf.matMul(attentionPool(pooler, reviews, vv).pooled, ww)),
        )([v, W]);
        for (const [x, y] of [[dvOurs, dvRef], [dwOurs, dwRef]]) {
          const xs = x.dataSync();
          const ys = y.dataSync();
          assertEquals(xs.length, ys.length);
          for (let j = 0; j < xs.length; j++) {
            assertAlmostEquals(xs[j], ys[j], 10 * tol * Math.max(1, Math.abs(ys[j])));
          }
        }
      } finally {
        pooler.dispose();
      }
    }
  });
}

Deno.test("attention pooling grows kernel memory for large batches and stays correct", () => {
  const rng = new Rng(3);
  const D = 64;
  const { perToken } = makeFeatures(rng, D);
  const pooler = new AttentionPooler(perToken);
  const reviews = Int32Array.from({ length: 3000 }, (_, j) => j % perToken.tokens.length);
  const v = new Float32Array(D).map(() => rng.normal());
  const big = pooler.forward(reviews, v);
  const small = pooler.forward(reviews.subarray(0, 6), v);
  for (let j = 0; j < 6 * D; j++) assertEquals(big.pooled[j], small.pooled[j]);
});

Deno.test("a helper thread: the same pooled features bit for bit, the gradient up to summation order", async () => {
  const rng = new Rng(11);
  const D = 48;
  for (const form of FORMS) {
    const features = makeFeatures(rng, D)[form];
    const one = new AttentionPooler(features);
    const two = new AttentionPooler(features, { threads: 2 });
    try {
      const reviews = Int32Array.of(3, 0, 5, 1, -1, 2, 4, 5, 3);
      const v = new Float32Array(D).map(() => 0.3 * rng.normal());
      two.forward(reviews, v); // starts the helper
      await untilTwoThreads(two);
      const a = one.forward(reviews, v);
      const b = two.forward(reviews, v);
      assertEquals(b.pooled, a.pooled);
      assertEquals(b.attention, a.attention);
      const dp = new Float32Array(a.pooled.length).map(() => rng.normal());
      const g1 = one.backward(a, dp);
      const g2 = two.backward(b, dp);
      g1.forEach((x, j) => assertAlmostEquals(g2[j], x, 1e-5 * Math.max(1, Math.abs(x))));
      // Before the helper starts, two threads' work runs here, split the same way: same result.
      const cold = new AttentionPooler(features, { threads: 2 });
      const c = cold.forward(reviews, v);
      assertEquals(cold.backward(c, dp), g2);
      cold.dispose();
    } finally {
      one.dispose();
      two.dispose();
    }
  }
  assertThrows(() => new AttentionPooler(makeFeatures(rng, 4).table, { threads: 3 }), RangeError);
});

Deno.test("features in a file pool exactly as the same features in memory, on one thread and two", async () => {
  const rng = new Rng(23);
  const D = 37;
  const { perToken } = makeFeatures(rng, D);
  await withFeaturesInFile(perToken, async (inFile) => {
    const reviews = Int32Array.of(3, 0, 5, 1, -1, 2, 4, 5, 3);
    const v = new Float32Array(D).map(() => 0.3 * rng.normal());
    const width = 9;
    const projection = { weights: new Float32Array(D * width).map(() => rng.normal()), width };
    for (const threads of [1, 2]) {
      const memory = new AttentionPooler(perToken, { threads });
      const file = new AttentionPooler(inFile, { threads });
      try {
        if (threads === 2) {
          file.forward(reviews, v); // starts the helpers
          memory.forward(reviews, v);
          await untilTwoThreads(file);
          await untilTwoThreads(memory);
        }
        const a = memory.forward(reviews, v, projection);
        const b = file.forward(reviews, v, projection);
        assertEquals(b.pooled, a.pooled);
        assertEquals(b.attention, a.attention);
        assertEquals(b.projected, a.projected);
        const g = new Float32Array(reviews.length * width).map(() => rng.normal());
        assertEquals(file.backwardProjected(b, g), memory.backwardProjected(a, g));
      } finally {
        memory.dispose();
        file.dispose();
      }
    }
  });
});

Deno.test("float rows in kernel memory pool as copied rows do: in one shard bit for bit, in several up to the gradient's summation order", async () => {
  const rng = new Rng(29);
  const D = 37;
  const forms = makeFeatures(rng, D);
  assertEquals(forms.perTokenResident.perTokenResident!.shards.length, 1);
  assertEquals(forms.perTokenSharded.perTokenResident!.shards.length, 4);
  const reviews = Int32Array.of(3, 0, 5, 1, -1, 2, 4, 5, 3);
  const v = new Float32Array(D).map(() => 0.3 * rng.normal());
  const width = 9;
  const projection = { weights: new Float32Array(D * width).map(() => rng.normal()), width };
  const g = new Float32Array(reviews.length * width).map(() => rng.normal());
  for (const threads of [1, 2]) {
    const copied = new AttentionPooler(forms.perToken, { threads });
    const poolers = [forms.perTokenResident, forms.perTokenSharded].map((f) =>
      new AttentionPooler(f, { threads })
    );
    try {
      if (threads === 2) {
        for (const p of [copied, ...poolers]) p.forward(reviews, v); // starts the helpers
        for (const p of [copied, ...poolers]) await untilTwoThreads(p);
      }
      const a = copied.forward(reviews, v, projection);
      const ga = copied.backwardProjected(a, g);
      poolers.forEach((pooler, i) => {
        const b = pooler.forward(reviews, v, projection);
        assertEquals(b.pooled, a.pooled);
        assertEquals(b.attention, a.attention);
        assertEquals(b.offsets, a.offsets);
        assertEquals(b.projected, a.projected);
        const gb = pooler.backwardProjected(b, g);
        if (i === 0) assertEquals(gb, ga);
        for (const key of ["dv", "dweights"] as const) {
          ga[key].forEach((x, j) =>
            assertAlmostEquals(gb[key][j], x, 1e-5 * Math.max(1, Math.abs(x)))
          );
        }
        // Without kept rows, and for an empty batch.
        const bare = pooler.forward(reviews, v, projection, { pooled: false, attention: false });
        assertEquals(bare.projected, a.projected);
        assertEquals(bare.pooled.length + bare.attention.length, 0);
        assertEquals(pooler.forward(new Int32Array(0), v).pooled.length, 0);
      });
    } finally {
      for (const p of [copied, ...poolers]) p.dispose();
    }
  }
});

Deno.test("float rows whose blocks were replaced are copied per batch, not read from stale memory", () => {
  const rng = new Rng(31);
  const D = 8;
  const { perTokenSharded, perToken } = makeFeatures(rng, D);
  // Review 3's block replaced by other values: the descriptor no longer describes it.
  const replaced = [...perTokenSharded.perToken!];
  replaced[3] = replaced[3].map((x) => -x);
  const stale: TokenFeatures = { ...perTokenSharded, perToken: replaced };
  const truth: TokenFeatures = { ...perToken, perToken: replaced.map((b) => b.slice()) };
  const reviews = Int32Array.of(3, 5, 0);
  const v = new Float32Array(D).map(() => rng.normal());
  const a = new AttentionPooler(stale);
  const b = new AttentionPooler(truth);
  try {
    assertEquals(a.forward(reviews, v).pooled, b.forward(reviews, v).pooled);
  } finally {
    a.dispose();
    b.dispose();
  }
});

Deno.test("a backward pass right after its forward pass reads the rows that pass packed, and only then", async () => {
  const rng = new Rng(37);
  const D = 12;
  const { perToken } = makeFeatures(rng, D);
  const A = Int32Array.of(3, 0, 5);
  const B = Int32Array.of(2, 4);
  const v = new Float32Array(D).map(() => rng.normal());
  const gA = new Float32Array(A.length * D).map(() => rng.normal());
  // The reference: each review's rows as they were when pooled.
  const reference = new AttentionPooler(perToken);
  const want = reference.backward(reference.forward(A, v), gA);
  reference.dispose();
  // Copied rows: the blocks change after the forward pass; the backward pass still sees the
  // packed rows, unless another call packed other rows in between.
  const blocks = perToken.perToken!.map((b) => b.slice());
  const copied = new AttentionPooler({ ...perToken, perToken: blocks });
  const a = copied.forward(A, v);
  blocks[3].fill(0);
  assertEquals(copied.backward(a, gA), want);
  copied.forward(A, v); // packs the changed rows
  const b = copied.forward(B, v);
  assert(b.pooled.length > 0);
  const changed = copied.backward(a, gA); // after another call: packs A's (changed) rows again
  assert(changed.some((x, j) => x !== want[j]));
  copied.dispose();
  // Rows in a file: the file changes after the forward pass.
  await withFeaturesInFile(perToken, (inFile) => {
    const pooler = new AttentionPooler(inFile);
    try {
      const a = pooler.forward(A, v);
      const path = inFile.perTokenFile!.path;
      const bytes = Deno.readFileSync(path);
      Deno.writeFileSync(path, new Uint8Array(bytes.length));
      assertEquals(pooler.backward(a, gA), want);
      pooler.forward(B, v);
      assertEquals([...pooler.backward(a, gA)].every((x) => x === 0), true); // zero rows now
    } finally {
      pooler.dispose();
    }
  });
});
