/**
 * DReX hyperparameters: one typed options object with documented defaults,
 * and the function that fills in and validates it.
 *
 * @module
 */

/** Which way the global representations start: learned at random (DReX) or from rating vectors (DReX-MLP). */
export type DrexVariant = "drex" | "drex-mlp";

/** Validation metric that early stopping and model selection watch. */
export type StoppingMetric = "mae" | "rmse";

/** DReX and DReX-MLP hyperparameters. Every field is optional; see each default. */
export interface DrexOptions {
  /**
   * `"drex"`: initial user and item representations are free parameters drawn
   * at random and learned. `"drex-mlp"`: they are computed by one-hidden-layer
   * MLPs from each entity's vector of training ratings.
   * @default "drex"
   */
  variant?: DrexVariant;
  /** Latent size d of every representation (64 in the paper's comparisons). @default 64 */
  latentDim?: number;
  /** Hidden units of DReX-MLP's representation MLPs (ignored by DReX). @default 128 */
  mlpHidden?: number;
  /** Adam learning rate. @default 0.005 */
  learningRate?: number;
  /** Weight `lambda` of the Frobenius penalty on the global representations. @default 0.001 */
  lambda?: number;
  /** Entities (users, or items) per mini-batch; each batch carries their whole training sequences. @default 16 */
  batchSize?: number;
  /**
   * Upper bound on training interactions in one mini-batch (the sum of its
   * sequences' lengths). Keeps memory bounded when a few items have very long
   * sequences: such an entity gets a batch of its own.
   * @default 2048
   */
  maxBatchInteractions?: number;
  /** Epoch limit. @default 100 */
  maxEpochs?: number;
  /** Epochs without validation improvement before stopping. @default 10 */
  patience?: number;
  /** Smallest decrease of the stopping metric that counts as an improvement. @default 0.0001 */
  minDelta?: number;
  /**
   * Validation metric for early stopping. RMSE by default: it is what the MSE
   * loss optimises, and stopping on MAE let RMSE drift above the bias
   * baseline's in our fixture runs. (The paper averages MAE and NDCG.)
   * @default "rmse"
   */
  stoppingMetric?: StoppingMetric;
  /** Seed for initialisation, tie-breaking, batching and masking. @default 42 */
  seed?: number;
  /** Lowest rating on the scale (the rating encoder one-hot covers min..max in steps of 1). @default 1 */
  ratingMin?: number;
  /** Highest rating on the scale. @default 5 */
  ratingMax?: number;
  /** Standard deviation of DReX's random initial representations. @default 0.1 */
  initScale?: number;
  /** Keywords kept per user and item profile (K). @default 10 */
  profileSize?: number;
  /**
   * Fraction of training reviews hidden at random (seeded) for the whole run,
   * to measure robustness to a missing review modality.
   * @default 0
   */
  hideReviews?: number;
  /** Fraction of training ratings hidden at random (seeded): those interactions still update states but give no loss. @default 0 */
  hideRatings?: number;
}

/** {@linkcode DrexOptions} with every default filled in. */
export type ResolvedDrexOptions = Required<DrexOptions>;

/** The defaults, in one place. */
export const DREX_DEFAULTS: Readonly<ResolvedDrexOptions> = Object.freeze({
  variant: "drex",
  latentDim: 64,
  mlpHidden: 128,
  learningRate: 0.005,
  lambda: 0.001,
  batchSize: 16,
  maxBatchInteractions: 2048,
  maxEpochs: 100,
  patience: 10,
  minDelta: 0.0001,
  stoppingMetric: "rmse",
  seed: 42,
  ratingMin: 1,
  ratingMax: 5,
  initScale: 0.1,
  profileSize: 10,
  hideReviews: 0,
  hideRatings: 0,
});

function positiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) {
    throw new RangeError(`DReX option "${name}" must be a positive integer, got ${v}`);
  }
}

function fraction(name: string, v: number): void {
  if (!(v >= 0 && v <= 1)) {
    throw new RangeError(`DReX option "${name}" must be in [0, 1], got ${v}`);
  }
}

/** Fills in defaults and checks every field, naming the offending one. */
export function resolveDrexOptions(options: DrexOptions = {}): ResolvedDrexOptions {
  for (const key of Object.keys(options)) {
    if (!(key in DREX_DEFAULTS)) throw new RangeError(`Unknown DReX option "${key}"`);
  }
  const o: ResolvedDrexOptions = { ...DREX_DEFAULTS, ...stripUndefined(options) };
  if (o.variant !== "drex" && o.variant !== "drex-mlp") {
    throw new RangeError(`DReX option "variant" must be "drex" or "drex-mlp", got "${o.variant}"`);
  }
  if (o.stoppingMetric !== "mae" && o.stoppingMetric !== "rmse") {
    throw new RangeError(
      `DReX option "stoppingMetric" must be "mae" or "rmse", got "${o.stoppingMetric}"`,
    );
  }
  for (
    const k of [
      "latentDim",
      "mlpHidden",
      "batchSize",
      "maxBatchInteractions",
      "maxEpochs",
      "profileSize",
    ] as const
  ) {
    positiveInt(k, o[k]);
  }
  if (!Number.isInteger(o.patience) || o.patience < 0) {
    throw new RangeError(
      `DReX option "patience" must be a non-negative integer, got ${o.patience}`,
    );
  }
  if (!(o.learningRate > 0)) {
    throw new RangeError(`DReX option "learningRate" must be positive, got ${o.learningRate}`);
  }
  if (!(o.lambda >= 0)) throw new RangeError(`DReX option "lambda" must be >= 0, got ${o.lambda}`);
  if (!(o.minDelta >= 0)) {
    throw new RangeError(`DReX option "minDelta" must be >= 0, got ${o.minDelta}`);
  }
  if (!(o.initScale > 0)) {
    throw new RangeError(`DReX option "initScale" must be positive, got ${o.initScale}`);
  }
  if (!Number.isFinite(o.seed)) {
    throw new RangeError(`DReX option "seed" must be a number, got ${o.seed}`);
  }
  if (
    !Number.isInteger(o.ratingMin) || !Number.isInteger(o.ratingMax) || o.ratingMax <= o.ratingMin
  ) {
    throw new RangeError(
      `DReX options "ratingMin"/"ratingMax" must be integers with min < max, got ${o.ratingMin}..${o.ratingMax}`,
    );
  }
  fraction("hideReviews", o.hideReviews);
  fraction("hideRatings", o.hideRatings);
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
