/**
 * Token features addressed by one integer per token, whichever form the
 * {@linkcode TokenFeatures} have, so the review CNN can copy just the feature
 * rows a step needs into a small matrix.
 *
 * With a per-lemma table (static encoders) a token's row id is its lemma id:
 * every occurrence of a lemma shares a row, so a batch's matrix has one row
 * per distinct lemma. With per-token features (contextual encoders) a token's
 * row id is its position in the concatenation of all reviews' tokens.
 *
 * @module
 */
import { PerTokenFileReader } from "../../text/per_token_file.ts";
import type { TokenFeatures } from "../../text/token_features.ts";

/** Row ids and row copies over a {@linkcode TokenFeatures}. */
export class TokenRows {
  /** The features. */
  readonly features: TokenFeatures;
  /** Feature width D. */
  readonly dim: number;
  /** Number of distinct row ids (vocabulary size, or total tokens). */
  readonly size: number;
  #offsets?: Int32Array;

  /** Indexes `features` (per-token features get an offset table, one int per review). */
  constructor(features: TokenFeatures) {
    this.features = features;
    this.dim = features.dim;
    if (features.table) {
      this.size = features.vocab.length;
    } else if (features.perToken || features.perTokenInt8 || features.perTokenFile) {
      const offsets = new Int32Array(features.tokens.length + 1);
      for (let r = 0; r < features.tokens.length; r++) {
        offsets[r + 1] = offsets[r] + features.tokens[r].length;
      }
      this.#offsets = offsets;
      this.size = offsets[features.tokens.length];
    } else {
      throw new TypeError("TokenRows: features have neither a table nor per-token features");
    }
  }

  /** Whether occurrences of a lemma share one row (static table features). */
  get shared(): boolean {
    return this.#offsets === undefined;
  }

  /** Row id of word `p` of review `r`. */
  id(r: number, p: number): number {
    return this.#offsets ? this.#offsets[r] + p : this.features.tokens[r][p];
  }

  /**
   * A `(ids.length + 1) × D` row-major matrix: the feature rows of `ids` in
   * order, then one row of zeros (the padding row).
   */
  copyRows(ids: Int32Array): Float32Array {
    const D = this.dim;
    const out = new Float32Array((ids.length + 1) * D);
    const { table, perTokenFile } = this.features;
    if (table) {
      for (let j = 0; j < ids.length; j++) {
        out.set(table.subarray(ids[j] * D, ids[j] * D + D), j * D);
      }
      return out;
    }
    const offsets = this.#offsets as Int32Array;
    const file = perTokenFile &&
      new PerTokenFileReader(perTokenFile, this.features.tokens, this.dim);
    try {
      this.#copyTokenRows(ids, offsets, out, file);
    } finally {
      file?.close();
    }
    return out;
  }

  /** Copies per-token rows `ids` into `out`, reading them from `file` when the features are on disk. */
  #copyTokenRows(
    ids: Int32Array,
    offsets: Int32Array,
    out: Float32Array,
    file: PerTokenFileReader | undefined,
  ): void {
    const D = this.dim;
    const { perToken, perTokenInt8 } = this.features;
    for (let j = 0; j < ids.length; j++) {
      const id = ids[j];
      // Binary search for the review holding this token.
      let lo = 0;
      let hi = offsets.length - 2;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (offsets[mid] <= id) lo = mid;
        else hi = mid - 1;
      }
      const p = id - offsets[lo];
      if (file) {
        // One read for the run of this review's rows that follows in `ids`.
        let run = 1;
        const rows = offsets[lo + 1] - offsets[lo];
        while (j + run < ids.length && ids[j + run] === id + run && p + run < rows) run++;
        file.readInto(lo, new Uint8Array(out.buffer, out.byteOffset + j * D * 4, run * D * 4), p);
        j += run - 1;
      } else if (perToken) {
        out.set(perToken[lo].subarray(p * D, p * D + D), j * D);
      } else {
        const values = perTokenInt8!.values[lo];
        const scale = perTokenInt8!.scales[lo][p];
        for (let c = 0; c < D; c++) out[j * D + c] = values[p * D + c] * scale;
      }
    }
  }
}
