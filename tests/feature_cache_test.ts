import { describesBlocks } from "../lib/kernels/resident_float_rows.ts";
import { join } from "node:path";
import {
  canonicalJson,
  defaultFeatureCacheDir,
  FEATURE_CACHE_EXTENSION,
  FeatureCache,
  featureCacheKey,
  hashTexts,
} from "../lib/text/feature_cache.ts";
import {
  reviewFeatureRows,
  type TokenFeatures,
  validateTokenFeatures,
} from "../lib/text/token_features.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "./support/assert.ts";

function tableFeatures(): TokenFeatures {
  return {
    encoder: "test:table",
    dim: 3,
    vocab: ["hair", "shampoo", "café"],
    tokens: [Int32Array.of(0, 1), Int32Array.of(), Int32Array.of(2, 0, 1)],
    table: Float32Array.from({ length: 9 }, (_, i) => i * 0.5 - 1),
  };
}

function perTokenFeatures(reviews = 5): TokenFeatures {
  const tokens = Array.from(
    { length: reviews },
    (_, r) => Int32Array.from({ length: r % 4 }, (_, k) => (r + k) % 3),
  );
  return {
    encoder: "test:bert",
    dim: 4,
    vocab: ["a1", "b2", "c3"],
    tokens,
    perToken: tokens.map((ids, r) =>
      Float32Array.from({ length: ids.length * 4 }, (_, i) => r + i / 10)
    ),
  };
}

