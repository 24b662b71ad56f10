/**
 * DReX's trainable parameters, created with seeded initialisers and kept in
 * a flat, named list so they can be saved, restored and snapshotted.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import type { Rng } from "../random.ts";
import { ratingLevels, type ResolvedDrexOptions } from "./options.ts";

/** Weights of one GRU (user or item): input and recurrent weights for the update/reset gates and the candidate. */
export interface GruCell {
  /** Input weights of the update and reset gates, `[d, 2d]`. */
  wxzr: tf.Variable;
  /** Input weights of the candidate, `[d, d]`. */
  wxh: tf.Variable;
  /** Gate biases, `[2d]`. */
  bzr: tf.Variable;
  /** Candidate bias, `[d]`. */
  bh: tf.Variable;
  /** Recurrent weights of the gates, `[d, 2d]`. */
  whzr: tf.Variable;
  /** Recurrent weights of the candidate, `[d, d]`. */
  whh: tf.Variable;
}

/** Where an entity's initial (global) representation comes from. */
export type RepresentationSource =
  | { kind: "table"; table: tf.Variable }
  | { kind: "mlp"; w1: tf.Variable; b1: tf.Variable; w2: tf.Variable; b2: tf.Variable };

/** Every DReX parameter. Shapes use D = token feature width, d = latent size, S = rating levels. */
export interface DrexParams {
  /** Review encoder: projection `wt [D, d]`, bias `bt [d]`, attention vector `watt [d, 1]`. */
  review: { wt: tf.Variable; bt: tf.Variable; watt: tf.Variable };
  /** Rating encoder: `wr [S, d]` (the one-hot product is a row lookup), `br [d]`. */
  rating: { wr: tf.Variable; br: tf.Variable };
  /** Fusion of `[t ; r]` into `x`: `wft [d, d]`, `wfr [d, d]`, `bf [d]`. */
  fusion: { wft: tf.Variable; wfr: tf.Variable; bf: tf.Variable };
  /** GRU refining user representations. */
  userGru: GruCell;
  /** GRU refining item representations (separate weights). */
  itemGru: GruCell;
  /** Predictor MLP `[h_u ; h_i] -> d -> 1`, first layer split by input: `w1u`, `w1i [d, d]`, `b1 [d]`, `w2 [d, 1]`, `b2 [1]`. */
  predictor: {
    w1u: tf.Variable;
    w1i: tf.Variable;
    b1: tf.Variable;
    w2: tf.Variable;
    b2: tf.Variable;
  };
  /** Initial user representations. */
  users: RepresentationSource;
  /** Initial item representations. */
  items: RepresentationSource;
  /** Per-entity rating biases added to the prediction (option `biases`): `user [numUsers]`, `item [numItems]`. */
  bias?: { user: tf.Variable; item: tf.Variable };
}

/** Sizes that fix every parameter shape. */
export interface DrexShapes {
  /** Token feature width D. */
  featureDim: number;
  /** Latent size d. */
  latentDim: number;
  /** Rating levels S. */
  ratingLevels: number;
  /** Number of users. */
  numUsers: number;
  /** Number of items. */
  numItems: number;
  /** `"table"` for DReX, `"mlp"` for DReX-MLP. */
  representation: "table" | "mlp";
  /** Hidden units of the representation MLPs. */
  mlpHidden: number;
  /** Standard deviation of random initial representations. */
  initScale: number;
  /** Whether the model has per-entity biases. */
  biases: boolean;
}

function glorot(shape: [number, number], rng: Rng): tf.Variable {
  const limit = Math.sqrt(6 / (shape[0] + shape[1]));
  const values = new Float32Array(shape[0] * shape[1]);
  for (let i = 0; i < values.length; i++) values[i] = rng.uniform(-limit, limit);
  return tf.variable(tf.tensor2d(values, shape));
}

function normal(shape: [number, number], std: number, rng: Rng): tf.Variable {
  const values = new Float32Array(shape[0] * shape[1]);
  for (let i = 0; i < values.length; i++) values[i] = std * rng.normal();
  return tf.variable(tf.tensor2d(values, shape));
}

function filled(length: number, value: number): tf.Variable {
  return tf.variable(tf.fill([length], value));
}

function gruCell(d: number, rng: Rng): GruCell {
  return {
    wxzr: glorot([d, 2 * d], rng),
    wxh: glorot([d, d], rng),
    bzr: filled(2 * d, 0),
    bh: filled(d, 0),
    whzr: glorot([d, 2 * d], rng),
    whh: glorot([d, d], rng),
  };
}

function representation(
  count: number,
  other: number,
  s: DrexShapes,
  rng: Rng,
): RepresentationSource {
  if (s.representation === "table") {
    return { kind: "table", table: normal([count, s.latentDim], s.initScale, rng) };
  }
  return {
    kind: "mlp",
    w1: glorot([other, s.mlpHidden], rng),
    b1: filled(s.mlpHidden, 0),
    w2: glorot([s.mlpHidden, s.latentDim], rng),
    b2: filled(s.latentDim, 0),
  };
}

/**
 * Creates freshly initialised parameters: Glorot-uniform matrices, zero
 * biases, normal(0, initScale) representation tables, and the output bias set
 * to `outputBias` (the training mean rating, so training starts from the
 * global-mean predictor). Per-entity biases start at zero (the caller sets
 * them).
 */
export function createDrexParams(s: DrexShapes, outputBias: number, rng: Rng): DrexParams {
  const d = s.latentDim;
  const params: DrexParams = {
    review: { wt: glorot([s.featureDim, d], rng), bt: filled(d, 0), watt: glorot([d, 1], rng) },
    rating: { wr: glorot([s.ratingLevels, d], rng), br: filled(d, 0) },
    fusion: { wft: glorot([d, d], rng), wfr: glorot([d, d], rng), bf: filled(d, 0) },
    userGru: gruCell(d, rng),
    itemGru: gruCell(d, rng),
    predictor: {
      w1u: glorot([d, d], rng),
      w1i: glorot([d, d], rng),
      b1: filled(d, 0),
      w2: glorot([d, 1], rng),
      b2: filled(1, outputBias),
    },
    users: representation(s.numUsers, s.numItems, s, rng),
    items: representation(s.numItems, s.numUsers, s, rng),
  };
  if (s.biases) {
    params.bias = { user: filled(s.numUsers, 0), item: filled(s.numItems, 0) };
  }
  return params;
}

/** Every parameter with a stable dotted name (`"userGru.whh"`), in a fixed order. */
export function namedParams(p: DrexParams): [string, tf.Variable][] {
  const out: [string, tf.Variable][] = [];
  const visit = (prefix: string, node: unknown) => {
    if (node === undefined) return;
    if (node instanceof tf.Variable) {
      out.push([prefix, node]);
      return;
    }
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k === "kind") continue;
      visit(prefix ? `${prefix}.${k}` : k, v);
    }
  };
  visit("", p);
  return out;
}

/** Disposes every parameter. */
export function disposeParams(p: DrexParams): void {
  for (const [, v] of namedParams(p)) v.dispose();
}

/** The shapes of a model with options `o` on `numUsers` × `numItems` and token width `featureDim`. */
export function drexShapes(
  o: ResolvedDrexOptions,
  featureDim: number,
  numUsers: number,
  numItems: number,
): DrexShapes {
  return {
    featureDim,
    latentDim: o.latentDim,
    ratingLevels: ratingLevels(o),
    numUsers,
    numItems,
    representation: o.variant === "drex" ? "table" : "mlp",
    mlpHidden: o.mlpHidden,
    initScale: o.initScale,
    biases: o.biases,
  };
}
