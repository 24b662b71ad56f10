/**
 * How good DReX's explanations are, measured against explainers that use no
 * model (word frequency, TF-IDF, random words) at the same size k:
 *
 * - **faithfulness**: for a seeded sample of test pairs, the explanation's
 *   words are taken out of the user's and the item's training reviews, the
 *   two states are recomputed, and the change in the predicted rating is
 *   recorded (mean absolute change; larger is more faithful);
 * - **plausibility** (when the planted truth is known, as on the fixture):
 *   the share of explanation words that belong to an aspect the user prefers
 *   and the item has, over test pairs that share an aspect;
 * - **held-out agreement**: the share of a test review's kept lemmas that the
 *   explanation for that pair names (the test review is read only here,
 *   never by the model).
 *
 * Every explainer builds its words with the same rule ({@linkcode pairWords})
 * from its own word scores, so they differ only in what they score. Beside
 * DReX's attention explanation (what `explain` shows), `attention-effect`
 * takes attention's candidates and keeps the ones the prediction rests on,
 * found by removing each ({@linkcode effectRankedWords}). The faithfulness
 * ceiling, removing every word of both sides' reviews, says how much of the
 * prediction rests on the text at all: no explanation can move it further.
 *
 * @module
 */
import type { DatasetSplit, IndexedInteraction } from "../data/types.ts";
import type { DrexModel } from "../drex/drex_model.ts";
import { Rng } from "../random.ts";
import type { ModelInput } from "../recommender.ts";
import { Preprocessor } from "../text/preprocess.ts";
import { predictionsWithout, type SideScores } from "./drex_passes.ts";
import { effectRankedWords, type EffectRankingOptions, pairKey } from "./effect_ranking.ts";
import { pairWords, randomPairWords } from "./pair_words.ts";
import { frequencyScores, pairVocabulary, tfidfScores } from "./word_scores.ts";

/** Gives the `k` words (vocabulary ids) that explain recommending `item` to `user`. */
export type PairExplainer = (user: number, item: number, k: number) => number[];

/** The planted structure of a synthetic dataset (`fixtures/synthetic/truth.json`). */
export interface PlantedTruth {
  /** Aspect name → its words. */
  aspects: Record<string, string[]>;
  /** User id → the aspects the user prefers. */
  users: Record<string, string[]>;
  /** Item id → the aspects the item has. */
  items: Record<string, string[]>;
}

/** Options of {@linkcode explanationQuality}. */
export interface ExplanationQualityOptions {
  /**
   * Explanation sizes measured.
   * @default [3, 5, 10]
   */
  ks?: number[];
  /**
   * The size of the headline numbers (`metrics`); must be one of `ks`.
   * @default 5
   */
  k?: number;
  /**
   * Test pairs sampled (seeded) for faithfulness, which reruns the GRUs.
   * @default 200
   */
  faithfulnessPairs?: number;
  /**
   * Seed of the pair sample and of the random explainer.
   * @default 1
   */
  seed?: number;
  /**
   * The planted truth, for plausibility.
   * @default undefined (plausibility is not measured)
   */
  truth?: PlantedTruth;
  /**
   * The preprocessor the features were made with, for the test reviews' lemmas.
   * @default a new `Preprocessor()` (the pipeline's defaults)
   */
  preprocessor?: Preprocessor;
  /**
   * More explainers to measure beside the four, by name (a deliberately
   * scrambled one, in the tests).
   * @default {}
   */
  extraExplainers?: Record<string, PairExplainer>;
  /**
   * Which held-out pairs to measure on: `"validation"` to make choices
   * about explanations without looking at the test set.
   * @default "test"
   */
  on?: "test" | "validation";
  /**
   * How `attention-effect` ranks attention's candidates, or `false` not to
   * measure it (it reruns the GRUs once per candidate per held-out pair).
   * @default {} (40 candidates)
   */
  effectRanking?: EffectRankingOptions | false;
}

/** One value per explainer. */
export type ByExplainer = Record<string, number>;

