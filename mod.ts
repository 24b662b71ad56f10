/**
 * DReX for Deno: an explainable, review-aware multimodal recommender.
 *
 * @module
 */
export { initBackend } from "./lib/backend/init.ts";
export type { BackendName } from "./lib/backend/init.ts";
export { Rng } from "./lib/random.ts";
export { IdMap } from "./lib/data/id_map.ts";
export type {
  DatasetSplit,
  IndexedInteraction,
  Interaction,
  SplitPart,
  SplitReport,
} from "./lib/data/types.ts";
