/**
 * Per-token features in a quarter of the bytes: each token row is stored as
 * int8 values with one float scale (symmetric, `scale = max |x| / 127`), so
 * a value is off by at most half a step, `scale / 2`. DReX's pooling kernel
 * reads the int8 rows in place, so training reads four times fewer bytes;
 * the cost in accuracy is measured by `deno task bench model` and the tests.
 * Static (table) features are small and are returned unchanged.
 *
 * @module
 */
import type { TokenFeatures } from "./token_features.ts";

/**
 * `features` with per-token blocks replaced by int8 rows and scales (a new
 * object; the input is not changed). Table or already compact features are
 * returned as they are.
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
  if (!features.perToken) return features;
  const values: Int8Array[] = [];
  const scales: Float32Array[] = [];
  for (const block of features.perToken) {
    const rows = compactRows(block, features.dim);
    values.push(rows.values);
    scales.push(rows.scales);
  }
  const { perToken: _dropped, ...rest } = features;
  return { ...rest, perTokenInt8: { values, scales } };
}

/**
 * One review's `rows × dim` float block as int8 values and one scale per
 * row (what {@linkcode compactFeatures} does to each review; useful to build
 * compact features one review at a time, never holding all the floats).
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
  for (let k = 0; k < rows; k++) {
    let max = 0;
    for (let j = k * dim; j < k * dim + dim; j++) max = Math.max(max, Math.abs(block[j]));
    const scale = max / 127;
    scales[k] = scale;
    if (scale === 0) continue;
    const inv = 1 / scale;
    for (let j = k * dim; j < k * dim + dim; j++) values[j] = Math.round(block[j] * inv);
  }
  return { values, scales };
}
