/**
 * The interface every token encoder implements: word sequences in, one
 * feature vector per word out. `StaticEncoder` (wink word
 * embeddings) and `BertEncoder` (transformers.js) implement it.
 *
 * @module
 */

/** Progress of an encode call: `done` of `total` input sequences finished. */
export type EncodeProgress = (done: number, total: number) => void;

/** Options for {@linkcode TokenEncoder.encode}. */
export interface EncodeOptions {
  /**
   * Called as sequences finish (not necessarily in input order) and once at the end.
   * @default undefined (no progress reports)
   */
  onProgress?: EncodeProgress;
}

/**
 * Maps word sequences (preprocessed lemmas) to feature vectors.
 *
 * `id`, `dim` and `contextual` are known as soon as the encoder exists, before
 * any heavy resource (embedding table, ONNX session) is loaded: the feature
 * cache needs them to look up a key, and a cache hit never loads the encoder.
 */
export interface TokenEncoder {
  /**
   * Stable identity, part of the feature-cache key: two encoders with equal
   * ids must give equal features, e.g. `"static:wink-sg-100d"`.
   */
  readonly id: string;
  /** Feature width D. */
  readonly dim: number;
  /**
   * Whether a word's feature depends on its neighbours (BERT) or only on the
   * word itself (static embeddings). Context-free encoders are stored as one
   * row per vocabulary lemma instead of one row per token.
   */
  readonly contextual: boolean;
  /**
   * Loads the encoder's resources now instead of on the first
   * {@linkcode TokenEncoder.encode} (to time the load apart, or fail early).
   * Idempotent.
   */
  load(): Promise<void>;
  /**
   * One `Float32Array` per input sequence, in input order, holding
   * `sequence.length × dim` values row-major (row k = word k's feature).
   * An empty sequence gives an empty array.
   */
  encode(
    sequences: readonly (readonly string[])[],
    options?: EncodeOptions,
  ): Promise<Float32Array[]>;
  /** Releases what {@linkcode TokenEncoder.load} acquired; the encoder may load again later. */
  dispose(): Promise<void>;
}