/** The three measures at one size k. */
export interface QualityMetrics {
  /** Mean absolute change in the predicted rating when the words are removed. */
  faithfulness: ByExplainer;
  /** Share of words in an aspect both the user and the item have (planted truth only). */
  plausibility?: ByExplainer;
  /** Share of the test review's lemmas the explanation names. */
  heldout: ByExplainer;
}

/** What {@linkcode explanationQuality} returns (the shape of `explanation_quality.json`). */
export interface ExplanationQuality {
  /** The size of the headline numbers. */
  k: number;
  /** The measures at size `k`. */
  metrics: QualityMetrics;
  /** The measures at every size measured. */
  byK: Record<string, QualityMetrics>;
  /** What a word drawn uniformly from the vocabulary scores on plausibility (the chance level). */
  chance: { plausibility?: number };
  /**
   * Faithfulness when every word of the user's and the item's training
   * reviews is removed: how far the text can move the prediction at all.
   */
  ceiling: { faithfulness: number };
  /** How many test pairs each measure averaged over. */
  pairs: { faithfulness: number; plausibility: number; heldout: number };
}

/** The model-free explainers and DReX's attention, over the training data of `input`. */
export function standardExplainers(
  model: DrexModel,
  input: ModelInput,
  seed: number,
): Record<string, PairExplainer> {
  const features = input.features!;
  const index = new Map(features.vocab.map((w, id) => [w, id]));
  const frequency = frequencyScores(input.split, features);
  const tfidf = tfidfScores(input.split, features);
  const from = (s: SideScores): PairExplainer => (u, i, k) => pairWords(s.users[u], s.items[i], k);
  return {
    // What the model itself shows a user.
    attention: (u, i, k) => model.explain(u, i, k).map((w) => index.get(w.word)!),
    frequency: from(frequency),
    tfidf: from(tfidf),
    random: (u, i, k) =>
      randomPairWords(
        frequency.users[u],
        frequency.items[i],
        k,
        new Rng(seed * 1_000_003 + u * 7919 + i),
      ),
  };
}

/** A seeded sample of `n` of `pairs` (all of them when there are fewer). */
function sample<T>(pairs: readonly T[], n: number, seed: number): T[] {
  return pairs.length <= n ? [...pairs] : new Rng(seed).shuffle([...pairs]).slice(0, n);
}

