/**
 * Token features of a list of reviews: what the text pipeline hands to the
 * models. Row `r` belongs to the `r`-th review given to the extractor (for
 * DReX, the `r`-th training interaction).
 *
 * @module
 */

import type { ResidentFloatRows } from "../kernels/resident_float_rows.ts";
import type { ResidentInt8Rows } from "../kernels/resident_rows.ts";
import { type PerTokenFile, PerTokenFileReader } from "./per_token_file.ts";

/**
 * Per-review lemma ids and their feature vectors.
 *
 * Features come in one of two forms. A context-free (static) encoder gives
 * every occurrence of a lemma the same vector, so the features are one
 * `vocab.length × dim` {@linkcode TokenFeatures.table}. A contextual encoder
 * (BERT) gives each occurrence its own vector, so the features are
 * {@linkcode TokenFeatures.perToken}: one `tokens[r].length × dim` block per
 * review. Per-token features may also be stored compactly, as
 * {@linkcode TokenFeatures.perTokenInt8} (see `compactFeatures`): a quarter
 * of the bytes, read in place by DReX's pooling kernel; or left in a file,
 * as {@linkcode TokenFeatures.perTokenFile}, and read batch by batch.
 * Exactly one of the four is set.
 */
export interface TokenFeatures {
  /** Encoder identity (also part of the cache key), e.g. `"static:wink-sg-100d"`. */
  encoder: string;
  /** Feature width D. */
  dim: number;
  /** Lemma vocabulary: keyword profiles and explanations are built over these words. */
  vocab: string[];
  /** Per review, the vocabulary ids of its kept words in text order; empty for a missing review. */
  tokens: Int32Array[];
  /** Per-lemma features, `vocab.length × dim` row-major (static encoders). */
  table?: Float32Array;
  /** Per-review features, `tokens[r].length × dim` row-major (contextual encoders). */
  perToken?: Float32Array[];
  /**
   * Set with {@linkcode TokenFeatures.perToken} when its blocks are views
   * into WASM memories that DReX's pooling kernel runs on (features read
   * from the feature cache or just extracted): pooling then copies nothing.
   * A kernel uses it only while every block is still the view it describes;
   * otherwise each batch's rows are copied as for any other blocks.
   */
  perTokenResident?: ResidentFloatRows;
  /**
   * Per-review features in int8 with one scale per token row: token k of
   * review r is `values[r][k·dim .. (k+1)·dim] × scales[r][k]`.
   */
  perTokenInt8?: Int8PerTokenFeatures;
  /**
   * Per-review float features left in a file (`tokens[r].length × dim` rows
   * per review, back to back) and read when needed: no memory of the
   * process holds them (see `per_token_file.ts`).
   */
  perTokenFile?: PerTokenFile;
}

/** Per-token features as int8 values and one float scale per token row. */
export interface Int8PerTokenFeatures {
  /** Per review, `tokens[r].length × dim` int8 values, row-major. */
  values: Int8Array[];
  /** Per review, one scale per token row. */
  scales: Float32Array[];
  /**
   * Set by `compactFeatures`: the values and scales are views into this
   * WASM memory, which the pooling kernel reads without copying.
   */
  resident?: ResidentInt8Rows;
}

/**
 * The `tokens[r].length × dim` feature block of review `r`, whichever form
 * `features` has. For a table this copies rows; for per-token features it
 * returns the stored block itself (do not mutate it); int8 features are
 * expanded to floats; features in a file are read (open, read, close: for
 * many reviews, hold a `PerTokenFileReader`).
 */
export function reviewFeatureRows(features: TokenFeatures, r: number): Float32Array {
  const ids = features.tokens[r];
  if (ids === undefined) throw new RangeError(`reviewFeatureRows: no review ${r}`);
  if (features.perTokenFile) {
    const reader = new PerTokenFileReader(features.perTokenFile, features.tokens, features.dim);
    try {
      return reader.read(r);
    } finally {
      reader.close();
    }
  }
  if (features.perToken) {
    const block = features.perToken[r];
    if (block === undefined) throw new RangeError(`reviewFeatureRows: no features for review ${r}`);
    return block;
  }
  if (features.perTokenInt8) {
    const values = features.perTokenInt8.values[r];
    const scales = features.perTokenInt8.scales[r];
    if (values === undefined || scales === undefined) {
      throw new RangeError(`reviewFeatureRows: no features for review ${r}`);
    }
    const D = features.dim;
    const out = new Float32Array(values.length);
    for (let k = 0; k < scales.length; k++) {
      for (let j = k * D; j < k * D + D; j++) out[j] = values[j] * scales[k];
    }
    return out;
  }
  const table = features.table;
  if (!table) throw new Error("TokenFeatures has neither a table nor per-token features");
  const D = features.dim;
  const out = new Float32Array(ids.length * D);
  for (let k = 0; k < ids.length; k++) out.set(table.subarray(ids[k] * D, ids[k] * D + D), k * D);
  return out;
}

