/**
 * Reads and prepares one dataset of a comparison or a search, the same way
 * for both: the spec's rating scale goes to the reader (which rejects
 * ratings off it, by line) and to `prepareDataset` (which resolves the parts
 * left to the data and carries the scale to every model).
 *
 * @module
 */
import { prepareDataset, type PreparedDataset } from "../data/prepare.ts";
import type { RatingScaleInput } from "../data/rating_scale.ts";
import { loadInteractions } from "../data/read_interactions.ts";
import type { DatasetSpec } from "./run_comparison.ts";

/** The scale a spec asks for: its own `ratingScale`, else its reader's or its preparation's. */
export function specRatingScale(ds: DatasetSpec): RatingScaleInput | undefined {
  return ds.ratingScale ?? ds.data.ratingScale ?? ds.prepare?.ratingScale;
}

/** Reads `ds.data.path` and prepares it with `ds.prepare`, both under the spec's rating scale. */
export async function loadDataset(ds: DatasetSpec): Promise<PreparedDataset> {
  const ratingScale = specRatingScale(ds);
  const { interactions } = await loadInteractions(ds.data.path, { ...ds.data, ratingScale });
  return prepareDataset(interactions, { ...ds.prepare, ratingScale });
}
