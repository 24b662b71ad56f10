/**
 * The whole data preparation in one call: dedupe → filter → split, with every
 * step's report and statistics before and after, so that a results page can
 * say exactly what data a model saw.
 *
 * @module
 */
import { dedupe, type DedupeOptions, type DedupeReport } from "./dedupe.ts";
import { inferRatingScale, type RatingScale, type RatingScaleInput } from "./rating_scale.ts";
import { filterInteractions, type FilterOptions, type FilterReport } from "./filter.ts";
import { splitDataset, type SplitOptions } from "./split.ts";
import { computeStats, type DatasetStats, type SplitStats, splitStats } from "./stats.ts";
import type { DatasetSplit, Interaction, SplitReport } from "./types.ts";

/** Options for {@linkcode prepareDataset}: one nested object per step. */
export interface PrepareOptions {
  /**
   * Duplicate removal (see `dedupe`).
   * @default { repeats: "latest" }
   */
  dedupe?: DedupeOptions;
  /**
   * Activity filter (see `filterInteractions`); the paper's thresholds by default.
   * @default { minUserRatings: 20, minItemRatings: 5, kCore: false }
   */
  filter?: FilterOptions;
  /**
   * Per-user random split (see `splitDataset`).
   * @default { seed: 42, ratios: [0.7, 0.1, 0.2] }
   */
  split?: SplitOptions;
  /**
   * The rating scale the models are told about (clipping, DReX's rating
   * levels). Parts left out (`"auto"`: all) are inferred from the ratings as
   * given; every rating must lie on the result. Pass the reader the same value.
   * @default [1, 5], step inferred (1 for whole stars)
   */
  ratingScale?: RatingScaleInput;
}

/** Each step's report. */
export interface PrepareReports {
  /** What dedupe removed. */
  dedupe: DedupeReport;
  /** What the filter dropped. */
  filter: FilterReport;
  /** What the splitter did (including interactions moved to train). */
  split: SplitReport;
}

/** Statistics along the way. */
export interface PrepareStats {
  /** The interactions as given. */
  input: DatasetStats;
  /** After dedupe. */
  deduped: DatasetStats;
  /** After filtering (what is split). */
  filtered: DatasetStats;
  /** Per part of the split. */
  parts: SplitStats;
}

/** A prepared dataset: the split, and how it was made. */
export interface PreparedDataset {
  /** Train / validation / test with id maps. */
  split: DatasetSplit;
  /** Each step's report. */
  reports: PrepareReports;
  /** Statistics before and after each step. */
  stats: PrepareStats;
  /** The rating scale, resolved (given, or inferred from the ratings); every model gets it. */
  ratingScale: RatingScale;
}

/**
 * Resolves the rating scale (see {@linkcode PrepareOptions.ratingScale}),
 * then dedupes, filters and splits `interactions`. The defaults are the paper's
 * (users ≥ 20 ratings, items ≥ 5, one pass; seed 42; 70/10/20): on small
 * data they may leave nothing, and `filterInteractions` then throws an
 * `EmptyFilterError` suggesting relaxed thresholds.
 *
 * @example
 * ```ts
 * import { prepareDataset } from "./prepare.ts";
 * declare const interactions: import("./types.ts").Interaction[];
 * const { split, reports } = prepareDataset(interactions, {
 *   filter: { minUserRatings: 3, minItemRatings: 3 },
 * });
 * ```
 */
export function prepareDataset(
  interactions: readonly Interaction[],
  options: PrepareOptions = {},
): PreparedDataset {
  const ratings = interactions.flatMap((it) => (it.rating === undefined ? [] : [it.rating]));
  const ratingScale = inferRatingScale(ratings, options.ratingScale, "ratingScale");
  const input = computeStats(interactions);
  const deduped = dedupe(interactions, options.dedupe);
  const dedupedStats = computeStats(deduped.interactions);
  const filtered = filterInteractions(deduped.interactions, options.filter);
  const filteredStats = computeStats(filtered.interactions);
  const split = splitDataset(filtered.interactions, options.split);
  return {
    split,
    reports: { dedupe: deduped.report, filter: filtered.report, split: split.report },
    stats: { input, deduped: dedupedStats, filtered: filteredStats, parts: splitStats(split) },
    ratingScale,
  };
}
