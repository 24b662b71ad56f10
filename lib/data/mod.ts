/**
 * Data: readers (Amazon Reviews 2023, Amazon 2018 5-core, CSV and TSV, gzip
 * or plain, streamed), errors that name file, line and field, deduplication,
 * filters, the seeded per-user split, dataset statistics, rating scales and
 * the synthetic dataset generator. `@drex/drex` itself exports the few a
 * typical script needs (`loadInteractions`, `prepareDataset`).
 *
 * @example
 * ```ts ignore
 * import { computeStats, loadInteractions, prepareDataset } from "@drex/drex/data";
 * const { interactions } = await loadInteractions("reviews.jsonl.gz");
 * console.log(computeStats(interactions));
 * const { split, reports } = prepareDataset(interactions, { filter: { minUserRatings: 5 } });
 * ```
 *
 * @module
 */
export * from "../data/types.ts";
export * from "../data/id_map.ts";
export * from "../data/errors.ts";
export * from "../data/read_amazon2023.ts";
export * from "../data/read_amazon2018.ts";
export * from "../data/read_csv.ts";
export * from "../data/read_interactions.ts";
export * from "../data/dedupe.ts";
export * from "../data/filter.ts";
export * from "../data/split.ts";
export * from "../data/stats.ts";
export * from "../data/prepare.ts";
export {
  checkScaleParts,
  DEFAULT_RATING_SCALE,
  formatRatingScale,
  inferRatingScale,
  onScale,
  parseRatingScale,
  // The review models' options type is `RatingScale` too (ratingMin/ratingMax).
  type RatingScale as DatasetRatingScale,
  type RatingScaleInput,
  ratingScaleOptions,
  resolveRatingScale,
  scaleLevelCount,
  scaleParts,
} from "../data/rating_scale.ts";
export * from "../data/synthetic.ts";
export { type ByteSource, type Line, readLines, type ReadLinesOptions } from "../io/line_stream.ts";
export * from "./input_file_error.ts";
