/**
 * PESI's trainable parameters, created with seeded initialisers and kept in
 * a fixed, named order: the optimiser's, the snapshot's and the file's.
 *
 * Shapes use D = token feature width, d = latent size.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../../random.ts";

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

/** A variable holding `initial`, which is then freed. */
function own(initial: tf.Tensor): tf.Variable {
  const v = tf.variable(initial);
  initial.dispose();
  return v;
}

function glorot(rows: number, cols: number, rng: Rng): tf.Variable {
  const limit = Math.sqrt(6 / (rows + cols));
  const values = new Float32Array(rows * cols);
  for (let j = 0; j < values.length; j++) values[j] = rng.uniform(-limit, limit);
  return own(tf.tensor2d(values, [rows, cols]));
}

function normal(rows: number, cols: number, std: number, rng: Rng): tf.Variable {
  const values = new Float32Array(rows * cols);
  for (let j = 0; j < values.length; j++) values[j] = std * rng.normal();
  return own(tf.tensor2d(values, [rows, cols]));
}

function zeros(shape: number[]): tf.Variable {
  return own(tf.zeros(shape));
}

/**
 * Fresh parameters: Glorot-uniform weight matrices, normal(0, 0.1) id
 * embeddings, zero biases, and the global offset at `meanRating`, so
 * training starts near the global-mean predictor.
 */
export function createPesiParams(s: PesiShapes, meanRating: number, rng: Rng): PesiParams {
  const d = s.latentDim;
  return {
    userEmb: normal(s.numUsers, d, 0.1, rng),
    itemEmb: normal(s.numItems, d, 0.1, rng),
    userBias: zeros([s.numUsers, 1]),
    itemBias: zeros([s.numItems, 1]),
    global: own(tf.fill([1], meanRating)),
    review: { wt: glorot(s.featureDim, d, rng), bt: zeros([d]), watt: glorot(d, 1, rng) },
    ratingView: { wu: glorot(d, d, rng), wi: glorot(d, d, rng), b: zeros([d]) },
    reviewView: { wu: glorot(d, d, rng), wi: glorot(d, d, rng), b: zeros([d]) },
    shared: { w: glorot(d, d, rng), b: zeros([d]) },
    ratingPrivate: { w: glorot(d, d, rng), b: zeros([d]) },
    reviewPrivate: { w: glorot(d, d, rng), b: zeros([d]) },
    fusion: { w: glorot(d, d, rng), b: zeros([d]), v: glorot(d, 1, rng) },
    head: { w1: glorot(4 * d, d, rng), b1: zeros([d]), w2: glorot(d, 1, rng) },
  };
}

/** Parameters as an ordered list of `[name, variable]`. */
export type NamedVariables = [string, tf.Variable][];

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
