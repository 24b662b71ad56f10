/**
 * DReX's attention explanation with each word weighed by what it did to the
 * prediction. Attention proposes the candidates: the words with the most
 * attention in the user's and the item's training reviews (summed over
 * every review, the full profiles, combined by the rule every explainer
 * uses). Each candidate is then taken out of both sides' reviews on its
 * own, the two states are recomputed, and the change in the pair's
 * predicted rating is recorded. The explanation is the words through which
 * the text moves this prediction: those whose removal changes it the way
 * removing all the text does, largest change first; the remaining
 * candidates follow, smallest change first. Attention says where the model
 * looked; the removal says which of those words the prediction rests on.
 *
 * It needs the training data (it reruns the GRUs), so it is an analysis
 * over a trained model and its input, not part of a saved model.
 *
 * @module
 */
import type { DrexModel } from "../drex/drex_model.ts";
import type { ModelInput } from "../recommender.ts";
import { attentionScores, predictionsWithout, type Removal } from "./drex_passes.ts";
import { pairWords } from "./pair_words.ts";
import { frequencyScores, pairVocabulary } from "./word_scores.ts";

/** Options of {@linkcode effectRankedWords}. */
export interface EffectRankingOptions {
  /**
   * Candidate words per pair, proposed by attention; explanations of up to
   * this size can be read off the ranking.
   * @default 40
   */
  candidates?: number;
  /**
   * Removals rerun at once (memory grows with it: each copies an entity's
   * training sequence).
   * @default 4096
   */
  chunkSize?: number;
  /**
   * Proposes a pair's candidates (vocabulary ids, strongest first).
   * @default the pair's words by summed attention ({@linkcode attentionScores}, {@linkcode pairWords})
   */
  propose?: (user: number, item: number, n: number) => number[];
}

/** A (user, item) pair by index. */
export interface Pair {
  /** User index. */
  user: number;
  /** Item index. */
  item: number;
}

/** One candidate word and what removing it alone did. */
export interface WordEffect {
  /** Vocabulary id. */
  word: number;
  /** Predicted rating without the word minus the prediction with it. */
  change: number;
}

/** The ranked candidates of one pair. */
export interface PairEffects {
  /** Candidates in explanation order (see the module doc). */
  words: WordEffect[];
  /** Predicted rating without any word of either side's reviews minus the prediction. */
  textChange: number;
}

/** The key of a pair in {@linkcode effectRankedWords}'s result. */
export function pairKey(user: number, item: number): string {
  return `${user}:${item}`;
}

/**
 * Candidates in explanation order: those changing the prediction the way
 * removing all the text does (`textChange`), largest change first, then the
 * rest, smallest change first; ties keep the proposed order.
 */
export function orderByEffect(effects: readonly WordEffect[], textChange: number): WordEffect[] {
  const sign = textChange < 0 ? -1 : 1;
  const ranked = effects.map((e, rank) => ({ e, rank, along: e.change * sign }));
  const with_ = ranked.filter((r) => r.along > 0).sort((a, b) =>
    b.along - a.along || a.rank - b.rank
  );
  const rest = ranked.filter((r) => !(r.along > 0)).sort((a, b) =>
    Math.abs(a.e.change) - Math.abs(b.e.change) || a.rank - b.rank
  );
  return [...with_, ...rest].map((r) => r.e);
}

/**
 * For each distinct pair of `pairs`, attention's candidates as vocabulary
 * ids in explanation order with what removing each alone did (see the
 * module doc), keyed by {@linkcode pairKey}.
 */
export function effectRankedWords(
  model: DrexModel,
  input: ModelInput,
  pairs: readonly Pair[],
  options: EffectRankingOptions = {},
): Map<string, PairEffects> {
  const candidates = options.candidates ?? 40;
  const chunkSize = options.chunkSize ?? 4096;
  if (!Number.isInteger(candidates) || candidates < 1) {
    throw new RangeError(
      `effectRankedWords: candidates must be a positive integer, got ${candidates}`,
    );
  }
  if (!Number.isInteger(chunkSize) || chunkSize < 3) {
    throw new RangeError(`effectRankedWords: chunkSize must be an integer ≥ 3, got ${chunkSize}`);
  }
  if (!input.features) throw new Error("effectRankedWords needs the training token features");
  let propose = options.propose;
  if (!propose) {
    const attention = attentionScores(model, input);
    propose = (u, i, n) => pairWords(attention.users[u], attention.items[i], n);
  }
  const frequency = frequencyScores(input.split, input.features);
  const distinct = new Map<string, Pair & { words: number[] }>();
  for (const p of pairs) {
    const key = pairKey(p.user, p.item);
    if (!distinct.has(key)) {
      distinct.set(key, { user: p.user, item: p.item, words: propose(p.user, p.item, candidates) });
    }
  }
  // Per pair: the unchanged prediction, all text removed, then each candidate alone;
  // chunks never split a pair.
  const out = new Map<string, PairEffects>();
  let batch: (Pair & { key: string; words: number[] })[] = [];
  let size = 0;
  const flush = () => {
    if (batch.length === 0) return;
    const removals: Removal[] = [];
    for (const p of batch) {
      removals.push({ user: p.user, item: p.item, words: new Set() });
      removals.push({
        user: p.user,
        item: p.item,
        words: pairVocabulary(frequency, p.user, p.item),
      });
      for (const w of p.words) removals.push({ user: p.user, item: p.item, words: new Set([w]) });
    }
    const predicted = predictionsWithout(model, input, removals);
    let at = 0;
    for (const p of batch) {
      const base = predicted[at];
      const textChange = predicted[at + 1] - base;
      at += 2;
      const effects = p.words.map((word, j) => ({ word, change: predicted[at + j] - base }));
      at += p.words.length;
      out.set(p.key, { words: orderByEffect(effects, textChange), textChange });
    }
    batch = [];
    size = 0;
  };
  for (const [key, p] of distinct) {
    if (size > 0 && size + p.words.length + 2 > chunkSize) flush();
    batch.push({ ...p, key });
    size += p.words.length + 2;
  }
  flush();
  return out;
}
