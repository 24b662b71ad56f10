import { join } from "node:path";
import { PerTokenFileReader, writePerTokenFile } from "../lib/text/per_token_file.ts";
import {
  reviewFeatureRows,
  type TokenFeatures,
  validateTokenFeatures,
} from "../lib/text/token_features.ts";
import { assertEquals, assertThrows } from "./support/assert.ts";

const D = 3;
const tokens = [Int32Array.of(0, 1), new Int32Array(0), Int32Array.of(2), Int32Array.of(1, 1, 0)];
const blocks = tokens.map((t, r) =>
  Float32Array.from({ length: t.length * D }, (_, j) => 100 * r + j + 0.25)
);

async function withDir(fn: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "drex-per-token-file-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("writePerTokenFile and PerTokenFileReader: every review's rows back, whole or from a row on", async () => {
  await withDir((dir) => {
    const file = writePerTokenFile(join(dir, "f.bin"), blocks);
    assertEquals(file.offset, 0);
    assertEquals(Deno.statSync(file.path).size, 6 * D * 4);
    const reader = new PerTokenFileReader(file, tokens, D);
    try {
      tokens.forEach((_, r) => assertEquals(reader.read(r), blocks[r]));
      assertEquals(reader.rows(3), 3);
      const two = new Float32Array(2 * D);
      reader.readInto(3, new Uint8Array(two.buffer), 1);
      assertEquals(two, blocks[3].subarray(D));
      assertThrows(() => reader.read(4), RangeError, "no review 4");
      assertThrows(() => reader.readInto(3, new Uint8Array(2 * D * 4), 2), RangeError, "3 rows");
      assertThrows(() => reader.readInto(0, new Uint8Array(5)), RangeError, "cannot read");
    } finally {
      reader.close();
    }
  });
});

Deno.test("perTokenFile features: reviewFeatureRows reads them, at an offset; validation names a short or missing file", async () => {
  await withDir((dir) => {
    // Eight bytes of something else first: the rows start at an offset, as in a cache file.
    const path = join(dir, "offset.bin");
    const body = new Uint8Array(8 + 6 * D * 4);
    blocks.forEach((b, r) => {
      const at = 8 + 4 * D * tokens.slice(0, r).reduce((n, t) => n + t.length, 0);
      body.set(new Uint8Array(b.buffer), at);
    });
    Deno.writeFileSync(path, body);
    const features: TokenFeatures = {
      encoder: "test",
      dim: D,
      vocab: ["a", "b", "c"],
      tokens,
      perTokenFile: { path, offset: 8 },
    };
    validateTokenFeatures(features);
    tokens.forEach((_, r) => assertEquals(reviewFeatureRows(features, r), blocks[r]));
    assertThrows(
      () => validateTokenFeatures({ ...features, perTokenFile: { path, offset: 12 } }),
      RangeError,
      "too few for 6 rows",
    );
    assertThrows(
      () =>
        validateTokenFeatures({ ...features, perTokenFile: { path: path + ".gone", offset: 0 } }),
      TypeError,
      "offset.bin.gone",
    );
    assertThrows(
      () => validateTokenFeatures({ ...features, perToken: blocks }),
      TypeError,
      "exactly one of",
    );
  });
});
