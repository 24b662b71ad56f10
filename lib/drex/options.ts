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

/**
 * What the predictor reads of an entity's GRU states: `"last"` the state
 * before the interaction (the paper), `"mean"` the running mean of every
 * state up to and including it (the initial representation and the states
 * after each earlier interaction; at evaluation, after all of them).
 */
export type StateReadout = "last" | "mean";

/**
 * Named starting points for the options: `"paper"` is `../shared/spec.md`
 * exactly (every addition below off); `"default"` is the library's recipe,
 * each addition chosen on validation data (see docs/MODEL.md).
 */
export type DrexPreset = "default" | "paper";

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
  /**
   * Adam learning rate of DReX's representation tables. Each row moves once
   * per epoch (when its entity's batch runs), against once per batch for the
   * shared weights, so at the shared rate the tables barely leave their
   * random start. `0` means `learningRate`. Not in the paper.
   * @default 0
   */
  tableLearningRate?: number;
  /**
   * Trains DReX's representation tables with lazy Adam (as PyTorch's
   * `SparseAdam`): a row's moments move only when its batch gives it a
   * gradient, so the row stands still between its batches. Without it (the
   * default, as in the paper) the tables follow dense Adam, in which a row
   * outside the batch moves on along its moments. Both are computed row by
   * row, in time linear in the data (see `docs/MODEL.md#speed`); the
   * training differs, by the amount measured there. DReX-MLP has no tables
   * and ignores it. Not in the paper.
   * @default false
   */
  lazyTables?: boolean;
  /**
   * Weight `lambda` of the Frobenius penalty on the global representations.
   * @default 0.1 (`0.001` in the `"paper"` preset)
   */
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
  /** Lowest rating on the scale (the rating encoder one-hot covers min..max in steps of `ratingStep`). @default 1 */
  ratingMin?: number;
  /** Highest rating on the scale. @default 5 */
  ratingMax?: number;
  /** Distance between rating levels (0.5 for half stars); `(max − min) / step` must be whole. @default 1 */
  ratingStep?: number;
  /** Standard deviation of DReX's random initial representations. @default 0.1 */
  initScale?: number;
  /** Keywords kept per user and item profile (K). @default 20 (`10` in the `"paper"` preset) */
  profileSize?: number;
  /**
   * How a profile weighs a word. `0`: the summed attention weight it received
   * over the entity's training reviews (the paper). `m > 0`: the number of
   * the entity's reviews in which it was among the `m` most attended words,
   * so a word counts for being singled out, not for being everywhere (chosen
   * on the fixture's validation pairs: it makes explanations name the planted
   * aspects more often than word counts do, and stay faithful).
   * @default 5 (`0` in the `"paper"` preset)
   */
  profileVotes?: number;
  /**
   * Fraction of training reviews hidden at random (seeded) for the whole run,
   * to measure robustness to a missing review modality.
   * @default 0
   */
  hideReviews?: number;
  /** Fraction of training ratings hidden at random (seeded): those interactions still update states but give no loss. @default 0 */
  hideRatings?: number;
  /**
   * Adds `b_u + b_i` (per-entity biases) to the predictor's output, which
   * already starts at the training mean: the predictor then learns what
   * leniency and popularity leave over. The biases are the closed-form ridge
   * solution with `biasUserReg`/`biasItemReg`, fixed during training unless
   * `trainBiases`. Not in the paper.
   * @default true (`false` in the `"paper"` preset)
   */
  biases?: boolean;
  /**
   * Ridge penalty of the user biases, in ratings at the mean (as
   * `UserItemBias.userReg`); used as given when `chooseBiasPenalties` is off.
   * @default 5
   */
  biasUserReg?: number;
  /** Ridge penalty of the item biases. @default 5 */
  biasItemReg?: number;
  /**
   * Train the biases with the network (from the ridge start, with the same
   * penalties in the loss) instead of keeping them fixed.
   * @default false
   */
  trainBiases?: boolean;
  /**
   * Choose `biasUserReg` and `biasItemReg` on the validation ratings, in closed
   * form, from a grid of 11 × 11 values (0 … 50), before training; the choice
   * is in `getConfig()`. The penalty that suits a dataset ranges widely (7 and
   * 15 on Musical Instruments, where 5 and 5 cost 0.008 RMSE), so a fixed
   * value would leave DReX below a tuned bias baseline.
   * @default true
   */
  chooseBiasPenalties?: boolean;
  /**
   * Dropout rate on the user and item states the predictor reads, in
   * training only (seeded). Not in the paper.
   * @default 0.3 (`0` in the `"paper"` preset)
   */
  stateDropout?: number;
  /**
   * Decoupled weight decay (AdamW-style: `w ← w − learningRate · weightDecay · w`
   * after each step) on the network's weight matrices (not the biases or the
   * representation tables, which `lambda` and the bias penalties cover). Not in the paper.
   * @default 1 (`0` in the `"paper"` preset)
   */
  weightDecay?: number;
  /**
   * Decay of an exponential moving average of the parameters over steps;
   * validation, early stopping and the kept model use the average. `0` turns
   * it off. Not in the paper.
   * @default 0.9 (`0` in the `"paper"` preset)
   */
  emaDecay?: number;
  /** Clips each step's gradients to this global norm; `0` turns it off. Not in the paper. @default 0 (also in the `"paper"` preset) */
  clipNorm?: number;
  /**
   * What the predictor reads of the GRU states (see {@linkcode StateReadout}).
   * @default "mean" (`"last"` in the `"paper"` preset)
   */
  readout?: StateReadout;
  /**
   * Adds a long-term term to the prediction: the dot product of the user's
   * and the item's initial (global) representations, `h0_u · h0_i`, which the
   * paper's Frobenius penalty `lambda` already regularises as matrix
   * factorisation does. The GRU states summarise what an entity's
   * interactions said (ratings, reviews) but never which counterparts they
   * were with; this term carries who-likes-what on dense data. Not in the paper.
   * @default false
   */
  longTerm?: boolean;
  /**
   * Modality dropout: the fraction of training interactions, redrawn every
   * batch, whose own rating is hidden from the interaction encoder (it still
   * is a target), so the review attention has to carry signal. Not in the paper.
   * @default 0
   */
  ratingInputDropout?: number;
  /**
   * DReX-MLP only: the fraction of training ratings, redrawn every epoch, left
   * out of both rating vectors (user's and item's) and used as the epoch's only
   * targets. DReX-MLP's vectors otherwise contain the very rating the loss
   * predicts (target leakage inside training); at evaluation the vectors hold
   * every training rating and the test ratings are never in them, which is what
   * this reproduces. `0` is the paper's (leaky) training.
   * @default 0.5 (`0` in the `"paper"` preset)
   */
  vectorHoldout?: number;
  /**
   * Threads of the training kernels: with `2`, a helper thread pools half of
   * each batch's words and runs every other sequence of each GRU batch. The
   * split does not depend on the machine, so results are reproducible; they
   * differ from one thread's only in the order floats are summed in three
   * gradients (fixture, 4 epochs: RMSE equal to 3e-10). On a one-core machine
   * the threads take turns. Up to 30% faster per epoch on the 2-vCPU build
   * machine, often less (see docs/MODEL.md#speed).
   * @default 1
   */
  threads?: number;
  /**
   * The preset the other defaults come from (see {@linkcode DrexPreset}).
   * Options given explicitly override the preset's.
   * @default "default"
   */
  preset?: DrexPreset;
}

