/**
 * Per-token features in a quarter of the bytes: each token row is stored as
 * int8 values with one float scale (symmetric, `scale = max |x| / 127`), so
 * a value is off by at most half a step, `scale / 2`. The rows are built in
 * a WASM memory that DReX's pooling kernel runs on directly, so they exist
 * once and training reads four times fewer bytes; the cost in accuracy is
 * measured by `deno task bench model` and the tests. Static (table)
 * features are small and are returned unchanged.
 *
 * @module
 */
import { quantizeRows, ResidentInt8Builder } from "../kernels/resident_rows.ts";
import { PerTokenFileReader } from "./per_token_file.ts";
import type { TokenFeatures } from "./token_features.ts";

/**
 * `features` with per-token blocks (in memory or in a file) replaced by int8
 * rows and scales (a new object; the input is not changed). Table or already
 * compact features are returned as they are.
 *
 * @example
 * ```ts
 * import { compactFeatures } from "./compact_features.ts";
 * const f = compactFeatures({
 *   encoder: "toy", dim: 2, vocab: ["a"], tokens: [Int32Array.of(0)],
 *   perToken: [Float32Array.of(1, -0.5)],
 * });
 * f.perTokenInt8!.values[0]; // Int8Array [127, -64]
 * ```
 */
export function compactFeatures(features: TokenFeatures): TokenFeatures {
  const { perToken, perTokenFile, perTokenResident: _views, ...rest } = features;
  if (!perToken && !perTokenFile) return features;
  const builder = new ResidentInt8Builder(features.dim, features.tokens.map((t) => t.length));
  if (perToken) {
    perToken.forEach((block, r) => builder.set(r, block));
  } else {
    // Review by review from the file, so the floats are never all in memory.
    const reader = new PerTokenFileReader(perTokenFile!, features.tokens, features.dim);
    try {
      features.tokens.forEach((_, r) => builder.set(r, reader.read(r)));
    } finally {
      reader.close();
    }
  }
  return { ...rest, perTokenInt8: builder.build() };
}

/**
 * One review's `rows × dim` float block as int8 values and one scale per
 * row, in ordinary arrays (what {@linkcode compactFeatures} does to each
 * review, without the shared memory).
 */
export function compactRows(
  block: Float32Array,
  dim: number,
): { values: Int8Array; scales: Float32Array } {
  const rows = block.length / dim;
  if (!Number.isInteger(rows)) {
    throw new RangeError(`compactRows: ${block.length} values are not whole rows of ${dim}`);
  }
  const values = new Int8Array(block.length);
  const scales = new Float32Array(rows);
  quantizeRows(block, dim, values, scales);
  return { values, scales };
}
