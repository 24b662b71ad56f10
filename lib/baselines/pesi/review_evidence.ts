/**
 * PESI's explanations, in place of the original's generated sentences.
 *
 * The original PESI writes an explanation with a text decoder fed the
 * pair's representations and the extracted rating/review inconsistency.
 * Text generation is out of scope here; instead a recommendation of item
 * `i` to user `u` is explained by **the item's training reviews that agree
 * best with the pair in the shared space**: each candidate review `c` (the
 * item's `explanationCandidates` most recent training reviews) is put in
 * the item's place in the review view, `t_c = tanh(U_T[u] + v_c W_ti + b_t)`,
 * and scored by the cosine between its shared part `tanh(t_c W_s + b_s)`
 * and the shared part of the pair's rating view. The best `explanationReviews`
 * are returned with their cosines, and the most attended words of those
 * reviews (word attention × `(1 + cosine) / 2`, summed per word) as keywords.
 * The shared space is where the model aligns what ratings and reviews agree
 * on, so the evidence is text whose sentiment is consistent with the
 * predicted rating: the spirit of PESI's explanations, by retrieval.
 *
 * @module
 */
import type { Explanation } from "../../recommender.ts";
import type { PesiScorer } from "./pair_scores.ts";
import type { PesiParams } from "./pesi_params.ts";

/** A word and its weight. */
export interface WeightedWord {
  /** The lemma. */
  word: string;
  /** Its weight. */
  weight: number;
}

/** The explanation candidates of every item. */
export interface ItemCandidates {
  /** `offsets[i] .. offsets[i + 1]` are item `i`'s candidates. */
  offsets: Int32Array;
  /** Candidate review texts, in candidate order. */
  texts: string[];
  /** Each candidate's attention-weighted words (the review's words, strongest first). */
  words: WeightedWord[][];
  /** Candidate review vectors `v_c`, `candidates × d` row-major. */
  vectors: Float32Array;
}

/** Sums a review's token attention per lemma; strongest first, ties by word. */
export function attendedWords(
  tokens: Int32Array,
  attention: Float32Array,
  vocab: readonly string[],
  top: number,
): WeightedWord[] {
  const sums = new Map<number, number>();
  for (let k = 0; k < tokens.length; k++) {
    sums.set(tokens[k], (sums.get(tokens[k]) ?? 0) + attention[k]);
  }
  return [...sums].map(([id, weight]) => ({ word: vocab[id], weight }))
    .sort((a, b) => b.weight - a.weight || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
    .slice(0, top);
}

function matVec(x: ArrayLike<number>, w: Float32Array, b: Float32Array, d: number): Float64Array {
  const out = new Float64Array(d);
  for (let j = 0; j < d; j++) out[j] = b[j];
  for (let k = 0; k < d; k++) {
    const xk = x[k];
    if (xk === 0) continue;
    for (let j = 0; j < d; j++) out[j] += xk * w[k * d + j];
  }
  return out;
}

function cosine(a: Float64Array, b: Float64Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let j = 0; j < a.length; j++) {
    ab += a[j] * b[j];
    aa += a[j] * a[j];
    bb += b[j] * b[j];
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/** Scores an item's candidate reviews for a user; see the module doc. */
export class ReviewEvidence {
  readonly #c: ItemCandidates;
  readonly #scorer: PesiScorer;
  readonly #ws: Float32Array;
  readonly #bs: Float32Array;
  readonly #wti: Float32Array;
  readonly #bt: Float32Array;

  /** Binds the candidates to the trained parameters and the scorer's per-entity parts. */
  constructor(candidates: ItemCandidates, params: PesiParams, scorer: PesiScorer) {
    this.#c = candidates;
    this.#scorer = scorer;
    this.#ws = params.shared.w.dataSync() as Float32Array;
    this.#bs = params.shared.b.dataSync() as Float32Array;
    this.#wti = params.reviewView.wi.dataSync() as Float32Array;
    this.#bt = params.reviewView.b.dataSync() as Float32Array;
  }

  /** The candidates. */
  get candidates(): ItemCandidates {
    return this.#c;
  }

  /** Cosine, in the shared space, of each of `item`'s candidates with the pair's rating view. */
  similarities(user: number, item: number): Float64Array {
    const s = this.#scorer;
    const d = s.dim;
    const tanh = (x: Float64Array) => x.map(Math.tanh);
    const r = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      r[j] = Math.tanh(s.userRating[user * d + j] + s.itemRating[item * d + j]);
    }
    const sR = tanh(matVec(r, this.#ws, this.#bs, d));
    const from = this.#c.offsets[item];
    const to = this.#c.offsets[item + 1];
    const out = new Float64Array(to - from);
    for (let c = from; c < to; c++) {
      const v = this.#c.vectors.subarray(c * d, c * d + d);
      const t = matVec(v, this.#wti, this.#bt, d);
      for (let j = 0; j < d; j++) t[j] = Math.tanh(t[j] + s.userReview[user * d + j]);
      out[c - from] = cosine(sR, tanh(matVec(t, this.#ws, this.#bs, d)));
    }
    return out;
  }

  /** The explanation of recommending `item` to `user`: `reviews` best first, and `keywords`. */
  explain(user: number, item: number, reviews: number, keywords: number): Explanation {
    const sims = this.similarities(user, item);
    const from = this.#c.offsets[item];
    const order = Array.from(sims, (_, k) => k).sort((a, b) => sims[b] - sims[a] || a - b)
      .slice(0, reviews);
    const words = new Map<string, number>();
    for (const k of order) {
      const scale = (1 + sims[k]) / 2;
      for (const w of this.#c.words[from + k]) {
        words.set(w.word, (words.get(w.word) ?? 0) + scale * w.weight);
      }
    }
    return {
      reviews: order.map((k) => ({ text: this.#c.texts[from + k], weight: sims[k] })),
      keywords: [...words].map(([word, weight]) => ({ word, weight }))
        .sort((a, b) => b.weight - a.weight || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
        .slice(0, keywords),
    };
  }
}

/** What {@linkcode buildCandidates} reads. */
export interface CandidateSource {
  /** Encodes training rows (vectors and word attention) under the trained parameters. */
  encodeReviews(rows: Int32Array): {
    vectors: Float32Array;
    attention: Float32Array[];
  };
}

/**
 * Every item's explanation candidates: its first `count` reviews of
 * `itemLists` (most recent first), with texts, vectors and their `words`
 * most attended words.
 */
export function buildCandidates(
  net: CandidateSource,
  itemLists: readonly Int32Array[],
  texts: readonly (string | undefined)[],
  tokens: readonly Int32Array[],
  vocab: readonly string[],
  count: number,
  words: number,
): ItemCandidates {
  const offsets = new Int32Array(itemLists.length + 1);
  const rows: number[] = [];
  itemLists.forEach((list, i) => {
    for (let k = 0; k < Math.min(count, list.length); k++) rows.push(list[k]);
    offsets[i + 1] = rows.length;
  });
  const encoded = net.encodeReviews(Int32Array.from(rows));
  return {
    offsets,
    texts: rows.map((r) => texts[r] ?? ""),
    words: rows.map((r, c) => attendedWords(tokens[r], encoded.attention[c], vocab, words)),
    vectors: encoded.vectors,
  };
}