/** {@linkcode DrexOptions} with every default filled in. */
export type ResolvedDrexOptions = Required<DrexOptions>;

/** The defaults, in one place. */
export const DREX_DEFAULTS: Readonly<ResolvedDrexOptions> = Object.freeze({
  variant: "drex",
  latentDim: 64,
  mlpHidden: 128,
  learningRate: 0.005,
  tableLearningRate: 0,
  lazyTables: false,
  lambda: 0.1,
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
  profileSize: 20,
  profileVotes: 5,
  ratingStep: 1,
  hideReviews: 0,
  hideRatings: 0,
  biases: true,
  biasUserReg: 5,
  biasItemReg: 5,
  chooseBiasPenalties: true,
  trainBiases: false,
  stateDropout: 0.3,
  weightDecay: 1,
  emaDecay: 0.9,
  clipNorm: 0,
  readout: "mean",
  longTerm: false,
  ratingInputDropout: 0,
  vectorHoldout: 0.5,
  threads: 1,
  preset: "default",
});

/** What the `"paper"` preset changes from the defaults: every addition off, as in `../shared/spec.md`. */
export const DREX_PAPER_PRESET: Readonly<DrexOptions> = Object.freeze({
  lambda: 0.001,
  profileSize: 10,
  profileVotes: 0,
  biases: false,
  stateDropout: 0,
  weightDecay: 0,
  emaDecay: 0,
  clipNorm: 0,
  readout: "last",
  longTerm: false,
  ratingInputDropout: 0,
  vectorHoldout: 0,
  preset: "paper",
});

function positiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) {
    throw new RangeError(`DReX option "${name}" must be a positive integer, got ${v}`);
  }
}

