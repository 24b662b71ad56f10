/**
 * The text pipeline in one call: review texts → lemmas (preprocessing) →
 * token features (encoder) → {@linkcode TokenFeatures}, read from and written
 * to the on-disk feature cache.
 *
 * @module
 */
import { moveIntoResidentRows } from "../kernels/resident_float_rows.ts";
import { FeatureCache, featureCacheKey } from "./feature_cache.ts";
import { type PreprocessOptions, Preprocessor, resolvePreprocessOptions } from "./preprocess.ts";
import { StaticEncoder } from "./static_encoder.ts";
import type { TokenEncoder } from "./token_encoder.ts";
import type { TokenFeatures } from "./token_features.ts";

/** Which step a progress report is about. */
export type ExtractStage = "preprocess" | "encode";

/** Progress of {@linkcode extractFeatures}: `done` of `total` units of `stage`. */
export type ExtractProgress = (stage: ExtractStage, done: number, total: number) => void;

/** Options for {@linkcode extractFeatures}. */
export interface ExtractFeaturesOptions {
  /**
   * The token encoder. Context-free encoders (`contextual: false`) give the
   * table form of {@linkcode TokenFeatures} (one row per vocabulary lemma),
   * contextual ones the per-token form.
   * @default new StaticEncoder() (wink 100-d embeddings, offline)
   */
  encoder?: TokenEncoder;
  /**
   * Preprocessing options (part of the cache key). Leave unset when passing `preprocessor`.
   * @default {} (64 words, lemmas of at least 2 letters)
   */
  preprocess?: PreprocessOptions;
  /**
   * A ready preprocessor to reuse (saves reloading the wink model); its
   * options are the ones used and hashed.
   * @default a new Preprocessor(preprocess), made only on a cache miss
   */
  preprocessor?: Preprocessor;
  /**
   * Read and write the on-disk feature cache.
   * @default true
   */
  cache?: boolean;
  /**
   * Cache folder.
   * @default `$DREX_CACHE_DIR`, else `./.cache/drex/features`
   */
  cacheDir?: string;
  /**
   * Where per-token (contextual) features are kept: `"memory"` in arrays,
   * `"file"` in their cache file, read batch by batch by the models (the
   * features then take no memory of the process; the operating system's
   * file cache holds what fits). `"file"` needs the cache. Table features
   * are small and always in memory.
   * @default "memory"
   */
  perToken?: "memory" | "file";
  /**
   * Progress reports: `"preprocess"` counts texts, `"encode"` counts the
   * sequences handed to the encoder (one, the vocabulary, for a static encoder).
   * @default undefined (no reports)
   */
  onProgress?: ExtractProgress;
  /**
   * Receives warnings (an unusable cache file, a failed cache write).
   * @default console.warn
   */
  onWarning?: (message: string) => void;
}

/** What {@linkcode extractFeatures} returns. */
export interface ExtractFeaturesResult {
  /** The features, one entry per input text, in input order. */
  features: TokenFeatures;
  /** Whether the features came from the cache. */
  cacheHit: boolean;
  /** The cache file read or written; `undefined` when the cache is off or the write failed. */
  cachePath: string | undefined;
  /** The cache key (computed even when the cache is off). */
  key: string;
}

/**
 * Token features of `texts`, with on-disk caching.
 *
 * Pass the **training** reviews only, in training-interaction order: the
 * texts are hashed into the cache key and their lemmas form the vocabulary,
 * so anything passed here counts as seen. A missing text (`undefined` or
 * `null`) gets an empty token list, as does a text with no kept word.
 *
 * On a cache hit neither the preprocessor nor the encoder loads. On a miss
 * (or an unusable cache file, reported once through `onWarning`) the features
 * are computed and written atomically; a failed write is a warning, not an
 * error.
 *
 * @example
 * ```ts ignore
 * import { extractFeatures } from "./extract_features.ts";
 * const { features, cacheHit } = await extractFeatures(["Great shampoo.", undefined]);
 * ```
 */
