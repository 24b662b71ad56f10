/**
 * EMF hyperparameters, named after the original paper (Abdollahi &
 * Nasraoui, 2016): `lambda` is its β (L2), `explainabilityWeight` its λ,
 * `neighbours` its k and `threshold` its θ.
 *
 * @module
 */
import type { RowOptimizerKind } from "../common/row_optimizer.ts";
import { check, checkEpochLoopOptions, fillOptions } from "../common/option_checks.ts";

/** Options of {@linkcode EMF}. Every field is optional; see each default. */
export interface EmfOptions {
  /** Latent size d of `p_u` and `q_i` (64 in the paper's comparisons). @default 64 */
  latentDim?: number;
  /** Step size of the optimizer. @default 0.01 */
  learningRate?: number;
  /** L2 weight β: each training rating adds `β/2 · (||p_u||² + ||q_i||²)`. @default 0.3 */
  lambda?: number;
  /**
   * Weight λ of the explainability regulariser: each training rating adds
   * `λ/2 · E_ui · ||p_u − q_i||²`, pulling a user toward the items its
   * neighbours rated.
   * @default 0.3
   */
  explainabilityWeight?: number;
  /** Neighbours k per user (cosine similarity of training rating vectors). @default 20 */
  neighbours?: number;
  /** θ: `E_ui` (share of the k neighbours who rated i) is kept only above it, else 0. @default 0 */
  threshold?: number;
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
  /** `"adam"` (lazy, per touched row; as in the DReX comparison) or `"sgd"` (the original paper's). @default "adam" */
  optimizer?: RowOptimizerKind;
  /** Standard deviation of the initial factors. @default 0.1 */
  initScale?: number;
  /** Seed of initialisation and batch order. @default 42 */
  seed?: number;
}

/** {@linkcode EmfOptions} with every default filled in. */
export type ResolvedEmfOptions = Required<EmfOptions>;

/** The defaults, in one place. */
export const EMF_DEFAULTS: Readonly<ResolvedEmfOptions> = Object.freeze({
  latentDim: 64,
  learningRate: 0.01,
  lambda: 0.3,
  explainabilityWeight: 0.3,
  neighbours: 20,
  threshold: 0,
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
export function resolveEmfOptions(options: EmfOptions = {}): ResolvedEmfOptions {
  const m = "EMF";
  const o = fillOptions(m, EMF_DEFAULTS, options);
  check.positiveInteger(m, "latentDim", o.latentDim);
  check.nonNegative(m, "explainabilityWeight", o.explainabilityWeight);
  check.positiveInteger(m, "neighbours", o.neighbours);
  check.fraction(m, "threshold", o.threshold);
  check.oneOf(m, "optimizer", o.optimizer, ["adam", "sgd"]);
  check.positive(m, "initScale", o.initScale);
  checkEpochLoopOptions(m, o);
  return o;
}