/** Largest latent or hidden width: a d × d GRU matrix of 4096² floats is 64 MiB. */
const MAX_WIDTH = 4096;

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
  const given = stripUndefined(options);
  if (given.preset !== undefined && given.preset !== "default" && given.preset !== "paper") {
    throw new RangeError(
      `DReX option "preset" must be "default" or "paper", got "${given.preset}"`,
    );
  }
  const preset = given.preset === "paper" ? DREX_PAPER_PRESET : {};
  const o: ResolvedDrexOptions = { ...DREX_DEFAULTS, ...preset, ...given };
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
  for (const k of ["latentDim", "mlpHidden"] as const) {
    if (o[k] > MAX_WIDTH) {
      throw new RangeError(
        `DReX option "${k}" must be at most ${MAX_WIDTH} (its weight matrices would not fit ` +
          `in memory), got ${o[k]}`,
      );
    }
  }
  if (!Number.isInteger(o.profileVotes) || o.profileVotes < 0) {
    throw new RangeError(
      `DReX option "profileVotes" must be a non-negative integer, got ${o.profileVotes}`,
    );
  }
  if (!Number.isInteger(o.patience) || o.patience < 0) {
    throw new RangeError(
      `DReX option "patience" must be a non-negative integer, got ${o.patience}`,
    );
  }
  if (!(o.learningRate > 0) || !Number.isFinite(o.learningRate)) {
    throw new RangeError(
      `DReX option "learningRate" must be a finite positive number, got ${o.learningRate}`,
    );
  }
  if (o.tableLearningRate === 0) o.tableLearningRate = o.learningRate;
  if (!(o.tableLearningRate > 0)) {
    throw new RangeError(
      `DReX option "tableLearningRate" must be >= 0, got ${o.tableLearningRate}`,
    );
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
  const levels = (o.ratingMax - o.ratingMin) / o.ratingStep;
  if (
    !Number.isFinite(o.ratingMin) || !Number.isFinite(o.ratingMax) || !(o.ratingStep > 0) ||
    !(levels >= 1) || Math.abs(levels - Math.round(levels)) > 1e-9
  ) {
    throw new RangeError(
      `DReX options "ratingMin"/"ratingMax"/"ratingStep" must be finite with min < max and ` +
        `(max − min) / step whole, got ${o.ratingMin}..${o.ratingMax} step ${o.ratingStep}`,
    );
  }
  fraction("hideReviews", o.hideReviews);
  if (!(o.hideRatings >= 0 && o.hideRatings < 1)) {
    // Hiding every rating leaves nothing to learn from.
    throw new RangeError(`DReX option "hideRatings" must be in [0, 1), got ${o.hideRatings}`);
  }
  fraction("ratingInputDropout", o.ratingInputDropout);
  if (!(o.stateDropout >= 0 && o.stateDropout < 1)) {
    throw new RangeError(`DReX option "stateDropout" must be in [0, 1), got ${o.stateDropout}`);
  }
  if (o.threads !== 1 && o.threads !== 2) {
    throw new RangeError(`DReX option "threads" must be 1 or 2, got ${o.threads}`);
  }
  if (!(o.emaDecay >= 0 && o.emaDecay < 1)) {
    throw new RangeError(`DReX option "emaDecay" must be in [0, 1), got ${o.emaDecay}`);
  }
  if (!(o.vectorHoldout >= 0 && o.vectorHoldout < 1)) {
    throw new RangeError(`DReX option "vectorHoldout" must be in [0, 1), got ${o.vectorHoldout}`);
  }
  for (const k of ["biasUserReg", "biasItemReg", "weightDecay", "clipNorm"] as const) {
    if (!(o[k] >= 0) || !Number.isFinite(o[k])) {
      throw new RangeError(`DReX option "${k}" must be a finite number >= 0, got ${o[k]}`);
    }
  }
  for (
    const k of ["biases", "chooseBiasPenalties", "trainBiases", "longTerm", "lazyTables"] as const
  ) {
    if (typeof o[k] !== "boolean") {
      throw new RangeError(`DReX option "${k}" must be true or false, got ${o[k]}`);
    }
  }
  if (o.readout !== "last" && o.readout !== "mean") {
    throw new RangeError(`DReX option "readout" must be "last" or "mean", got "${o.readout}"`);
  }
  return o;
}

/** Number of rating levels S of the rating encoder's one-hot. */
export function ratingLevels(o: ResolvedDrexOptions): number {
  return Math.round((o.ratingMax - o.ratingMin) / o.ratingStep) + 1;
}

/** The level (0-based one-hot index) of `rating`: the nearest level on the scale. */
export function ratingLevel(o: ResolvedDrexOptions, rating: number): number {
  return Math.round((rating - o.ratingMin) / o.ratingStep);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