/** Mean of `values` (NaN when empty). */
function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Held-out pairs, one per (user, item), in split order. */
function heldOutPairs(split: DatasetSplit, on: "test" | "validation"): IndexedInteraction[] {
  const seen = new Set<string>();
  return split[on].filter((it) => {
    const key = pairKey(it.user, it.item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Measures the explanations of `model` (trained on `input`) and of the
 * model-free explainers on the test pairs of `input.split`.
 */
export function explanationQuality(
  model: DrexModel,
  input: ModelInput,
  options: ExplanationQualityOptions = {},
): ExplanationQuality {
  const ks = options.ks ?? [3, 5, 10];
  const k = options.k ?? 5;
  if (!ks.includes(k)) throw new RangeError(`explanationQuality: k = ${k} is not among ks ${ks}`);
  if (!input.features) throw new Error("explanationQuality needs the training token features");
  const seed = options.seed ?? 1;
  const features = input.features;
  const { split } = input;
  const tests = heldOutPairs(split, options.on ?? "test");
  const { attention, ...modelFree } = standardExplainers(model, input, seed);
  const explainers: Record<string, PairExplainer> = { attention };
  if (options.effectRanking !== false) {
    const ranked = effectRankedWords(model, input, tests, {
      ...options.effectRanking,
      candidates: Math.max(...ks, options.effectRanking?.candidates ?? 40),
    });
    // Every pair measured below is one of `tests`, all ranked above.
    explainers["attention-effect"] = (u, i, size) =>
      ranked.get(pairKey(u, i))!.words.slice(0, size).map((w) => w.word);
  }
  Object.assign(explainers, modelFree, options.extraExplainers);
  const names = Object.keys(explainers);
  // Each explanation is built once, though three measures read it.
  const built = new Map<string, number[]>();
  const wordsOf = (name: string, u: number, i: number, size: number): number[] => {
    const key = `${name} ${u} ${i} ${size}`;
    let words = built.get(key);
    if (!words) built.set(key, words = explainers[name](u, i, size));
    return words;
  };

  // Faithfulness: one batched rerun for every (pair, explainer, k), plus each pair unchanged.
  const sampled = sample(tests, options.faithfulnessPairs ?? 200, seed);
  const removals = sampled.map((p) => ({ user: p.user, item: p.item, words: new Set<number>() }));
  const frequency = frequencyScores(split, features);
  for (const p of sampled) {
    removals.push({ user: p.user, item: p.item, words: pairVocabulary(frequency, p.user, p.item) });
  }
  for (const size of ks) {
    for (const name of names) {
      for (const p of sampled) {
        removals.push({
          user: p.user,
          item: p.item,
          words: new Set(wordsOf(name, p.user, p.item, size)),
        });
      }
    }
  }
  const predicted = predictionsWithout(model, input, removals);

  // Plausibility: the planted aspects both sides have, as words of the vocabulary.
  const index = new Map(features.vocab.map((w, id) => [w, id]));
  const truth = options.truth;
  const sharedWords = (u: number, i: number): Set<number> => {
    const ua = new Set(truth!.users[split.users.id(u)] ?? []);
    const words = new Set<number>();
    for (const a of truth!.items[split.items.id(i)] ?? []) {
      if (!ua.has(a)) continue;
      for (const w of truth!.aspects[a] ?? []) {
        const id = index.get(w);
        if (id !== undefined) words.add(id);
      }
    }
    return words;
  };
  const plausiblePairs = truth
    ? tests.map((p) => ({ p, words: sharedWords(p.user, p.item) })).filter((x) => x.words.size > 0)
    : [];

  // Held-out agreement: the lemmas of each test review, read for this measure only.
  const preprocessor = options.preprocessor ?? new Preprocessor();
  const reviewed = tests
    .map((p) => ({ p, lemmas: new Set(preprocessor.process(p.review)) }))
    .filter((x) => x.lemmas.size > 0);

  const byK: Record<string, QualityMetrics> = {};
  const ceiling = mean(
    sampled.map((_, j) => Math.abs(predicted[sampled.length + j] - predicted[j])),
  );
  let at = 2 * sampled.length;
  for (const size of ks) {
    const m: QualityMetrics = { faithfulness: {}, heldout: {} };
    if (truth) m.plausibility = {};
    for (const name of names) {
      const changes = sampled.map((_, j) => Math.abs(predicted[at + j] - predicted[j]));
      at += sampled.length;
      m.faithfulness[name] = mean(changes);
      const explain = (u: number, i: number, k: number) => wordsOf(name, u, i, k);
      if (m.plausibility) {
        m.plausibility[name] = mean(plausiblePairs.map(({ p, words }) => {
          const e = explain(p.user, p.item, size);
          return e.length === 0 ? 0 : e.filter((id) => words.has(id)).length / e.length;
        }));
      }
      m.heldout[name] = mean(reviewed.map(({ p, lemmas }) => {
        const named = new Set(explain(p.user, p.item, size).map((id) => features.vocab[id]));
        let hit = 0;
        for (const l of lemmas) if (named.has(l)) hit++;
        return hit / lemmas.size;
      }));
    }
    byK[String(size)] = m;
  }
  const chance = truth
    ? { plausibility: mean(plausiblePairs.map(({ words }) => words.size / features.vocab.length)) }
    : {};
  return {
    k,
    metrics: byK[String(k)],
    byK,
    chance,
    ceiling: { faithfulness: ceiling },
    pairs: {
      faithfulness: sampled.length,
      plausibility: plausiblePairs.length,
      heldout: reviewed.length,
    },
  };
}