export async function extractFeatures(
  texts: readonly (string | undefined | null)[],
  options: ExtractFeaturesOptions = {},
): Promise<ExtractFeaturesResult> {
  if (!Array.isArray(texts)) {
    throw new TypeError(
      "extractFeatures: texts must be an array of strings (undefined for missing)",
    );
  }
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i];
    if (t !== undefined && t !== null && typeof t !== "string") {
      throw new TypeError(`extractFeatures: text ${i} is a ${typeof t}, not a string`);
    }
  }
  const {
    encoder = new StaticEncoder(),
    cache: useCache = true,
    onProgress,
    onWarning = (m: string) => console.warn(m),
    perToken = "memory",
  } = options;
  if (perToken !== "memory" && perToken !== "file") {
    throw new TypeError(`extractFeatures: perToken must be "memory" or "file", got ${perToken}`);
  }
  if (perToken === "file" && !useCache) {
    throw new TypeError(
      'extractFeatures: perToken "file" keeps the features in the feature cache; enable the cache',
    );
  }
  if (options.preprocessor !== undefined && options.preprocess !== undefined) {
    throw new TypeError(
      "extractFeatures: pass either preprocess options or a preprocessor, not both",
    );
  }
  const preprocessor = options.preprocessor;
  const resolved = preprocessor?.options ?? resolvePreprocessOptions(options.preprocess);
  const key = featureCacheKey({ encoder: encoder.id, preprocess: resolved, texts });
  const cache = useCache ? new FeatureCache({ dir: options.cacheDir, onWarning }) : undefined;

  if (cache) {
    const hit = await cache.read(key, { perToken });
    if (
      hit && hit.encoder === encoder.id && hit.dim === encoder.dim &&
      hit.tokens.length === texts.length
    ) {
      return { features: hit, cacheHit: true, cachePath: cache.pathFor(key), key };
    }
    if (hit) {
      onWarning(
        `feature cache: ${cache.pathFor(key)} does not match encoder ${encoder.id}; recomputing`,
      );
    }
  }

  const pre = preprocessor ?? new Preprocessor(options.preprocess);
  const lemmas = pre.processAll(texts, {
    onProgress: onProgress && ((done, total) => onProgress("preprocess", done, total)),
  });
  const features = await encodeLemmas(lemmas, encoder, onProgress);

  let cachePath: string | undefined;
  let result = features;
  if (cache) {
    try {
      const meta = {
        preprocess: resolved,
        reviews: texts.length,
        written: new Date().toISOString(),
      };
      if (perToken === "file") {
        // Left in the file just written, so the arrays can go.
        ({ path: cachePath, features: result } = await cache.writeInFile(key, features, meta));
      } else {
        cachePath = await cache.write(key, features, meta);
      }
    } catch (error) {
      onWarning(
        `feature cache: cannot write ${cache.pathFor(key)} (${(error as Error).message}); ` +
          "continuing without caching",
      );
    }
  }
  if (perToken === "file" && !cachePath && !features.table) {
    onWarning("feature cache: features could not be left in a file; keeping them in memory");
  }
  if (result.perToken && !result.perTokenResident) {
    // Moved into the memories DReX's pooling kernel runs on, as a cache hit reads them.
    result = { ...result, ...moveIntoResidentRows(result.perToken, result.dim) };
  }
  return { features: result, cacheHit: false, cachePath, key };
}

/**
 * Builds {@linkcode TokenFeatures} from per-review lemma lists: the vocabulary
 * (lemmas in order of first appearance), the token ids, and the encoder's
 * features (a per-lemma table for a context-free encoder, per-token blocks
 * for a contextual one). No caching; {@linkcode extractFeatures} wraps it.
 */
export async function encodeLemmas(
  lemmas: readonly (readonly string[])[],
  encoder: TokenEncoder,
  onProgress?: ExtractProgress,
): Promise<TokenFeatures> {
  const index = new Map<string, number>();
  const vocab: string[] = [];
  const tokens = lemmas.map((words) => {
    const ids = new Int32Array(words.length);
    for (let k = 0; k < words.length; k++) {
      let id = index.get(words[k]);
      if (id === undefined) {
        id = vocab.length;
        index.set(words[k], id);
        vocab.push(words[k]);
      }
      ids[k] = id;
    }
    return ids;
  });
  const progress = onProgress &&
    ((done: number, total: number) => onProgress("encode", done, total));
  const D = encoder.dim;
  if (!encoder.contextual) {
    const [table] = await encoder.encode([vocab], { onProgress: progress });
    if (!(table instanceof Float32Array) || table.length !== vocab.length * D) {
      throw new Error(`encoder ${encoder.id} returned a table of the wrong size`);
    }
    return { encoder: encoder.id, dim: D, vocab, tokens, table };
  }
  const perToken = await encoder.encode(lemmas, { onProgress: progress });
  if (perToken.length !== lemmas.length) {
    throw new Error(
      `encoder ${encoder.id} returned ${perToken.length} blocks for ${lemmas.length} reviews`,
    );
  }
  for (let r = 0; r < perToken.length; r++) {
    if (!(perToken[r] instanceof Float32Array) || perToken[r].length !== lemmas[r].length * D) {
      throw new Error(`encoder ${encoder.id} returned a block of the wrong size for review ${r}`);
    }
  }
  return { encoder: encoder.id, dim: D, vocab, tokens, perToken };
}
