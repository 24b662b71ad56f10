/**
 * Token features of a list of reviews: what the text pipeline hands to the
 * models. Row `r` belongs to the `r`-th review given to the extractor (for
 * DReX, the `r`-th training interaction).
 *
 * @module
 */

/**
 * Per-review lemma ids and their feature vectors.
 *
 * Features come in one of two forms. A context-free (static) encoder gives
 * every occurrence of a lemma the same vector, so the features are one
 * `vocab.length × dim` {@linkcode TokenFeatures.table}. A contextual encoder
 * (BERT) gives each occurrence its own vector, so the features are
 * {@linkcode TokenFeatures.perToken}: one `tokens[r].length × dim` block per
 * review. Exactly one of the two is set.
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
}

/**
 * The `tokens[r].length × dim` feature block of review `r`, whichever form
 * `features` has. For a table this copies rows; for per-token features it
 * returns the stored block itself (do not mutate it).
 */
export function reviewFeatureRows(features: TokenFeatures, r: number): Float32Array {
  const ids = features.tokens[r];
  if (ids === undefined) throw new RangeError(`reviewFeatureRows: no review ${r}`);
  if (features.perToken) {
    const block = features.perToken[r];
    if (block === undefined) throw new RangeError(`reviewFeatureRows: no features for review ${r}`);
    return block;
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
  const { encoder, dim, vocab, tokens, table, perToken } = features;
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
  if ((table === undefined) === (perToken === undefined)) {
    throw new TypeError(`${where}: exactly one of table and perToken must be set`);
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
