/**
 * Named datasets for the comparison and tuning tasks: the bundled fixture and
 * the real files we could obtain (in `../shared/data`, see its `SOURCES.md`),
 * each with the filters and rating scale the data call for.
 *
 * - The paper's filter (users ≥ 20 ratings, items ≥ 5) leaves nothing of the
 *   2018 files, whose busiest user has 10 ratings after deduplication, so
 *   they use users ≥ 3 and items ≥ 3 to a k-core fixpoint.
 * - Musical Instruments (2014) is a 5-core as published and is used as is
 *   (users ≥ 5, items ≥ 5, one pass: nothing is dropped), the benchmark of
 *   DeepCoNN, NARRE and DAML reproductions.
 * - ml-latest-small takes the paper's filter (every user has ≥ 20 ratings);
 *   it has no review text and half-star ratings from 0.5.
 *
 * @module
 */
import { join } from "node:path";
import type { DatasetSpec } from "./run_comparison.ts";

const RELAXED = { minUserRatings: 3, minItemRatings: 3, kCore: true };

/** Preset datasets by name; `repoDir` and `sharedDir` locate the files. */
export function datasetPresets(repoDir: string, sharedDir: string): Record<string, DatasetSpec> {
  const data = (...file: string[]) => join(sharedDir, "data", ...file);
  return {
    "fixture": {
      name: "Synthetic (fixture)",
      description: "bundled synthetic reviews with planted aspects; paper filter",
      data: { path: join(repoDir, "fixtures", "synthetic", "reviews.jsonl") },
    },
    "musical-instruments": {
      name: "Musical Instruments 2014",
      description: "Amazon 2014 5-core as published (users ≥ 5, items ≥ 5); real reviews, " +
        "median 54 words; the review benchmark here",
      data: { path: data("amazon2014_Musical_Instruments_5.json.gz") },
      prepare: { filter: { minUserRatings: 5, minItemRatings: 5, kCore: false } },
      ratingScale: { min: 1, max: 5, step: 1 },
    },
    "ml-latest-small": {
      name: "MovieLens latest-small",
      description: "MovieLens ratings only (no review text), half stars 0.5..5; paper filter " +
        "(users ≥ 20, items ≥ 5)",
      data: {
        path: data("ml-latest-small", "ratings.csv.gz"),
        format: "csv",
        columns: { user: "userId", item: "movieId", rating: "rating", timestamp: "timestamp" },
        timestampUnit: "s",
      },
      prepare: { filter: { minUserRatings: 20, minItemRatings: 5, kCore: false } },
      ratingScale: { min: 0.5, max: 5, step: 0.5 },
    },
    "all-beauty": {
      name: "All_Beauty 2018",
      description: "Amazon 2018 5-core; relaxed filter (users ≥ 3, items ≥ 3, k-core)",
      data: { path: data("amazon2018_All_Beauty_5.jsonl.gz") },
      prepare: { filter: RELAXED },
    },
    "amazon-fashion": {
      name: "AMAZON_FASHION 2018",
      description: "Amazon 2018 5-core; relaxed filter (users ≥ 3, items ≥ 3, k-core)",
      data: { path: data("amazon2018_AMAZON_FASHION_5.jsonl.gz") },
      prepare: { filter: RELAXED },
    },
    "all-beauty-collapsed": {
      name: "All_Beauty 2018, copies collapsed",
      description: "All_Beauty with a user's review copied onto several items counted once",
      data: { path: data("amazon2018_All_Beauty_5.jsonl.gz") },
      prepare: { dedupe: { sameTextAcrossItems: true }, filter: RELAXED },
    },
    "gift-cards": {
      name: "Gift_Cards 2018",
      description: "Amazon 2018 5-core; relaxed filter (users ≥ 3, items ≥ 3, k-core); " +
        "short texts (median 5 words), 93% five stars, 41% copied reviews (same user, " +
        "same text, several items): a loader and robustness check more than a benchmark",
      data: { path: data("amazon2018_Gift_Cards_5.json.gz") },
      prepare: { filter: RELAXED },
    },
  };
}
