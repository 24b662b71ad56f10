/**
 * Filling in and checking the options objects of the review-based baselines
 * (DeepCoNN, NARRE), with errors that name the model and the field.
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

/** Throws a `RangeError` naming `model` and the field unless `v` is an integer >= `min`. */
export function checkInteger(model: string, name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) {
    throw new RangeError(`${model} option "${name}" must be an integer >= ${min}, got ${v}`);
  }
}

/** Throws a `RangeError` unless `v` is finite and `> 0` (`strict`) or `>= 0`. */
export function checkNumber(model: string, name: string, v: number, strict: boolean): void {
  if (!Number.isFinite(v) || (strict ? !(v > 0) : !(v >= 0))) {
    throw new RangeError(
      `${model} option "${name}" must be ${strict ? "positive" : ">= 0"}, got ${v}`,
    );
  }
}

/** Throws a `RangeError` unless `v` is in [0, 1). */
export function checkFraction(model: string, name: string, v: number): void {
  if (!(v >= 0 && v < 1)) {
    throw new RangeError(`${model} option "${name}" must be in [0, 1), got ${v}`);
  }
}

/** Checks the options every review baseline shares (training loop, seed, rating scale). */
export function checkCommonOptions(
  model: string,
  o: {
    learningRate: number;
    lambda: number;
    dropout: number;
    batchSize: number;
    maxEpochs: number;
    patience: number;
    minDelta: number;
    stoppingMetric: string;
    seed: number;
    ratingMin: number;
    ratingMax: number;
  },
): void {
  checkNumber(model, "learningRate", o.learningRate, true);
  checkNumber(model, "lambda", o.lambda, false);
  checkFraction(model, "dropout", o.dropout);
  checkInteger(model, "batchSize", o.batchSize, 1);
  checkInteger(model, "maxEpochs", o.maxEpochs, 1);
  checkInteger(model, "patience", o.patience, 0);
  checkNumber(model, "minDelta", o.minDelta, false);
  if (o.stoppingMetric !== "mae" && o.stoppingMetric !== "rmse") {
    throw new RangeError(
      `${model} option "stoppingMetric" must be "mae" or "rmse", got "${o.stoppingMetric}"`,
    );
  }
  if (!Number.isFinite(o.seed)) {
    throw new RangeError(`${model} option "seed" must be a finite number, got ${o.seed}`);
  }
  if (
    !Number.isFinite(o.ratingMin) || !Number.isFinite(o.ratingMax) || o.ratingMax <= o.ratingMin
  ) {
    throw new RangeError(
      `${model} options "ratingMin"/"ratingMax" must be finite with min < max, got ` +
        `${o.ratingMin}..${o.ratingMax}`,
    );
  }
}
