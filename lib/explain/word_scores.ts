/**
 * Word scores per user and per item for the model-free explainers (word
 * frequency, TF-IDF), computed from the same training reviews the model reads.
 *
 * @module
 */
import type { DatasetSplit } from "../data/types.ts";
import type { TokenFeatures } from "../text/token_features.ts";
import type { SideScores, WordScores } from "./drex_passes.ts";

/** How often each word occurs in each user's and each item's training reviews. */
export function frequencyScores(split: DatasetSplit, features: TokenFeatures): SideScores {
  const users = Array.from({ length: split.users.size }, () => new Map<number, number>());
  const items = Array.from({ length: split.items.size }, () => new Map<number, number>());
  split.train.forEach((it, n) => {
    for (const id of features.tokens[n]) {
      users[it.user].set(id, (users[it.user].get(id) ?? 0) + 1);
      items[it.item].set(id, (items[it.item].get(id) ?? 0) + 1);
    }
  });
  return { users, items };
}

/** `scores` with each word weighted by `log(entities / entities using it)`, per side. */
function idfWeighted(scores: WordScores): WordScores {
  const df = new Map<number, number>();
  for (const m of scores) for (const id of m.keys()) df.set(id, (df.get(id) ?? 0) + 1);
  const n = scores.length;
  return scores.map((m) =>
    new Map([...m].map(([id, s]) => [id, s * Math.log(n / df.get(id)!)] as [number, number]))
  );
}

/** TF-IDF: frequency times the inverse document frequency, an entity's reviews being its document. */
export function tfidfScores(split: DatasetSplit, features: TokenFeatures): SideScores {
  const tf = frequencyScores(split, features);
  return { users: idfWeighted(tf.users), items: idfWeighted(tf.items) };
}

/** Every word of a user's and an item's training reviews (what removing "all the text" removes). */
export function pairVocabulary(frequency: SideScores, user: number, item: number): Set<number> {
  return new Set([...frequency.users[user].keys(), ...frequency.items[item].keys()]);
}
