import { BertEncoder } from "../lib/text/bert_encoder.ts";
import {
  assert,
  assertEquals,
  assertLessOrEqual,
  assertMatch,
  assertNotEquals,
  assertRejects,
} from "./support/assert.ts";
import { hasShared, sharedPath } from "./support/shared.ts";

const TINY = sharedPath("models", "tiny-random-bert");

function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  assertEquals(a.map((x) => x.length), b.map((x) => x.length));
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < a[i].length; j++) m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
  }
  return m;
}

const SEQUENCES = [
  ["great", "shampoo", "smell", "lovely"],
  [],
  ["unbelievably", "moisturizing", "conditioner"], // multi-piece words
  ["hair"],
  ["cheap", "bottle", "leak", "everywhere", "disappointed", "return", "refund", "never"],
];

const shapeTest =
  "BertEncoder on tiny-random-bert gives one 32-wide row per word, on onnxruntime-node";
Deno.test({
  name: shapeTest,
  ignore: !hasShared(shapeTest, "models", "tiny-random-bert"),
  async fn() {
    const encoder = await BertEncoder.create(TINY, { quantized: false });
    try {
      assertEquals(encoder.dim, 32);
      assertEquals(encoder.contextual, true);
      assertEquals(encoder.maxLength, 512);
      assertMatch(encoder.id, /^bert:local\/tiny-random-bert#[0-9a-f]{12}:fp32:max512$/);
      assertEquals(encoder.runtime, undefined);
      const progress: number[] = [];
      const out = await encoder.encode(SEQUENCES, { onProgress: (d) => progress.push(d) });
      assertEquals(out.map((b) => b.length), SEQUENCES.map((s) => s.length * 32));
      assertEquals(progress.at(-1), SEQUENCES.length);
      assertEquals(encoder.runtime, "onnxruntime-node");
      assert(out[0].every(Number.isFinite));
      // Context matters: the same word in different sentences gets different features.
      const [alone] = await encoder.encode([["shampoo"]]);
      assertNotEquals([...alone], [...out[0].subarray(32, 64)]);
    } finally {
      await encoder.dispose();
    }
  },
});

const batchTest = "BertEncoder batching and length bucketing do not change features (fp32)";
Deno.test({
  name: batchTest,
  ignore: !hasShared(batchTest, "models", "tiny-random-bert"),
  async fn() {
    const batched = await BertEncoder.create(TINY, { quantized: false, batchSize: 3 });
    const single = await BertEncoder.create(TINY, { quantized: false, batchSize: 1 });
    try {
      const all = await batched.encode(SEQUENCES);
      const oneByOne: Float32Array[] = [];
      for (const s of SEQUENCES) oneByOne.push((await single.encode([s]))[0]);
      assertLessOrEqual(maxAbsDiff(all, oneByOne), 1e-4);
      // Order of the input does not matter either.
      const reversed = await batched.encode([...SEQUENCES].reverse());
      assertLessOrEqual(maxAbsDiff(all, reversed.reverse()), 1e-4);
    } finally {
      await batched.dispose();
      await single.dispose();
    }
  },
});

const windowTest =
  "BertEncoder splits long sequences into windows and still gives every word a row";
Deno.test({
  name: windowTest,
  ignore: !hasShared(windowTest, "models", "tiny-random-bert"),
  async fn() {
    // maxLength 6 leaves 4 pieces per window: ["great","shampoo","smell","lovely"] fits one window
    // only if every word is one piece, so the 8-word sequence needs at least two windows.
    const small = await BertEncoder.create(TINY, { quantized: false, maxLength: 6 });
    const full = await BertEncoder.create(TINY, { quantized: false });
    try {
      const a = await small.encode(SEQUENCES);
      const b = await full.encode(SEQUENCES);
      assertEquals(a.map((x) => x.length), SEQUENCES.map((s) => s.length * 32));
      // A one-word sequence is one window either way: identical features.
      assertLessOrEqual(maxAbsDiff([a[3]], [b[3]]), 1e-5);
      // The long one lost cross-window context: its features change.
      assert(maxAbsDiff([a[4]], [b[4]]) > 1e-3);
      assertNotEquals(small.id, full.id);
    } finally {
      await small.dispose();
      await full.dispose();
    }
  },
});

const int8Test = "BertEncoder loads the int8 model with a distinct id";
Deno.test({
  name: int8Test,
  ignore: !hasShared(int8Test, "models", "tiny-random-bert"),
  async fn() {
    const q = await BertEncoder.create(TINY);
    try {
      assertMatch(q.id, /:int8:max512$/);
      const out = await q.encode(SEQUENCES);
      assertEquals(out.map((x) => x.length), SEQUENCES.map((s) => s.length * 32));
    } finally {
      await q.dispose();
    }
  },
});

Deno.test("BertEncoder rejects bad options and missing models clearly", async () => {
  await assertRejects(() => BertEncoder.create(""), TypeError, "model");
  const dir = await Deno.makeTempDir();
  try {
    await assertRejects(() => BertEncoder.create(dir), Error, "config.json");
    await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify({ hidden_size: 8 }));
    await assertRejects(() => BertEncoder.create(dir), Error, "model_quantized.onnx");
    await Deno.mkdir(`${dir}/onnx`);
    await Deno.writeFile(`${dir}/onnx/model_quantized.onnx`, new Uint8Array(4));
    await assertRejects(() => BertEncoder.create(dir, { batchSize: 0 }), RangeError, "batchSize");
    await assertRejects(() => BertEncoder.create(dir, { maxLength: 2 }), RangeError, "maxLength");
    await assertRejects(() => BertEncoder.create(dir, { maxLength: 513 }), RangeError, "maxLength");
    const ok = await BertEncoder.create(dir, { maxLength: 128 });
    assertEquals(ok.dim, 8);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
