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
import type { PlantedTruth } from "../../lib/explain/explanation_quality.ts";
import { repoPath } from "./shared.ts";

/** Planted ground truth of the fixture (`fixtures/synthetic/truth.json`). */
export type FixtureTruth = PlantedTruth;

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

/** Every (user, item) pair of `split`, user-major: inputs for `predict` over the whole matrix. */
export function allPairs(split: DatasetSplit): { users: Int32Array; items: Int32Array } {
  const nU = split.users.size;
  const nI = split.items.size;
  return {
    users: Int32Array.from({ length: nU * nI }, (_, k) => Math.floor(k / nI)),
    items: Int32Array.from({ length: nU * nI }, (_, k) => k % nI),
  };
}