/**
 * Throws a `TypeError` or `RangeError` naming the first inconsistency in
 * `features` (exactly one feature form, widths and lengths that agree,
 * token ids inside the vocabulary). Used before writing features to disk and
 * after reading them back, so a malformed object fails loudly and early.
 */
export function validateTokenFeatures(features: TokenFeatures): void {
  const where = "TokenFeatures";
  if (typeof features !== "object" || features === null) {
    throw new TypeError(`${where}: not an object`);
  }
  const { encoder, dim, vocab, tokens, table, perToken, perTokenInt8, perTokenFile } = features;
  if (typeof encoder !== "string" || encoder === "") {
    throw new TypeError(`${where}: encoder must be a non-empty string`);
  }
  if (!Number.isInteger(dim) || dim < 1) {
    throw new RangeError(`${where}: dim must be a positive integer, got ${dim}`);
  }
  if (!Array.isArray(vocab) || vocab.some((w) => typeof w !== "string")) {
    throw new TypeError(`${where}: vocab must be an array of strings`);
  }
  if (!Array.isArray(tokens)) {
    throw new TypeError(`${where}: tokens must be an array of Int32Array`);
  }
  const forms = [table, perToken, perTokenInt8, perTokenFile].filter((f) => f !== undefined);
  if (features.perTokenResident !== undefined && perToken === undefined) {
    throw new TypeError(`${where}: perTokenResident is set without perToken`);
  }
  if (forms.length !== 1) {
    throw new TypeError(
      `${where}: exactly one of table, perToken, perTokenInt8 and perTokenFile must be set`,
    );
  }
  for (let r = 0; r < tokens.length; r++) {
    const ids = tokens[r];
    if (!(ids instanceof Int32Array)) {
      throw new TypeError(`${where}: tokens[${r}] is not an Int32Array`);
    }
    for (let k = 0; k < ids.length; k++) {
      if (ids[k] < 0 || ids[k] >= vocab.length) {
        throw new RangeError(
          `${where}: tokens[${r}][${k}] = ${ids[k]} is outside the vocabulary (${vocab.length})`,
        );
      }
    }
  }
  if (table !== undefined) {
    if (!(table instanceof Float32Array)) {
      throw new TypeError(`${where}: table is not a Float32Array`);
    }
    if (table.length !== vocab.length * dim) {
      throw new RangeError(
        `${where}: table has ${table.length} values, expected ${vocab.length} × ${dim}`,
      );
    }
  } else if (perTokenFile !== undefined) {
    validatePerTokenFile(perTokenFile, tokens, dim);
  } else if (perTokenInt8 !== undefined) {
    const { values, scales } = perTokenInt8;
    if (!Array.isArray(values) || !Array.isArray(scales) || values.length !== tokens.length) {
      throw new RangeError(
        `${where}: perTokenInt8 must hold values and scales for each review (${tokens.length})`,
      );
    }
    for (let r = 0; r < values.length; r++) {
      if (!(values[r] instanceof Int8Array) || values[r].length !== tokens[r].length * dim) {
        throw new RangeError(
          `${where}: perTokenInt8.values[${r}] must be an Int8Array of ${
            tokens[r].length
          } × ${dim} values`,
        );
      }
      if (!(scales[r] instanceof Float32Array) || scales[r].length !== tokens[r].length) {
        throw new RangeError(
          `${where}: perTokenInt8.scales[${r}] must be a Float32Array of ${
            tokens[r].length
          } values`,
        );
      }
    }
  } else {
    if (!Array.isArray(perToken) || perToken.length !== tokens.length) {
      throw new RangeError(`${where}: perToken must hold one block per review (${tokens.length})`);
    }
    for (let r = 0; r < perToken.length; r++) {
      const block = perToken[r];
      if (!(block instanceof Float32Array) || block.length !== tokens[r].length * dim) {
        throw new RangeError(
          `${where}: perToken[${r}] must be a Float32Array of ${tokens[r].length} × ${dim} values`,
        );
      }
    }
  }
}

/** Throws unless `file` names a readable file long enough for every review's rows. */
function validatePerTokenFile(
  file: PerTokenFile,
  tokens: readonly Int32Array[],
  dim: number,
): void {
  const where = "TokenFeatures: perTokenFile";
  if (typeof file?.path !== "string" || file.path === "") {
    throw new TypeError(`${where}.path must be a non-empty string`);
  }
  if (!Number.isSafeInteger(file.offset) || file.offset < 0) {
    throw new RangeError(`${where}.offset must be a non-negative integer, got ${file.offset}`);
  }
  let size: number;
  try {
    size = Deno.statSync(file.path).size;
  } catch (error) {
    throw new TypeError(`${where}: cannot read ${file.path} (${(error as Error).message})`);
  }
  const rows = tokens.reduce((n, ids) => n + ids.length, 0);
  const needed = file.offset + rows * dim * 4;
  if (size < needed) {
    throw new RangeError(
      `${where}: ${file.path} has ${size} bytes, too few for ${rows} rows of ${dim} floats ` +
        `from byte ${file.offset} (${needed} bytes)`,
    );
  }
}
