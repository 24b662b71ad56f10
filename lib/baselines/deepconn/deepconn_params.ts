/**
 * DeepCoNN's trainable parameters: two towers (review CNN and dense layer)
 * and the factorisation-machine head, created with seeded initialisers.
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

/** One tower: convolution `[w·D, F]` + bias `[F]`, dense layer `[F, d]` + bias `[d]`. */
export interface DeepConnTower {
  /** Convolution weight in window-product layout (see `window_conv.ts`). */
  convW: tf.Variable;
  /** Convolution bias. */
  convB: tf.Variable;
  /** Dense layer from the pooled features to the latent vector. */
  denseW: tf.Variable;
  /** Dense layer bias. */
  denseB: tf.Variable;
}

/** Every DeepCoNN parameter. */
export interface DeepConnParams {
  /** The user tower (reads user documents). */
  user: DeepConnTower;
  /** The item tower (reads item documents). */
  item: DeepConnTower;
  /** Factorisation machine on `z = [x_u ; y_i]`: global bias `w0 [1]`, linear `w [2d, 1]`, factors `v [2d, k]`. */
  fm: { w0: tf.Variable; w: tf.Variable; v: tf.Variable };
}

/** Sizes that fix every parameter shape. */
export interface DeepConnShapes {
  /** Token feature width D. */
  featureDim: number;
  /** Window w. */
  window: number;
  /** Filters F. */
  filters: number;
  /** Latent size d. */
  latentDim: number;
  /** FM factor size k. */
  fmFactors: number;
}

function tower(s: DeepConnShapes, rng: Rng): DeepConnTower {
  return {
    convW: glorotVariable(s.window * s.featureDim, s.filters, rng),
    convB: filledVariable(s.filters, 0),
    denseW: glorotVariable(s.filters, s.latentDim, rng),
    denseB: filledVariable(s.latentDim, 0),
  };
}

/**
 * Fresh parameters: Glorot-uniform matrices, zero biases, FM factors
 * normal(0, 0.01), and the FM's global bias set to `meanRating` so training
 * starts from the global-mean predictor.
 */
export function createDeepConnParams(
  s: DeepConnShapes,
  meanRating: number,
  rng: Rng,
): DeepConnParams {
  return {
    user: tower(s, rng),
    item: tower(s, rng),
    fm: {
      w0: filledVariable(1, meanRating),
      w: normalVariable(2 * s.latentDim, 1, 0.01, rng),
      v: normalVariable(2 * s.latentDim, s.fmFactors, 0.1, rng),
    },
  };
}

/** Every parameter with a stable dotted name, in a fixed order. */
export function deepConnVariables(p: DeepConnParams): NamedVariables {
  const out: NamedVariables = [];
  for (const side of ["user", "item"] as const) {
    for (const k of ["convW", "convB", "denseW", "denseB"] as const) {
      out.push([`${side}.${k}`, p[side][k]]);
    }
  }
  out.push(["fm.w0", p.fm.w0], ["fm.w", p.fm.w], ["fm.v", p.fm.v]);
  return out;
}

/** The weight matrices the L2 penalty `lambda` applies to (not biases). */
export function deepConnPenalised(p: DeepConnParams): tf.Variable[] {
  return [p.user.convW, p.user.denseW, p.item.convW, p.item.denseW, p.fm.w, p.fm.v];
}
