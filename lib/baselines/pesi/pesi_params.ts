/**
 * PESI's trainable parameters, created with seeded initialisers and kept in
 * a fixed, named order: the optimiser's, the snapshot's and the file's.
 *
 * Shapes use D = token feature width, d = latent size.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import type { Rng } from "../../random.ts";
import {
  filledVariable,
  glorotVariable,
  type NamedVariables,
  normalVariable,
} from "../common/param_init.ts";

/** Every PESI parameter. */
export interface PesiParams {
  /** User id embeddings `[users, d]` (the rating view's user input). */
  userEmb: tf.Variable;
  /** Item id embeddings `[items, d]`. */
  itemEmb: tf.Variable;
  /** User rating biases `[users, 1]`. */
  userBias: tf.Variable;
  /** Item rating biases `[items, 1]`. */
  itemBias: tf.Variable;
  /** Global rating offset `[1]`, starting at the training mean. */
  global: tf.Variable;
  /** Review encoder: `wt [D, d]`, `bt [d]`, word-attention vector `watt [d, 1]`. */
  review: { wt: tf.Variable; bt: tf.Variable; watt: tf.Variable };
  /** Rating view `tanh(P_u wu + Q_i wi + b)`: `wu`, `wi [d, d]`, `b [d]`. */
  ratingView: { wu: tf.Variable; wi: tf.Variable; b: tf.Variable };
  /** Review view `tanh(doc_u wu + doc_i wi + b)`: `wu`, `wi [d, d]`, `b [d]`. */
  reviewView: { wu: tf.Variable; wi: tf.Variable; b: tf.Variable };
  /** Shared encoder, one for both views: `w [d, d]`, `b [d]`. */
  shared: { w: tf.Variable; b: tf.Variable };
  /** Private encoder of the rating view: `w [d, d]`, `b [d]`. */
  ratingPrivate: { w: tf.Variable; b: tf.Variable };
  /** Private encoder of the review view: `w [d, d]`, `b [d]`. */
  reviewPrivate: { w: tf.Variable; b: tf.Variable };
  /** Fusion attention over the four parts, `v · tanh(c w + b)`: `w [d, d]`, `b [d]`, `v [d, 1]`. */
  fusion: { w: tf.Variable; b: tf.Variable; v: tf.Variable };
  /** Rating head `relu(z w1 + b1) w2` on the weighted parts `z [4d]`: `w1 [4d, d]`, `b1 [d]`, `w2 [d, 1]`. */
  head: { w1: tf.Variable; b1: tf.Variable; w2: tf.Variable };
}

/** Sizes that fix every parameter shape. */
export interface PesiShapes {
  /** Token feature width D. */
  featureDim: number;
  /** Latent size d. */
  latentDim: number;
  /** Number of users. */
  numUsers: number;
  /** Number of items. */
  numItems: number;
}

/**
 * Fresh parameters: Glorot-uniform weight matrices, normal(0, 0.1) id
 * embeddings, zero biases, and the global offset at `meanRating`, so
 * training starts near the global-mean predictor.
 */
export function createPesiParams(s: PesiShapes, meanRating: number, rng: Rng): PesiParams {
  const d = s.latentDim;
  return {
    userEmb: normalVariable(s.numUsers, d, 0.1, rng),
    itemEmb: normalVariable(s.numItems, d, 0.1, rng),
    userBias: filledVariable([s.numUsers, 1], 0),
    itemBias: filledVariable([s.numItems, 1], 0),
    global: filledVariable(1, meanRating),
    review: {
      wt: glorotVariable(s.featureDim, d, rng),
      bt: filledVariable(d, 0),
      watt: glorotVariable(d, 1, rng),
    },
    ratingView: {
      wu: glorotVariable(d, d, rng),
      wi: glorotVariable(d, d, rng),
      b: filledVariable(d, 0),
    },
    reviewView: {
      wu: glorotVariable(d, d, rng),
      wi: glorotVariable(d, d, rng),
      b: filledVariable(d, 0),
    },
    shared: { w: glorotVariable(d, d, rng), b: filledVariable(d, 0) },
    ratingPrivate: { w: glorotVariable(d, d, rng), b: filledVariable(d, 0) },
    reviewPrivate: { w: glorotVariable(d, d, rng), b: filledVariable(d, 0) },
    fusion: { w: glorotVariable(d, d, rng), b: filledVariable(d, 0), v: glorotVariable(d, 1, rng) },
    head: {
      w1: glorotVariable(4 * d, d, rng),
      b1: filledVariable(d, 0),
      w2: glorotVariable(d, 1, rng),
    },
  };
}

/** Every parameter with a stable dotted name (`"shared.w"`), always in the same order. */
export function pesiVariables(p: PesiParams): NamedVariables {
  const out: NamedVariables = [];
  for (const [k, node] of Object.entries(p)) {
    if (node instanceof tf.Variable) {
      out.push([k, node]);
      continue;
    }
    for (const [leaf, v] of Object.entries(node as Record<string, tf.Variable>)) {
      out.push([`${k}.${leaf}`, v]);
    }
  }
  return out;
}

/** Disposes every parameter. */
export function disposePesiParams(p: PesiParams): void {
  for (const [, v] of pesiVariables(p)) v.dispose();
}
