/**
 * BiasedMF hyperparameters: the options object with documented defaults and
 * the function that fills in and checks it.
 *
 * @module
 */
import type { RowOptimizerKind } from "../common/row_optimizer.ts";
import { check, checkEpochLoopOptions, fillOptions } from "../common/option_checks.ts";

/** Options of {@linkcode BiasedMF}. Every field is optional; see each default. */
export interface BiasedMfOptions {
  /** Latent size d of `p_u` and `q_i` (64 in the paper's comparisons). @default 64 */
  latentDim?: number;
  /** Step size of the optimizer. @default 0.01 */
  learningRate?: number;
  /**
   * L2 weight: each training rating adds `lambda · (||p_u||² + ||q_i||² + b_u² + b_i²)`
   * to its squared error (Koren's regularised objective).
   * @default 0.1
   */
  lambda?: number;
  /** Ratings per mini-batch. @default 256 */
  batchSize?: number;
  /** Epoch limit. @default 100 */
  maxEpochs?: number;
  /** Epochs without validation improvement before stopping. @default 10 */
  patience?: number;
  /** Smallest decrease of the stopping metric that counts as an improvement. @default 0.0001 */
  minDelta?: number;
  /** Validation metric for early stopping. @default "mae" */
  stoppingMetric?: "mae" | "rmse";
  /** `"adam"` (lazy, per touched row) or plain `"sgd"`. @default "adam" */
  optimizer?: RowOptimizerKind;
  /** Standard deviation of the initial factors (biases start at 0). @default 0.1 */
  initScale?: number;
  /** Seed of initialisation and batch order. @default 42 */
  seed?: number;
}

/** {@linkcode BiasedMfOptions} with every default filled in. */
export type ResolvedBiasedMfOptions = Required<BiasedMfOptions>;

/** The defaults, in one place. */
export const BIASED_MF_DEFAULTS: Readonly<ResolvedBiasedMfOptions> = Object.freeze({
  latentDim: 64,
  learningRate: 0.01,
  lambda: 0.1,
  batchSize: 256,
  maxEpochs: 100,
  patience: 10,
  minDelta: 0.0001,
  stoppingMetric: "mae",
  optimizer: "adam",
  initScale: 0.1,
  seed: 42,
});

/** Fills in defaults and checks every field, naming the offending one. */
export function resolveBiasedMfOptions(options: BiasedMfOptions = {}): ResolvedBiasedMfOptions {
  const m = "BiasedMF";
  const o = fillOptions(m, BIASED_MF_DEFAULTS, options);
  check.positiveInteger(m, "latentDim", o.latentDim);
  check.oneOf(m, "optimizer", o.optimizer, ["adam", "sgd"]);
  check.positive(m, "initScale", o.initScale);
  checkEpochLoopOptions(m, o);
  return o;
}
