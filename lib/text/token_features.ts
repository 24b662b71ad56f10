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
