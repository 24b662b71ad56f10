/**
 * PESI hyperparameters: one typed options object with documented defaults,
 * and the function that fills in and checks it (errors name the field).
 *
 * @module
 */
import { check, checkTrainingOptions, fillOptions } from "../common/option_checks.ts";

/** Options of {@linkcode Pesi}. Every field is optional; see each default. */
export interface PesiOptions {
  /** Size d of the id embeddings, review vectors, views and their shared/private parts (64 in the paper's comparisons). @default 64 */
  latentDim?: number;
  /**
   * Reviews in a user's (item's) document: its most recent training reviews,
   * this many at most (during training, not counting the target's own review).
   * @default 20
   */
  maxReviews?: number;
  /** Temperature τ of the contrastive objective (cosine similarities are divided by it). @default 0.2 */
  temperature?: number;
  /** Weight of the contrastive disentanglement loss in the objective. @default 0.1 */
  contrastiveWeight?: number;
  /** Weight of the entropy regulariser on the fusion weights (entropy is minimised). @default 0.01 */
  entropyWeight?: number;
  /** Reviews returned per recommendation as its explanation (the best matches in the shared space). @default 3 */
  explanationReviews?: number;
  /** Most recent training reviews per item kept as explanation candidates. @default 10 */
  explanationCandidates?: number;
  /** Keywords returned per recommendation (the most attended words of the chosen reviews). @default 5 */
  explanationKeywords?: number;
  /** Adam learning rate. @default 0.002 */
  learningRate?: number;
  /** L2 weight on the batch's id embeddings and rating biases (per pair, averaged over the batch). @default 0.01 */
  lambda?: number;
  /** Dropout rate on the four disentangled parts before the rating head, during training. @default 0.1 */
  dropout?: number;
  /** Training ratings per mini-batch. @default 64 */
  batchSize?: number;
  /** Epoch limit. @default 100 */
  maxEpochs?: number;
  /** Epochs without validation improvement before stopping. @default 5 */
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

/** {@linkcode PesiOptions} with every default filled in. */
export type ResolvedPesiOptions = Required<PesiOptions>;

/** The defaults, in one place. */
export const PESI_DEFAULTS: Readonly<ResolvedPesiOptions> = Object.freeze({
  latentDim: 64,
  maxReviews: 20,
  temperature: 0.2,
  contrastiveWeight: 0.1,
  entropyWeight: 0.01,
  explanationReviews: 3,
  explanationCandidates: 10,
  explanationKeywords: 5,
  learningRate: 0.002,
  lambda: 0.01,
  dropout: 0.1,
  batchSize: 64,
  maxEpochs: 100,
  patience: 5,
  minDelta: 0.0001,
  stoppingMetric: "mae",
  seed: 42,
  ratingMin: 1,
  ratingMax: 5,
});

/** Fills in defaults and checks every field, naming the offending one. */
export function resolvePesiOptions(options: PesiOptions = {}): ResolvedPesiOptions {
  const m = "PESI";
  const o = fillOptions(m, PESI_DEFAULTS, options);
  check.positiveInteger(m, "latentDim", o.latentDim);
  check.positiveInteger(m, "maxReviews", o.maxReviews);
  for (const k of ["explanationReviews", "explanationCandidates", "explanationKeywords"] as const) {
    check.nonNegativeInteger(m, k, o[k]);
  }
  check.positive(m, "temperature", o.temperature);
  check.nonNegative(m, "contrastiveWeight", o.contrastiveWeight);
  check.nonNegative(m, "entropyWeight", o.entropyWeight);
  checkTrainingOptions(m, o);
  return o;
}
