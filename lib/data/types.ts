/**
 * The data model shared by readers, filters, splits, encoders and models.
 *
 * An interaction is `(user, item, rating?, review?, timestamp?)`: either
 * modality may be missing (the paper's "missing modality").
 *
 * @module
 */
import type { IdMap } from "./id_map.ts";

/** One user–item interaction as read from a source, before ids are indexed. */
export interface Interaction {
  /** The source's user id. */
  user: string;
  /** The source's item id. */
  item: string;
  /** Star rating on the dataset's scale (1..5 for Amazon); absent when the interaction has none. */
  rating?: number;
  /** Review text; absent when the interaction has no (non-blank) review. */
  review?: string;
  /** Milliseconds since the Unix epoch; absent when the source has none. */
  timestamp?: number;
}

/** An interaction whose user and item are dense indices into the split's id maps. */
export interface IndexedInteraction {
  /** User index, `0 <= user < users.size`. */
  user: number;
  /** Item index, `0 <= item < items.size`. */
  item: number;
  /** Star rating; absent when the interaction has none. */
  rating?: number;
  /** Review text; absent when the interaction has none. */
  review?: string;
  /** Milliseconds since the Unix epoch; absent when the source has none. */
  timestamp?: number;
}

/** Which part of a split an interaction belongs to. */
export type SplitPart = "train" | "validation" | "test";

/** What the splitter did beyond the plain per-user random split. */
export interface SplitReport {
  /** The seed the split was drawn with. */
  seed: number;
  /** Requested fractions, `[train, validation, test]`. */
  ratios: [number, number, number];
  /** Validation interactions moved to train because their user or item had no training interaction. */
  movedFromValidation: number;
  /** Test interactions moved to train for the same reason. */
  movedFromTest: number;
  /** Interaction counts per part after moving. */
  counts: Record<SplitPart, number>;
}

/** A dataset split into train, validation and test, with its id maps. */
export interface DatasetSplit {
  /** User ids; `users.id(k)` is the source id of user index `k`. */
  users: IdMap;
  /** Item ids; `items.id(k)` is the source id of item index `k`. */
  items: IdMap;
  /** Training interactions: the only ones any model input, state or cache key may see. */
  train: IndexedInteraction[];
  /** Validation interactions (early stopping and model selection). */
  validation: IndexedInteraction[];
  /** Test interactions (reported metrics). */
  test: IndexedInteraction[];
  /** What the splitter did. */
  report: SplitReport;
}
