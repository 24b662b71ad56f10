/**
 * Text: wink-nlp preprocessing into lemmas, token encoders (static wink
 * embeddings, BERT-family models through transformers.js), token features and
 * their on-disk cache.
 *
 * @example
 * ```ts ignore
 * import { createEncoder, extractFeatures } from "@drex/drex/text";
 * const encoder = await createEncoder({ kind: "bert", model: "models/all-MiniLM-L6-v2" });
 * const { features } = await extractFeatures(["Great bass, sturdy strap."], { encoder });
 * // BERT features of a large corpus can stay in their cache file, read batch by batch:
 * const inFile = await extractFeatures(["Great bass, sturdy strap."], { encoder, perToken: "file" });
 * ```
 *
 * @module
 */
export * from "../text/preprocess.ts";
export * from "../text/token_encoder.ts";
export * from "../text/static_encoder.ts";
export * from "../text/bert_encoder.ts";
export * from "../text/token_features.ts";
export * from "../text/feature_cache.ts";
export * from "../text/extract_features.ts";
export * from "../text/compact_features.ts";
export * from "../text/per_token_file.ts";
export type { ResidentInt8Rows } from "../kernels/resident_rows.ts";
export {
  moveIntoResidentRows,
  type ResidentFloatOptions,
  type ResidentFloatRows,
  type ResidentFloatShard,
} from "../kernels/resident_float_rows.ts";
export * from "../pipeline/create_encoder.ts";
