/**
 * Named datasets for the comparison task: the bundled fixture and the real
 * review files we could obtain (in `../shared/data`), each with the filters
 * the data allow. The paper's filter (users ≥ 20 ratings, items ≥ 5) leaves
 * nothing of the 2018 files, whose busiest user has 10 ratings after
 * deduplication, so they use users ≥ 3 and items ≥ 3 to a k-core fixpoint.
 *
 * @module
 */
import { join } from "node:path";
import type { DatasetSpec } from "./run_comparison.ts";

const RELAXED = { minUserRatings: 3, minItemRatings: 3, kCore: true };

/** Preset datasets by name; `repoDir` and `sharedDir` locate the files. */
export function datasetPresets(repoDir: string, sharedDir: string): Record<string, DatasetSpec> {
  const data = (file: string) => join(sharedDir, "data", file);
  return {
    "fixture": {
      name: "Synthetic (fixture)",
      data: { path: join(repoDir, "fixtures", "synthetic", "reviews.jsonl") },
    },
    "all-beauty": {
      name: "All_Beauty 2018",
      data: { path: data("amazon2018_All_Beauty_5.jsonl.gz") },
      prepare: { filter: RELAXED },
    },
    "amazon-fashion": {
      name: "AMAZON_FASHION 2018",
      data: { path: data("amazon2018_AMAZON_FASHION_5.jsonl.gz") },
      prepare: { filter: RELAXED },
    },
    "all-beauty-collapsed": {
      name: "All_Beauty 2018, copies collapsed",
      data: { path: data("amazon2018_All_Beauty_5.jsonl.gz") },
      prepare: { dedupe: { sameTextAcrossItems: true }, filter: RELAXED },
    },
  };
}
