/**
 * Keyword profiles: each review's attention weights, summed per lemma into
 * its user's and its item's profile (paper section 3.6), and explanations as
 * the overlap of a user's and an item's top words.
 *
 * @module
 */
import { rankPairWords } from "../explain/pair_words.ts";

/** A weighted keyword. */
export interface Keyword {
  /** The lemma. */
  word: string;
  /** Summed attention weight (in a profile) or combined weight (in an explanation). */
  weight: number;
}

/** The top words of every user's and item's profile, strongest first. */
export interface KeywordProfiles {
  /** `users[u]`: user u's top-K keywords. */
  users: Keyword[][];
  /** `items[i]`: item i's top-K keywords. */
  items: Keyword[][];
}

/** Attention weights of a batch of reviews, as the attention kernel returns them. */
export interface AttentionBatch {
  /** Feature row of each review in the batch (-1 = no review). */
  reviews: Int32Array;
  /** Every token's attention weight, concatenated in batch order. */
  attention: Float32Array;
  /** `offsets[m] .. offsets[m + 1]` are review m's entries in `attention`. */
  offsets: Int32Array;
}

/**
 * Builds profiles per (entity, lemma): summed attention weights, or (with
 * `votes = m > 0`) one vote per review in which the lemma is among the `m`
 * most attended words.
 */
export class ProfileAccumulator {
  readonly #users: Map<number, number>[];
  readonly #items: Map<number, number>[];
  readonly #votes: number;

  /** Empty profiles for `numUsers` users and `numItems` items; `votes` as in the option `profileVotes`. */
  constructor(numUsers: number, numItems: number, votes = 0) {
    this.#users = Array.from({ length: numUsers }, () => new Map());
    this.#items = Array.from({ length: numItems }, () => new Map());
    this.#votes = votes;
  }

  /** Adds one review's weights: `lemmas[k]` received attention `weights[k]`. */
  add(user: number, item: number, lemmas: ArrayLike<number>, weights: ArrayLike<number>): void {
    const pu = this.#users[user];
    const pi = this.#items[item];
    const add = (lemma: number, w: number) => {
      pu.set(lemma, (pu.get(lemma) ?? 0) + w);
      pi.set(lemma, (pi.get(lemma) ?? 0) + w);
    };
    if (this.#votes === 0) {
      for (let k = 0; k < lemmas.length; k++) add(lemmas[k], weights[k]);
      return;
    }
    // The m most attended positions (earlier first on ties); a lemma twice among them votes once.
    const top = Array.from({ length: lemmas.length }, (_, k) => k)
      .sort((a, b) => weights[b] - weights[a] || a - b)
      .slice(0, this.#votes);
    for (const lemma of new Set(top.map((k) => lemmas[k]))) add(lemma, 1);
  }

  /**
   * Adds a batch pooled by the attention kernel, whose `m`-th review is
   * training row `rows[m]` with lemmas `tokens[rows[m]]`.
   */
  addBatch(
    result: AttentionBatch,
    rows: ArrayLike<number>,
    tokens: readonly Int32Array[],
    users: Int32Array,
    items: Int32Array,
  ): void {
    for (let m = 0; m < result.reviews.length; m++) {
      if (result.reviews[m] < 0) continue;
      const n = rows[m];
      const start = result.offsets[m];
      this.add(
        users[n],
        items[n],
        tokens[n],
        result.attention.subarray(start, result.offsets[m + 1]),
      );
    }
  }

  /** Every profile in full: per user and per item, lemma id → weight. */
  scores(): { users: ReadonlyMap<number, number>[]; items: ReadonlyMap<number, number>[] } {
    return { users: this.#users, items: this.#items };
  }

  /** The top `k` words of each profile (ties broken alphabetically, so output is deterministic). */
  top(k: number, vocab: readonly string[]): KeywordProfiles {
    const pick = (m: Map<number, number>): Keyword[] =>
      [...m.entries()]
        .map(([id, weight]) => ({ word: vocab[id], weight }))
        .sort((a, b) => b.weight - a.weight || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
        .slice(0, k);
    return { users: this.#users.map(pick), items: this.#items.map(pick) };
  }
}

/**
 * The `k` words that explain recommending an item to a user: first the words
 * both profiles hold, by combined share (as {@linkcode keywordOverlap}), then,
 * when fewer than `k`, the words only one profile holds, by their share (the
 * rule every explainer in `lib/explain/` uses).
 */
export function explanationKeywords(
  user: readonly Keyword[],
  item: readonly Keyword[],
  k: number,
): Keyword[] {
  const weights = (p: readonly Keyword[]) => new Map(p.map((w) => [w.word, w.weight]));
  return rankPairWords(weights(user), weights(item), k).map(([word, weight]) => ({ word, weight }));
}

/**
 * Explanation for recommending an item to a user: the words in both top-K
 * profiles, ordered by combined weight. Each profile's weights are first
 * normalised to shares of that profile (item profiles sum over many more
 * reviews than user profiles), and the combined weight is the sum of the two
 * shares.
 */
export function keywordOverlap(user: readonly Keyword[], item: readonly Keyword[]): Keyword[] {
  const share = (p: readonly Keyword[]) => {
    const total = p.reduce((s, w) => s + w.weight, 0) || 1;
    return new Map(p.map((w) => [w.word, w.weight / total]));
  };
  const u = share(user);
  const i = share(item);
  const out: Keyword[] = [];
  for (const [word, wu] of u) {
    const wi = i.get(word);
    if (wi !== undefined) out.push({ word, weight: wu + wi });
  }
  return out.sort((a, b) => b.weight - a.weight || (a.word < b.word ? -1 : 1));
}
