/**
 * DeepCoNN hyperparameters: one typed options object with documented
 * defaults, and the function that fills in and checks it.
 *
 * @module
 */
import { check, checkTrainingOptions, fillOptions } from "../common/option_checks.ts";

/** Options of {@linkcode DeepConn}. Every field is optional; see each default. */
export interface DeepConnOptions {
  /** Size of each tower's output `x_u`, `y_i` (64 in the paper's comparisons). @default 64 */
  latentDim?: number;
  /** Convolution filters per tower (the paper fixes 100). @default 100 */
  filters?: number;
  /** Convolution window in words (the paper fixes 3). @default 3 */
  window?: number;
  /** Factor size of the factorisation machine's pairwise interactions. @default 8 */
  fmFactors?: number;
  /**
   * Words per document: a user's (item's) training reviews, most recent
   * first, concatenated and cut after this many words.
   * @default 1000
   */
  maxDocumentWords?: number;
  /** Adam learning rate. @default 0.003 */
  learningRate?: number;
  /** L2 weight on every weight matrix (convolutions, dense layers, FM). @default 0 */
  lambda?: number;
  /** Dropout rate on the tower outputs during training. @default 0.3 */
  dropout?: number;
  /** Training ratings per mini-batch. @default 128 */
  batchSize?: number;
  /** Epoch limit. @default 100 */
  maxEpochs?: number;
  /** Epochs without validation improvement before stopping. @default 10 */
  patience?: number;
  /** Smallest decrease of the stopping metric that counts as an improvement. @default 0.0001 */
  minDelta?: number;
  /** Validation error early stopping watches. @default "mae" */
  stoppingMetric?: "mae" | "rmse";
  /** Seed of initialisation, batch order and dropout. @default 42 */
  seed?: number;
  /** Lowest rating; predictions are clipped to the scale. @default 1 */
  ratingMin?: number;
  /** Highest rating. @default 5 */
  ratingMax?: number;
}

/** {@linkcode DeepConnOptions} with every default filled in. */
export type ResolvedDeepConnOptions = Required<DeepConnOptions>;

/** The defaults, in one place. */
export const DEEPCONN_DEFAULTS: Readonly<ResolvedDeepConnOptions> = Object.freeze({
  latentDim: 64,
  filters: 100,
  window: 3,
  fmFactors: 8,
  maxDocumentWords: 1000,
  learningRate: 0.003,
  lambda: 0,
  dropout: 0.3,
  batchSize: 128,
  maxEpochs: 100,
  patience: 10,
  minDelta: 0.0001,
  stoppingMetric: "mae",
  seed: 42,
  ratingMin: 1,
  ratingMax: 5,
});

/** Fills in defaults and checks every field, naming the offending one. */
export function resolveDeepConnOptions(options: DeepConnOptions = {}): ResolvedDeepConnOptions {
  const m = "DeepCoNN";
  const o = fillOptions(m, DEEPCONN_DEFAULTS, options);
  for (const k of ["latentDim", "filters", "window", "fmFactors", "maxDocumentWords"] as const) {
    check.positiveInteger(m, k, o[k]);
  }
  checkTrainingOptions(m, o);
  return o;
}
