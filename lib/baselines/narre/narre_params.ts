/**
 * NARRE's trainable parameters: per side a review CNN, a review-attention
 * layer and the projection of the attended review features; id embeddings
 * for prediction and for attention; the rating layer and biases.
 *
 * @module
 */
import type * as tf from "npm:@tensorflow/tfjs@4.22.0";
import type { Rng } from "../../random.ts";
import {
  filledVariable,
  glorotVariable,
  type NamedVariables,
  normalVariable,
} from "../common/param_init.ts";

/** One side (user or item): shapes use D = features, F = filters, t = attention size, k = latent size. */
export interface NarreTower {
  /** Review CNN weight `[w·D, F]` (window-product layout, see `window_conv.ts`). */
  convW: tf.Variable;
  /** Review CNN bias `[F]`. */
  convB: tf.Variable;
  /** Attention: review-feature weight `[F, t]`. */
  attReview: tf.Variable;
  /** Attention: weight on the id embedding of the review's other side `[k, t]`. */
  attId: tf.Variable;
  /** Attention hidden bias `[t]`. */
  attB: tf.Variable;
  /** Attention output vector `[t, 1]` (a score per review). */
  attH: tf.Variable;
  /** Projection of the attended review features `[F, k]`. */
  outW: tf.Variable;
  /** Projection bias `[k]`. */
  outB: tf.Variable;
  /**
   * Id embeddings of the *other* side's entities, read by this side's
   * attention: for the user tower, item ids (the item each review is about);
   * for the item tower, user ids (each review's author). `[count, k]`.
   */
  idAtt: tf.Variable;
  /** This side's id embeddings for prediction `[count, k]`. */
  emb: tf.Variable;
  /** This side's rating biases `[count]`. */
  bias: tf.Variable;
}

/** Every NARRE parameter. */
export interface NarreParams {
  /** The user tower (reads each user's reviews). */
  user: NarreTower;
  /** The item tower (reads each item's reviews). */
  item: NarreTower;
  /** Rating layer `w1 [k, 1]` on `p_u ⊙ q_i`. */
  w1: tf.Variable;
  /** Global bias, starting at the training mean `[1]`. */
  global: tf.Variable;
}

/** Sizes that fix every parameter shape. */
export interface NarreShapes {
  /** Token feature width D. */
  featureDim: number;
  /** Window w. */
  window: number;
  /** Filters F. */
  filters: number;
  /** Latent size k. */
  latentDim: number;
  /** Attention size t. */
  attentionDim: number;
  /** Number of users. */
  numUsers: number;
  /** Number of items. */
  numItems: number;
}

function tower(s: NarreShapes, own: number, other: number, rng: Rng): NarreTower {
  return {
    convW: glorotVariable(s.window * s.featureDim, s.filters, rng),
    convB: filledVariable(s.filters, 0),
    attReview: glorotVariable(s.filters, s.attentionDim, rng),
    attId: glorotVariable(s.latentDim, s.attentionDim, rng),
    attB: filledVariable(s.attentionDim, 0),
    attH: glorotVariable(s.attentionDim, 1, rng),
    outW: glorotVariable(s.filters, s.latentDim, rng),
    outB: filledVariable(s.latentDim, 0),
    idAtt: normalVariable(other, s.latentDim, 0.1, rng),
    emb: normalVariable(own, s.latentDim, 0.1, rng),
    bias: filledVariable(own, 0),
  };
}

/**
 * Fresh parameters: Glorot-uniform matrices, normal(0, 0.1) embeddings, zero
 * biases, and the global bias at `meanRating`.
 */
export function createNarreParams(s: NarreShapes, meanRating: number, rng: Rng): NarreParams {
  return {
    user: tower(s, s.numUsers, s.numItems, rng),
    item: tower(s, s.numItems, s.numUsers, rng),
    w1: glorotVariable(s.latentDim, 1, rng),
    global: filledVariable(1, meanRating),
  };
}

const TOWER_KEYS = [
  "convW",
  "convB",
  "attReview",
  "attId",
  "attB",
  "attH",
  "outW",
  "outB",
  "idAtt",
  "emb",
  "bias",
] as const;

/** Every parameter with a stable dotted name, in a fixed order. */
export function narreVariables(p: NarreParams): NamedVariables {
  const out: NamedVariables = [];
  for (const side of ["user", "item"] as const) {
    for (const k of TOWER_KEYS) out.push([`${side}.${k}`, p[side][k]]);
  }
  out.push(["w1", p.w1], ["global", p.global]);
  return out;
}

/** The weights the L2 penalty `lambda` applies to: matrices and embeddings, not biases. */
export function narrePenalised(p: NarreParams): tf.Variable[] {
  const keys = ["convW", "attReview", "attId", "attH", "outW", "idAtt", "emb"] as const;
  return [...keys.map((k) => p.user[k]), ...keys.map((k) => p.item[k]), p.w1];
}
