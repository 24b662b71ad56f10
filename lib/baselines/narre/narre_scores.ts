/**
 * NARRE's rating layer evaluated for many pairs at once from precomputed
 * factors: `r̂(u, i) = Σ_f p_uf w1_f q_if + b_u + b_i + μ`. The user side is
 * folded once (`p_u ⊙ w1`, `b_u + μ`), so a score is one k-dimensional dot
 * product. `predict` and `scoreAll` evaluate the same expression in the
 * same order, so they agree exactly.
 *
 * @module
 */
import { PointwiseScorer } from "../common/pair_scorer.ts";

/** What the rating layer needs. */
export interface NarreScoreInputs {
  /** User factors `p_u = emb_u + X_u`, `numUsers × k`. */
  userFactors: Float32Array;
  /** Item factors `q_i = emb_i + Y_i`, `numItems × k`. */
  itemFactors: Float32Array;
  /** Rating layer weights, `k`. */
  w1: Float32Array;
  /** User biases. */
  userBias: Float32Array;
  /** Item biases. */
  itemBias: Float32Array;
  /** Global bias μ. */
  global: number;
}

/** Precomputed rating layer; see the module doc. */
export class NarreScores extends PointwiseScorer {
  /** Number of users. */
  readonly numUsers: number;
  /** Number of items. */
  readonly numItems: number;
  #k: number;
  #user: Float64Array;
  #userConst: Float64Array;
  #item: Float32Array;
  #itemBias: Float32Array;

  /** Folds the user side of `inputs`. */
  constructor(inputs: NarreScoreInputs) {
    super();
    const k = inputs.w1.length;
    this.#k = k;
    this.numUsers = inputs.userBias.length;
    this.numItems = inputs.itemBias.length;
    this.#user = new Float64Array(this.numUsers * k);
    this.#userConst = new Float64Array(this.numUsers);
    for (let u = 0; u < this.numUsers; u++) {
      for (let f = 0; f < k; f++) {
        this.#user[u * k + f] = inputs.userFactors[u * k + f] * inputs.w1[f];
      }
      this.#userConst[u] = inputs.userBias[u] + inputs.global;
    }
    this.#item = inputs.itemFactors;
    this.#itemBias = inputs.itemBias;
  }

  /** The unclipped score of user `u` and item `i`. */
  protected score(u: number, i: number): number {
    const k = this.#k;
    let dot = 0;
    for (let f = 0; f < k; f++) dot += this.#user[u * k + f] * this.#item[i * k + f];
    return this.#userConst[u] + this.#itemBias[i] + dot;
  }
}
