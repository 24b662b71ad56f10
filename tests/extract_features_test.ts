import { describesBlocks } from "../lib/kernels/resident_float_rows.ts";
import { BertEncoder } from "../lib/text/bert_encoder.ts";
import { extractFeatures } from "../lib/text/extract_features.ts";
import { Preprocessor } from "../lib/text/preprocess.ts";
import type { EncodeOptions, TokenEncoder } from "../lib/text/token_encoder.ts";
import { reviewFeatureRows } from "../lib/text/token_features.ts";
import {
  assert,
  assertEquals,
  assertNotEquals,
  assertRejects,
  assertStringIncludes,
} from "./support/assert.ts";
import { hasShared, sharedPath } from "./support/shared.ts";

/** A cheap deterministic encoder that counts its calls. */
class FakeEncoder implements TokenEncoder {
  readonly dim = 4;
  calls = 0;
  constructor(
    readonly contextual: boolean,
    readonly id = contextual ? "fake:ctx" : "fake:static",
  ) {}
  load(): Promise<void> {
    return Promise.resolve();
  }
  encode(
    sequences: readonly (readonly string[])[],
    options: EncodeOptions = {},
  ): Promise<Float32Array[]> {
    this.calls += 1;
    const out = sequences.map((words) => {
      const rows = new Float32Array(words.length * 4);
      words.forEach((w, k) => {
        rows[k * 4] = w.length;
        rows[k * 4 + 1] = w.charCodeAt(0);
        rows[k * 4 + 2] = this.contextual ? k : 0;
        rows[k * 4 + 3] = 1;
      });
      return rows;
    });
    options.onProgress?.(sequences.length, sequences.length);
    return Promise.resolve(out);
  }
  dispose(): Promise<void> {
    return Promise.resolve();
  }
}

const TEXTS = [
  "Great shampoo, my hair smells lovely!",
  undefined,
  "The conditioner was cheap and the bottle leaked. Shampoo is great.",
  "...",
];

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function noWarnings(m: string): never {
  throw new Error(`unexpected warning: ${m}`);
}

Deno.test("extractFeatures builds the table form for a context-free encoder", async () => {
  const encoder = new FakeEncoder(false);
  const stages = new Set<string>();
  const { features, cacheHit, cachePath } = await extractFeatures(TEXTS, {
    encoder,
    cache: false,
    onProgress: (stage) => stages.add(stage),
  });
  assertEquals(cacheHit, false);
  assertEquals(cachePath, undefined);
  assertEquals(features.encoder, "fake:static");
  assertEquals(features.vocab, [
    "great",
    "shampoo",
    "hair",
    "smell",
    "lovely",
    "conditioner",
    "cheap",
    "bottle",
    "leak",
  ]);
  assertEquals(features.tokens.map((t) => [...t]), [[0, 1, 2, 3, 4], [], [5, 6, 7, 8, 1, 0], []]);
  assertEquals(features.table!.length, features.vocab.length * 4);
  assertEquals(features.perToken, undefined);
  assertEquals([...reviewFeatureRows(features, 2).subarray(16, 20)], [7, "s".charCodeAt(0), 0, 1]);
  assertEquals([...stages].sort(), ["encode", "preprocess"]);
});

Deno.test("extractFeatures builds the per-token form for a contextual encoder", async () => {
  const { features } = await extractFeatures(TEXTS, {
    encoder: new FakeEncoder(true),
    cache: false,
  });
  assertEquals(features.table, undefined);
  assertEquals(features.perToken!.map((b) => b.length), [20, 0, 24, 0]);
  assertEquals(features.perToken![2][4 * 5 + 2], 5); // position-dependent feature of "shampoo"
  // Moved into the memory DReX's pooling kernel runs on.
  assert(describesBlocks(features.perTokenResident!, features.perToken!, features.dim));
});

Deno.test("extractFeatures writes the cache, hits it on the second run, and misses on changes", async () => {
  await withDir(async (dir) => {
    const encoder = new FakeEncoder(true);
    const first = await extractFeatures(TEXTS, { encoder, cacheDir: dir, onWarning: noWarnings });
    assertEquals(first.cacheHit, false);
    assert(first.cachePath !== undefined && first.cachePath.startsWith(dir));
    assertEquals(encoder.calls, 1);

    const second = await extractFeatures(TEXTS, { encoder, cacheDir: dir, onWarning: noWarnings });
    assertEquals(second.cacheHit, true);
    assertEquals(second.cachePath, first.cachePath);
    assertEquals(encoder.calls, 1); // the encoder was not run again
    assertEquals(second.features.vocab, first.features.vocab);
    assertEquals(
      second.features.perToken!.map((b) => [...b]),
      first.features.perToken!.map((b) => [...b]),
    );

    // Equal options spelled out, or a reused preprocessor with the same options: still a hit.
    const same = await extractFeatures(TEXTS, {
      encoder,
      cacheDir: dir,
      preprocess: { maxWords: 64 },
    });
    assertEquals(same.cacheHit, true);
    const reused = await extractFeatures(TEXTS, {
      encoder,
      cacheDir: dir,
      preprocessor: new Preprocessor(),
    });
    assertEquals(reused.cacheHit, true);

    const changes = [
      { preprocess: { maxWords: 3 } },
      { texts: [...TEXTS.slice(0, 3), "Different text"] },
      { texts: [TEXTS[2], TEXTS[1], TEXTS[0], TEXTS[3]] },
      { encoder: new FakeEncoder(true, "fake:ctx-v2") },
    ];
    for (const change of changes) {
      const run = await extractFeatures(change.texts ?? TEXTS, {
        encoder: change.encoder ?? encoder,
        preprocess: change.preprocess,
        cacheDir: dir,
        onWarning: noWarnings,
      });
      assertEquals(run.cacheHit, false, JSON.stringify(change));
      assertNotEquals(run.key, first.key);
    }
    const capped = await extractFeatures(TEXTS, {
      encoder,
      cacheDir: dir,
      preprocess: { maxWords: 3 },
    });
    assertEquals(capped.cacheHit, true);
    assertEquals(capped.features.tokens.map((t) => t.length), [3, 0, 3, 0]);
  });
});

