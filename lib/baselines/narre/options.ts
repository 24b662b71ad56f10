/**
 * NARRE hyperparameters: one typed options object with documented defaults,
 * and the function that fills in and checks it.
 *
 * @module
 */
import { check, checkTrainingOptions, fillOptions } from "../common/option_checks.ts";

/** Options of {@linkcode Narre}. Every field is optional; see each default. */
export interface NarreOptions {
  /** Latent factor size k of the id embeddings and review features (64 in the paper's comparisons). @default 64 */
  latentDim?: number;
  /** Convolution filters of each review CNN (the paper fixes 100). @default 100 */
  filters?: number;
  /** Convolution window in words (the paper fixes 3). @default 3 */
  window?: number;
  /** Hidden size of the review-attention layer. @default 32 */
  attentionDim?: number;
  /**
   * Reviews per user (item) the attention reads: the most recent training
   * reviews, this many at most.
   * @default 30
   */
  maxReviews?: number;
  /** Reviews kept per item as the explanation of a recommendation (its most attended). @default 3 */
  explanationReviews?: number;
  /** Adam learning rate. @default 0.003 */
  learningRate?: number;
  /** L2 weight on every weight matrix and embedding (not biases). @default 0 */
  lambda?: number;
  /** Dropout rate on the review-based latent features during training. @default 0.3 */
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

/** {@linkcode NarreOptions} with every default filled in. */
export type ResolvedNarreOptions = Required<NarreOptions>;

/** The defaults, in one place. */
export const NARRE_DEFAULTS: Readonly<ResolvedNarreOptions> = Object.freeze({
  latentDim: 64,
  filters: 100,
  window: 3,
  attentionDim: 32,
  maxReviews: 30,
  explanationReviews: 3,
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
export function resolveNarreOptions(options: NarreOptions = {}): ResolvedNarreOptions {
  const m = "NARRE";
  const o = fillOptions(m, NARRE_DEFAULTS, options);
  for (const k of ["latentDim", "filters", "window", "attentionDim", "maxReviews"] as const) {
    check.positiveInteger(m, k, o[k]);
  }
  check.nonNegativeInteger(m, "explanationReviews", o.explanationReviews);
  checkTrainingOptions(m, o);
  return o;
}
