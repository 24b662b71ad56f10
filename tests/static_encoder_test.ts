import { extractFeatures } from "../lib/text/extract_features.ts";
import { StaticEncoder } from "../lib/text/static_encoder.ts";
import { assert, assertEquals, assertGreater, assertRejects } from "./support/assert.ts";

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

// One encoder for the whole file: the embeddings take seconds to load.
const encoder = new StaticEncoder();

Deno.test("StaticEncoder reports its id, width and context-freeness before loading", () => {
  assertEquals(encoder.id, "static:wink-sg-100d");
  assertEquals(encoder.dim, 100);
  assertEquals(encoder.contextual, false);
  assertEquals(new StaticEncoder({ normalize: true }).id, "static:wink-sg-100d:l2");
});

Deno.test("StaticEncoder places related words nearer than unrelated ones", async () => {
  const words = [
    "game",
    "play",
    "shampoo",
    "conditioner",
    "guitar",
    "hair",
    "scalp",
    "keyboard",
    "great",
    "excellent",
    "lipstick",
    "cheap",
    "inexpensive",
    "volcano",
  ];
  const [rows] = await encoder.encode([words]);
  assertEquals(rows.length, words.length * 100);
  const v = (w: string) => rows.subarray(words.indexOf(w) * 100, words.indexOf(w) * 100 + 100);
  const pairs: [string, string, string][] = [
    ["game", "play", "shampoo"],
    ["shampoo", "conditioner", "guitar"],
    ["hair", "scalp", "keyboard"],
    ["great", "excellent", "lipstick"],
    ["cheap", "inexpensive", "volcano"],
  ];
  for (const [a, near, far] of pairs) {
    assertGreater(cosine(v(a), v(near)), cosine(v(a), v(far)), `${a}: ${near} vs ${far}`);
  }
});

Deno.test("StaticEncoder returns one block per sequence in input order; empty gives empty", async () => {
  const out = await encoder.encode([["hair"], [], ["game", "hair"]]);
  assertEquals(out.map((b) => b.length), [100, 0, 200]);
  assertEquals([...out[2].subarray(100)], [...out[0]]);
  assert(out[0].some((x) => x !== 0));
});

Deno.test("StaticEncoder falls back for unknown words: accents, joined, parts mean, else zeros", async () => {
  const vec = async (w: string) => [...(await encoder.lookup(w))!];
  // "café", "hair-brush" and "shampoo-conditioner" are not in the embeddings themselves.
  assertEquals(await vec("café"), await vec("cafe"));
  assertEquals(await vec("hair-brush"), await vec("hairbrush"));
  const shampoo = await vec("shampoo");
  const conditioner = await vec("conditioner");
  const mixed = await vec("shampoo-conditioner");
  for (let j = 0; j < 100; j++) {
    assert(Math.abs(mixed[j] - (shampoo[j] + conditioner[j]) / 2) < 1e-5);
  }
  assertEquals(await vec("shampoo-qqzzxx"), shampoo);
  assertEquals(await encoder.lookup("qqzzxxunknownword"), undefined);
  // Object.prototype members are never taken for table entries.
  assertEquals(await encoder.lookup("__proto__"), undefined);
  assertEquals(await encoder.lookup("hasownproperty"), undefined);
  const [rows] = await encoder.encode([["qqzzxxunknownword", "hair"]]);
  assertEquals(rows.subarray(0, 100).every((x) => x === 0), true);
  assertEquals(rows.subarray(100).some((x) => x !== 0), true);
});

Deno.test("StaticEncoder normalize gives unit vectors", async () => {
  const unit = new StaticEncoder({ normalize: true });
  const [rows] = await unit.encode([["shampoo"]]);
  let n = 0;
  for (const x of rows) n += x * x;
  assert(Math.abs(Math.sqrt(n) - 1) < 1e-5);
  await unit.dispose();
});

Deno.test("StaticEncoder rejects malformed input", async () => {
  await assertRejects(() => encoder.encode("game" as unknown as string[][]), TypeError);
  await assertRejects(() => encoder.encode([[1 as unknown as string]]), TypeError, "word 0");
});

Deno.test("extractFeatures with StaticEncoder gives the table form, one row per vocabulary lemma", async () => {
  const texts = ["Great shampoo for my hair, great smell.", undefined, "Hair dryer broke."];
  const { features } = await extractFeatures(texts, { encoder, cache: false });
  assertEquals(features.encoder, "static:wink-sg-100d");
  assertEquals(features.vocab, ["great", "shampoo", "hair", "smell", "dryer", "break"]);
  assertEquals(features.tokens.map((t) => [...t]), [[0, 1, 2, 0, 3], [], [2, 4, 5]]);
  assertEquals(features.perToken, undefined);
  assertEquals(features.table!.length, 6 * 100);
  const [hair] = await encoder.encode([["hair"]]);
  assertEquals([...features.table!.subarray(200, 300)], [...hair]);
});