Deno.test("extractFeatures recomputes (with one warning) when the cache file is corrupt", async () => {
  await withDir(async (dir) => {
    const encoder = new FakeEncoder(false);
    const first = await extractFeatures(TEXTS, { encoder, cacheDir: dir, onWarning: noWarnings });
    const bytes = await Deno.readFile(first.cachePath!);
    await Deno.writeFile(first.cachePath!, bytes.subarray(0, bytes.length >> 1));
    const warnings: string[] = [];
    const again = await extractFeatures(TEXTS, {
      encoder,
      cacheDir: dir,
      onWarning: (m) => warnings.push(m),
    });
    assertEquals(again.cacheHit, false);
    assertEquals(warnings.length, 1);
    assertStringIncludes(warnings[0], "truncated");
    assertEquals(encoder.calls, 2);
    assertEquals([...again.features.table!], [...first.features.table!]);
    // The recomputed file replaced the corrupt one: the next run hits.
    const third = await extractFeatures(TEXTS, { encoder, cacheDir: dir, onWarning: noWarnings });
    assertEquals(third.cacheHit, true);
  });
});

Deno.test("extractFeatures rejects bad input clearly", async () => {
  const encoder = new FakeEncoder(false);
  await assertRejects(
    () => extractFeatures("text" as unknown as string[], { encoder, cache: false }),
    TypeError,
    "array",
  );
  await assertRejects(
    () => extractFeatures(["ok", 5 as unknown as string], { encoder, cache: false }),
    TypeError,
    "text 1",
  );
  await assertRejects(
    () =>
      extractFeatures(["ok"], {
        encoder,
        cache: false,
        preprocess: {},
        preprocessor: new Preprocessor(),
      }),
    TypeError,
    "either",
  );
  await assertRejects(
    () => extractFeatures(["ok"], { encoder, cache: false, preprocess: { maxWords: 0 } }),
    RangeError,
    "maxWords",
  );
});

const bertTest =
  "extractFeatures with tiny-random-bert: one 32-wide row per kept word, cached per token";
Deno.test({
  name: bertTest,
  ignore: !hasShared(bertTest, "models", "tiny-random-bert"),
  async fn() {
    await withDir(async (dir) => {
      const encoder = await BertEncoder.create(sharedPath("models", "tiny-random-bert"), {
        quantized: false,
      });
      try {
        const first = await extractFeatures(TEXTS, {
          encoder,
          cacheDir: dir,
          onWarning: noWarnings,
        });
        const f = first.features;
        assertEquals(f.dim, 32);
        assertEquals(f.tokens.map((t) => t.length), [5, 0, 6, 0]);
        assertEquals(f.perToken!.map((b) => b.length), [5 * 32, 0, 6 * 32, 0]);
        const second = await extractFeatures(TEXTS, {
          encoder,
          cacheDir: dir,
          onWarning: noWarnings,
        });
        assertEquals(second.cacheHit, true);
        assertEquals(second.features.perToken!.map((b) => [...b]), f.perToken!.map((b) => [...b]));
      } finally {
        await encoder.dispose();
      }
    });
  },
});

Deno.test('extractFeatures with perToken "file": per-token features stay in the cache file, computed or hit', async () => {
  await withDir(async (dir) => {
    const encoder = new FakeEncoder(true);
    const inMemory = await extractFeatures(TEXTS, { encoder, cache: false });
    for (const expectHit of [false, true]) {
      const run = await extractFeatures(TEXTS, {
        encoder,
        cacheDir: dir,
        perToken: "file",
        onWarning: noWarnings,
      });
      assertEquals(run.cacheHit, expectHit);
      assertEquals(run.features.perToken, undefined);
      assertEquals(run.features.perTokenFile!.path, run.cachePath);
      run.features.tokens.forEach((_, r) =>
        assertEquals(reviewFeatureRows(run.features, r), inMemory.features.perToken![r])
      );
    }
    // A static encoder's table is small: in memory either way.
    const table = await extractFeatures(TEXTS, {
      encoder: new FakeEncoder(false),
      cacheDir: dir,
      perToken: "file",
      onWarning: noWarnings,
    });
    assert(table.features.table !== undefined);
    await assertRejects(
      () => extractFeatures(TEXTS, { encoder, cache: false, perToken: "file" }),
      TypeError,
      "enable the cache",
    );
  });
});
