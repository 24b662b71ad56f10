/**
 * The bundled synthetic dataset, prepared the way the train task prepares it,
 * memoised per test process (static features are cached on disk as well).
 *
 * @module
 */
import { prepareDataset } from "../../lib/data/prepare.ts";
import { loadInteractions } from "../../lib/data/read_interactions.ts";
import type { DatasetSplit } from "../../lib/data/types.ts";
import { extractFeatures } from "../../lib/text/extract_features.ts";
import type { TokenFeatures } from "../../lib/text/token_features.ts";
import { repoPath } from "./shared.ts";

/** Planted ground truth of the fixture (`fixtures/synthetic/truth.json`). */
export interface FixtureTruth {
  /** Aspect name -> its words. */
  aspects: Record<string, string[]>;
  /** User id -> preferred aspects. */
  users: Record<string, string[]>;
  /** Item id -> its aspects. */
  items: Record<string, string[]>;
}

let splitPromise: Promise<DatasetSplit> | undefined;
let featuresPromise: Promise<TokenFeatures> | undefined;

/** The fixture split with the default (paper) filters and seed. */
export function fixtureSplit(): Promise<DatasetSplit> {
  splitPromise ??= loadInteractions(repoPath("fixtures", "synthetic", "reviews.jsonl"))
    .then(({ interactions }) => prepareDataset(interactions).split);
  return splitPromise;
}

/** Static (wink 100-d) features of the fixture's training reviews. */
export function fixtureFeatures(): Promise<TokenFeatures> {
  featuresPromise ??= fixtureSplit().then(async (split) =>
    (await extractFeatures(split.train.map((it) => it.review), { onWarning: () => {} })).features
  );
  return featuresPromise;
}

/** The fixture's planted truth. */
export async function fixtureTruth(): Promise<FixtureTruth> {
  return JSON.parse(await Deno.readTextFile(repoPath("fixtures", "synthetic", "truth.json")));
}