function plain(f: TokenFeatures): unknown {
  return {
    ...f,
    tokens: f.tokens.map((t) => [...t]),
    table: f.table ? [...f.table] : undefined,
    perToken: f.perToken?.map((b) => [...b]),
    perTokenResident: undefined,
  };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const KEY = featureCacheKey({ encoder: "test:table", preprocess: { maxWords: 64 }, texts: ["x"] });

Deno.test("featureCacheKey depends on encoder, options and every text, in order", () => {
  const base = { encoder: "e", preprocess: { maxWords: 64, minLength: 2 }, texts: ["ab", "c"] };
  const key = featureCacheKey(base);
  assertMatch(key, /^[0-9a-f]{64}$/);
  assertEquals(featureCacheKey({ ...base, preprocess: { minLength: 2, maxWords: 64 } }), key);
  assertNotEquals(featureCacheKey({ ...base, encoder: "f" }), key);
  assertNotEquals(featureCacheKey({ ...base, preprocess: { maxWords: 32, minLength: 2 } }), key);
  assertNotEquals(featureCacheKey({ ...base, texts: ["a", "bc"] }), key);
  assertNotEquals(featureCacheKey({ ...base, texts: ["c", "ab"] }), key);
  assertNotEquals(featureCacheKey({ ...base, texts: ["ab", "c", undefined] }), key);
  assertNotEquals(hashTexts([undefined]), hashTexts([""]));
  assertEquals(hashTexts([undefined]), hashTexts([null]));
  assertThrows(() => hashTexts([3 as unknown as string]), TypeError, "text 0");
  assertEquals(
    canonicalJson({ b: [1, { d: 1, c: 2 }], a: "x", u: undefined }),
    '{"a":"x","b":[1,{"c":2,"d":1}]}',
  );
});

Deno.test("FeatureCache round-trips the table form and the per-token form", async () => {
  await withDir(async (dir) => {
    const cache = new FeatureCache({
      dir,
      onWarning: (m) => {
        throw new Error(m);
      },
    });
    assertEquals(await cache.read(KEY), undefined);
    const path = await cache.write(KEY, tableFeatures(), { note: "meta" });
    assertEquals(path, join(dir, KEY + FEATURE_CACHE_EXTENSION));
    assertEquals(
      plain((await cache.read(KEY))!),
      plain({ ...tableFeatures(), perToken: undefined }),
    );
    const key2 = KEY.replace(/^./, "f");
    await cache.write(key2, perTokenFeatures());
    const back = (await cache.read(key2))!;
    assertEquals(plain(back), plain({ ...perTokenFeatures(), table: undefined }));
    // Nothing but the two cache files is left in the folder (no temporary files).
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assertEquals(names, [KEY + FEATURE_CACHE_EXTENSION, key2 + FEATURE_CACHE_EXTENSION].sort());
  });
});

Deno.test("FeatureCache reads per-token features in runs of slabs, straight into kernel memory", async () => {
  await withDir(async (dir) => {
    // 1,200 reviews × up to 64 tokens × 300 wide: ~11.5M values, read back in one pass.
    const dim = 300;
    const tokens = Array.from(
      { length: 1200 },
      (_, r) => Int32Array.from({ length: r % 65 }, (_, k) => k % 2),
    );
    const features: TokenFeatures = {
      encoder: "test:wide",
      dim,
      vocab: ["x", "y"],
      tokens,
      perToken: tokens.map((ids, r) => new Float32Array(ids.length * dim).fill(r)),
    };
    const cache = new FeatureCache({ dir, slabBytes: 64 << 10 });
    await cache.write(KEY, features);
    const back = (await cache.read(KEY))!;
    assertEquals(back.perToken!.length, 1200);
    // Views into one memory the pooling kernel runs on, and described by perTokenResident.
    const resident = back.perTokenResident!;
    assertEquals(resident.shards.length, 1);
    assert(describesBlocks(resident, back.perToken!, dim));
    for (let r = 0; r < 1200; r++) {
      assertEquals(back.perToken![r].length, (r % 65) * dim);
      assert(back.perToken![r].every((x) => x === r));
      assertEquals([...back.tokens[r]], [...tokens[r]]);
    }
  });
});

Deno.test("FeatureCache reports a corrupt or truncated file once and treats it as a miss", async () => {
  await withDir(async (dir) => {
    const warnings: string[] = [];
    const cache = new FeatureCache({ dir, onWarning: (m) => warnings.push(m) });
    const path = await cache.write(KEY, tableFeatures());
    const good = await Deno.readFile(path);
    const cases: [string, Uint8Array][] = [
      ["truncated", good.subarray(0, good.length - 50)],
      ["flipped float", good.map((b, i) => (i === good.length - 45 ? b ^ 0xff : b))],
      ["bad magic", good.map((b, i) => (i === 0 ? 0 : b))],
      ["garbage", new TextEncoder().encode("hello, not a cache file at all, sorry about that")],
      ["empty", new Uint8Array()],
      ["huge header length", good.map((b, i) => (i === 15 ? 0x7f : b))],
    ];
    for (const [what, bytes] of cases) {
      await Deno.writeFile(path, bytes);
      warnings.length = 0;
      assertEquals(await cache.read(KEY), undefined, what);
      assertEquals(warnings.length, 1, what);
      assertStringIncludes(warnings[0], path);
    }
    // A file written under another key's name is not taken for this key.
    const other = KEY.replace(/^./, "0");
    await Deno.writeFile(cache.pathFor(other), good);
    warnings.length = 0;
    assertEquals(await cache.read(other), undefined);
    assertStringIncludes(warnings[0], "key");
  });
});

Deno.test("FeatureCache validates what it writes and the keys it is given", async () => {
  await withDir(async (dir) => {
    const cache = new FeatureCache({ dir });
    const bad = { ...tableFeatures(), table: new Float32Array(2) };
    await assertRejects(() => cache.write(KEY, bad), RangeError, "table");
    assertThrows(() => cache.pathFor("../../etc/passwd"), RangeError, "hex");
    assertEquals([...Deno.readDirSync(dir)].length, 0);
  });
});

Deno.test("validateTokenFeatures names the first inconsistency", () => {
  validateTokenFeatures(tableFeatures());
  validateTokenFeatures(perTokenFeatures());
  assertThrows(
    () => validateTokenFeatures({ ...tableFeatures(), perToken: [] }),
    TypeError,
    "exactly one",
  );
  assertThrows(
    () => validateTokenFeatures({ ...tableFeatures(), tokens: [Int32Array.of(3)] }),
    RangeError,
    "outside the vocabulary",
  );
  const f = perTokenFeatures();
  f.perToken![3] = new Float32Array(1);
  assertThrows(() => validateTokenFeatures(f), RangeError, "perToken[3]");
});

Deno.test("defaultFeatureCacheDir honours DREX_CACHE_DIR, else .cache/drex/features under the cwd", () => {
  const saved = Deno.env.get("DREX_CACHE_DIR");
  try {
    Deno.env.delete("DREX_CACHE_DIR");
    assertEquals(defaultFeatureCacheDir(), join(Deno.cwd(), ".cache", "drex", "features"));
    Deno.env.set("DREX_CACHE_DIR", "/tmp/drex-test-cache");
    assertEquals(defaultFeatureCacheDir(), "/tmp/drex-test-cache");
    assertEquals(new FeatureCache().dir, "/tmp/drex-test-cache");
  } finally {
    if (saved === undefined) Deno.env.delete("DREX_CACHE_DIR");
    else Deno.env.set("DREX_CACHE_DIR", saved);
  }
});

Deno.test('FeatureCache with perToken "file": checks every byte, then leaves the features in the cache file', async () => {
  await withDir(async (dir) => {
    const warnings: string[] = [];
    const cache = new FeatureCache({ dir, onWarning: (m) => warnings.push(m) });
    const key = KEY.replace(/^./, "e");
    const written = await cache.writeInFile(key, perTokenFeatures());
    const path = written.path;
    const back = (await cache.read(key, { perToken: "file" }))!;
    // Written, the features point where a later read finds them.
    assertEquals(written.features.perTokenFile, back.perTokenFile);
    assertEquals(written.features.perToken, undefined);
    assertEquals(back.perToken, undefined);
    assertEquals(back.perTokenFile!.path, path);
    validateTokenFeatures(back);
    const expected = perTokenFeatures();
    expected.tokens.forEach((_, r) =>
      assertEquals(reviewFeatureRows(back, r), expected.perToken![r])
    );
    // Table features are read into memory whatever is asked.
    await cache.write(KEY, tableFeatures());
    assertEquals((await cache.read(KEY, { perToken: "file" }))!.table, tableFeatures().table);
    // Features in a file are written out like features in memory (here under another key).
    const copy = KEY.replace(/^./, "d");
    await cache.write(copy, back);
    assertEquals(plain((await cache.read(copy))!), plain({ ...expected, table: undefined }));
    // A flipped value is caught even though the values are not kept.
    const good = await Deno.readFile(path);
    await Deno.writeFile(path, good.map((b, i) => (i === good.length - 45 ? b ^ 0xff : b)));
    assertEquals(await cache.read(key, { perToken: "file" }), undefined);
    assertStringIncludes(warnings.join("\n"), "checksum");
  });
});
