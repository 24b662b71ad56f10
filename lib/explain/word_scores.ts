/**
 * Word scores per user and per item that explanations are built from: the
 * model-free baselines (word frequency, TF-IDF) computed from the same
 * training reviews the model reads, and the IDF-like normalisation of
 * attention profiles that keeps generic words ("love", "great") from
 * filling every profile.
 *
 * @module
 */
import type { DatasetSplit } from "../data/types.ts";
import type { TokenFeatures } from "../text/token_features.ts";
import type { SideScores, WordScores } from "./drex_passes.ts";

/** How often each word occurs in each user's and each item's training reviews. */
export function frequencyScores(split: DatasetSplit, features: TokenFeatures): SideScores {
  const users: WordScores = Array.from({ length: split.users.size }, () => new Map());
  const items: WordScores = Array.from({ length: split.items.size }, () => new Map());
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

/**
 * Attention profiles with each word's weight divided by its mean weight over
 * all profiles of that side that hold it, times the log of how rare it is
 * (`log(1 + entities / entities holding it)`): a word gets credit for drawing
 * more attention here than it usually does, not for being everywhere.
 */
export function distinctiveScores(scores: SideScores): SideScores {
  const side = (profiles: WordScores): WordScores => {
    const total = new Map<number, number>();
    const df = new Map<number, number>();
    for (const m of profiles) {
      for (const [id, s] of m) {
        total.set(id, (total.get(id) ?? 0) + s);
        df.set(id, (df.get(id) ?? 0) + 1);
      }
    }
    const n = profiles.length;
    return profiles.map((m) =>
      new Map(
        [...m].map(([id, s]) => {
          const mean = total.get(id)! / df.get(id)!;
          return [id, (s / mean) * Math.log(1 + n / df.get(id)!)] as [number, number];
        }),
      )
    );
  };
  return { users: side(scores.users), items: side(scores.items) };
}
