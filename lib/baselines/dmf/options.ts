/**
 * DMF hyperparameters: the options object with documented defaults and the
 * function that fills in and checks it.
 *
 * @module
 */
import { check, checkEpochLoopOptions, fillOptions } from "../common/option_checks.ts";

/** Options of {@linkcode DMF}. Every field is optional; see each default. */
export interface DmfOptions {
  /** Size of the last layer of both towers, the latent space the cosine is taken in (64 in the paper's comparisons). @default 64 */
  latentDim?: number;
  /**
   * Sizes of the layers before the last one. The first layer is linear over
   * the sparse rating vector; each later layer is `ReLU(W l + b)`, as in Xue
   * et al. (2017). `[]` gives a single linear layer.
   * @default [128]
   */
  hiddenDims?: number[];
  /** Adam learning rate (the DReX paper's tuned value for DMF on all three datasets). @default 0.0001 */
  learningRate?: number;
  /** L2 weight on every tower weight matrix (the original has none). @default 0 */
  lambda?: number;
  /** Unobserved pairs sampled per training rating each epoch, with label 0. @default 1 */
  negativeRatio?: number;
  /** Training pairs (ratings and sampled negatives) per mini-batch. @default 256 */
  batchSize?: number;
  /** Epoch limit. @default 100 */
  maxEpochs?: number;
  /** Epochs without validation improvement before stopping. @default 10 */
  patience?: number;
  /** Smallest decrease of the stopping metric that counts as an improvement. @default 0.0001 */
  minDelta?: number;
  /**
   * Validation error early stopping watches, of `maxRating · ŷ` against the
   * validation ratings and 0 for sampled unobserved pairs (see {@linkcode DMF}).
   * @default "rmse"
   */
  stoppingMetric?: "mae" | "rmse";
  /** Seed of initialisation, negative sampling and batch order. @default 42 */
  seed?: number;
}

/** {@linkcode DmfOptions} with every default filled in. */
export type ResolvedDmfOptions = Required<DmfOptions>;

/** The defaults, in one place. */
export const DMF_DEFAULTS: Readonly<ResolvedDmfOptions> = Object.freeze({
  latentDim: 64,
  hiddenDims: Object.freeze([128]) as number[],
  learningRate: 0.0001,
  lambda: 0,
  negativeRatio: 1,
  batchSize: 256,
  maxEpochs: 100,
  patience: 10,
  minDelta: 0.0001,
  stoppingMetric: "rmse",
  seed: 42,
});

/** Fills in defaults and checks every field, naming the offending one. */
export function resolveDmfOptions(options: DmfOptions = {}): ResolvedDmfOptions {
  const m = "DMF";
  const o = fillOptions(m, DMF_DEFAULTS, options);
  check.positiveInteger(m, "latentDim", o.latentDim);
  if (!Array.isArray(o.hiddenDims)) {
    throw new RangeError(`DMF option "hiddenDims" must be an array of layer sizes`);
  }
  o.hiddenDims.forEach((h, j) => check.positiveInteger(m, `hiddenDims[${j}]`, h));
  o.hiddenDims = [...o.hiddenDims];
  check.nonNegativeInteger(m, "negativeRatio", o.negativeRatio);
  checkEpochLoopOptions(m, o);
  return o;
}
