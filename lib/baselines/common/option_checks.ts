/**
 * Filling in and checking the options objects of the baselines (BiasedMF,
 * EMF, DMF, DeepCoNN, NARRE, PESI), with errors that name the model and the
 * field.
 *
 * @module
 */

/**
 * `defaults` overridden by the defined fields of `given`; throws a
 * `RangeError` on a field `defaults` does not have (a typo would otherwise be
 * ignored silently).
 */
export function fillOptions<T extends object>(
  model: string,
  defaults: Readonly<Required<T>>,
  given: T,
): Required<T> {
  const out = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(given)) {
    if (!(key in defaults)) throw new RangeError(`Unknown ${model} option "${key}"`);
    if (value !== undefined) out[key] = value;
  }
  return out as Required<T>;
}

/** Checks for the usual kinds of option value; each throws a `RangeError` naming the field. */
export const check = {
  /** An integer >= 1. */
  positiveInteger(model: string, name: string, v: number): void {
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`${model} option "${name}" must be a positive integer, got ${v}`);
    }
  },
  /** An integer >= 0. */
  nonNegativeInteger(model: string, name: string, v: number): void {
    if (!Number.isInteger(v) || v < 0) {
      throw new RangeError(`${model} option "${name}" must be a non-negative integer, got ${v}`);
    }
  },
  /** A finite number > 0. */
  positive(model: string, name: string, v: number): void {
    if (!(v > 0) || !Number.isFinite(v)) {
      throw new RangeError(`${model} option "${name}" must be positive, got ${v}`);
    }
  },
  /** A finite number >= 0. */
  nonNegative(model: string, name: string, v: number): void {
    if (!(v >= 0) || !Number.isFinite(v)) {
      throw new RangeError(`${model} option "${name}" must be >= 0, got ${v}`);
    }
  },
  /** A number in [0, 1). */
  fraction(model: string, name: string, v: number): void {
    if (!(v >= 0 && v < 1)) {
      throw new RangeError(`${model} option "${name}" must be in [0, 1), got ${v}`);
    }
  },
  /** A finite number. */
  finite(model: string, name: string, v: number): void {
    if (!Number.isFinite(v)) {
      throw new RangeError(`${model} option "${name}" must be a finite number, got ${v}`);
    }
  },
  /** One of `allowed`. */
  oneOf<T extends string>(model: string, name: string, v: T, allowed: readonly T[]): void {
    if (!allowed.includes(v)) {
      throw new RangeError(
        `${model} option "${name}" must be ${
          allowed.map((a) => `"${a}"`).join(" or ")
        }, got "${v}"`,
      );
    }
  },
};

/** The optimiser and early-stopping options every trained baseline has, as {@linkcode checkEpochLoopOptions} reads them. */
export interface EpochLoopOptionValues {
  /** Learning rate: finite, > 0. */
  learningRate: number;
  /** L2 weight: finite, >= 0. */
  lambda: number;
  /** Training examples per mini-batch: an integer >= 1. */
  batchSize: number;
  /** Epoch limit: an integer >= 1. */
  maxEpochs: number;
  /** Epochs without improvement before stopping: an integer >= 0. */
  patience: number;
  /** Smallest improvement: finite, >= 0. */
  minDelta: number;
  /** Watched validation error: `"mae"` or `"rmse"`. */
  stoppingMetric: string;
  /** Seed: finite. */
  seed: number;
}

/**
 * Checks the optimiser and early-stopping options every trained baseline
 * has (BiasedMF, EMF, DMF and the review baselines); throws a `RangeError`
 * naming `model` and the first bad field.
 */
export function checkEpochLoopOptions(model: string, o: EpochLoopOptionValues): void {
  check.positive(model, "learningRate", o.learningRate);
  check.nonNegative(model, "lambda", o.lambda);
  check.positiveInteger(model, "batchSize", o.batchSize);
  check.positiveInteger(model, "maxEpochs", o.maxEpochs);
  check.nonNegativeInteger(model, "patience", o.patience);
  check.nonNegative(model, "minDelta", o.minDelta);
  check.oneOf(model, "stoppingMetric", o.stoppingMetric, ["mae", "rmse"]);
  check.finite(model, "seed", o.seed);
}

/** The options the review baselines (DeepCoNN, NARRE, PESI) share, as {@linkcode checkTrainingOptions} reads them. */
export interface TrainingOptionValues extends EpochLoopOptionValues {
  /** Dropout rate: in [0, 1). */
  dropout: number;
  /** Lowest rating: finite, below `ratingMax`. */
  ratingMin: number;
  /** Highest rating: finite. */
  ratingMax: number;
}

/**
 * Checks the options every review baseline shares (training loop, dropout,
 * seed, rating scale); throws a `RangeError` naming `model` and the first
 * bad field.
 */
export function checkTrainingOptions(model: string, o: TrainingOptionValues): void {
  checkEpochLoopOptions(model, o);
  check.fraction(model, "dropout", o.dropout);
  if (
    !Number.isFinite(o.ratingMin) || !Number.isFinite(o.ratingMax) || o.ratingMax <= o.ratingMin
  ) {
    throw new RangeError(
      `${model} options "ratingMin"/"ratingMax" must be finite with min < max, got ` +
        `${o.ratingMin}..${o.ratingMax}`,
    );
  }
}
