/**
 * The rating scale of a dataset: lowest and highest rating and the step
 * between levels (Amazon: 1..5 in whole stars; MovieLens: 0.5..5 in half
 * stars). Readers check ratings against it, `prepareDataset` carries it with
 * the split, and the comparison hands it to every model (clipping bounds, and
 * DReX's rating levels `(max − min) / step + 1`), so one setting serves the
 * whole pipeline.
 *
 * A scale is given in full, in part (the missing parts are inferred from the
 * ratings), or as `"auto"` (all inferred). Command lines write it
 * `MIN:MAX:STEP` (`0.5:5:0.5`), `MIN:MAX` (step inferred) or `auto`.
 *
 * @module
 */

/** A resolved rating scale: ratings are `min, min + step, …, max`. */
export interface RatingScale {
  /** Lowest rating. */
  min: number;
  /** Highest rating. */
  max: number;
  /** Distance between adjacent rating levels. */
  step: number;
}

/**
 * A scale as callers give it: in full, in part (missing parts are inferred
 * from the data), as `[min, max]` (the readers' older form; step inferred),
 * or `"auto"` (everything inferred).
 */
export type RatingScaleInput = Partial<RatingScale> | readonly [number, number] | "auto";

/** Amazon's whole stars, the default everywhere. */
export const DEFAULT_RATING_SCALE: Readonly<RatingScale> = Object.freeze({
  min: 1,
  max: 5,
  step: 1,
});

/** Steps tried, largest first, when a scale's step is inferred from ratings. */
const CANDIDATE_STEPS = [1, 0.5, 0.25, 0.2, 0.1, 0.05, 0.01];

/** Relative tolerance for "a rating sits on a level": ratings are read from decimal text. */
const LEVEL_TOLERANCE = 1e-9;

/**
 * The given parts of a scale input, without checks. Nothing given means
 * `[1, 5]` with the step inferred (whole stars for whole-star data, as
 * before scales had steps: a reader then checks the range only); `"auto"`
 * gives no part.
 */
export function scaleParts(input: RatingScaleInput | undefined): Partial<RatingScale> {
  if (input === undefined) return { min: DEFAULT_RATING_SCALE.min, max: DEFAULT_RATING_SCALE.max };
  if (input === "auto") return {};
  if (Array.isArray(input)) return { min: input[0], max: input[1] };
  const parts = input as Partial<RatingScale>;
  const out: Partial<RatingScale> = {};
  if (parts.min !== undefined) out.min = parts.min;
  if (parts.max !== undefined) out.max = parts.max;
  if (parts.step !== undefined) out.step = parts.step;
  return out;
}

/**
 * Checks the given parts of a scale: finite numbers, `min < max`, `step > 0`,
 * and `(max − min) / step` a whole number. `name` is what the message calls
 * the setting (an option or a flag). Throws a `RangeError`.
 */
export function checkScaleParts(parts: Partial<RatingScale>, name = "ratingScale"): void {
  for (const key of ["min", "max", "step"] as const) {
    const v = parts[key];
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v))) {
      throw new RangeError(`${name}: ${key} must be a finite number, got ${v}`);
    }
  }
  const { min, max, step } = parts;
  if (min !== undefined && max !== undefined && !(min < max)) {
    throw new RangeError(`${name}: min must be below max, got ${min}..${max}`);
  }
  if (step !== undefined && !(step > 0)) {
    throw new RangeError(`${name}: step must be positive, got ${step}`);
  }
  if (
    min !== undefined && max !== undefined && step !== undefined && !isWhole((max - min) / step)
  ) {
    throw new RangeError(
      `${name}: (max − min) / step must be a whole number of levels, got (${max} − ${min}) / ${step}`,
    );
  }
}

/** A fully given scale, checked (see {@linkcode checkScaleParts}); throws when a part is missing. */
export function resolveRatingScale(
  input: RatingScaleInput | undefined,
  name = "ratingScale",
): RatingScale {
  const parts = scaleParts(input ?? DEFAULT_RATING_SCALE);
  checkScaleParts(parts, name);
  if (parts.min === undefined || parts.max === undefined || parts.step === undefined) {
    throw new RangeError(`${name}: needs min, max and step (or infer it from the ratings)`);
  }
  return { min: parts.min, max: parts.max, step: parts.step };
}

/**
 * The scale of `ratings`, with the parts `given` fixes and the rest inferred:
 * min and max are the extreme ratings, the step the largest of 1, 0.5, 0.25,
 * 0.2, 0.1, 0.05, 0.01 on which every rating sits (without ratings, the
 * default's parts). Every rating must lie on the result; one that does not
 * is a `RangeError` naming `name`.
 */
export function inferRatingScale(
  ratings: Iterable<number>,
  given: RatingScaleInput | undefined,
  name = "ratingScale",
): RatingScale {
  const parts = scaleParts(given);
  checkScaleParts(parts, name);
  const values = [...ratings];
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of values) {
    if (r < lo) lo = r;
    if (r > hi) hi = r;
  }
  if (values.length === 0) return { ...DEFAULT_RATING_SCALE, ...parts }; // nothing to infer from
  const min = parts.min ?? lo;
  let max = parts.max ?? hi;
  if (max === min) max = min + (parts.step ?? 1); // one level seen: still a scale of two
  const step = parts.step ??
    CANDIDATE_STEPS.find((s) =>
      isWhole((max - min) / s) && values.every((r) => isWhole((r - min) / s))
    );
  if (step === undefined) {
    throw new RangeError(
      `${name}: cannot infer a step from the ratings (tried ${
        CANDIDATE_STEPS.join(", ")
      }); give it`,
    );
  }
  const scale = { min, max, step };
  checkScaleParts(scale, name);
  const off = values.find((r) => !onScale(r, scale));
  if (off !== undefined) {
    throw new RangeError(
      `${name}: rating ${off} is not on the scale ${formatRatingScale(scale)} ` +
        `(set another with --rating-scale MIN:MAX:STEP or the ratingScale option)`,
    );
  }
  return scale;
}

/** Whether `rating` is one of the scale's levels (within a relative 1e-9). */
export function onScale(rating: number, scale: RatingScale): boolean {
  const tol = LEVEL_TOLERANCE * Math.max(1, Math.abs(scale.max), Math.abs(scale.min));
  return rating >= scale.min - tol && rating <= scale.max + tol &&
    isWhole((rating - scale.min) / scale.step);
}

/** Number of rating levels, `(max − min) / step + 1` (5 for 1..5, 10 for 0.5..5 by 0.5). */
export function scaleLevelCount(scale: RatingScale): number {
  return Math.round((scale.max - scale.min) / scale.step) + 1;
}

/** `MIN:MAX:STEP`, the form command lines take. */
export function formatRatingScale(scale: RatingScale): string {
  return `${scale.min}:${scale.max}:${scale.step}`;
}

/**
 * Parses a command-line scale: `MIN:MAX:STEP`, `MIN:MAX` (step inferred from
 * the data) or `auto`. Throws a `RangeError` naming `flag`.
 */
export function parseRatingScale(text: string, flag = "--rating-scale"): RatingScaleInput {
  const t = text.trim();
  if (t === "auto") return "auto";
  const fields = t.split(":");
  const numbers = fields.map((f) => (f.trim() === "" ? NaN : Number(f)));
  if ((fields.length !== 2 && fields.length !== 3) || numbers.some((n) => !Number.isFinite(n))) {
    throw new RangeError(
      `${flag} expects MIN:MAX:STEP (e.g. 0.5:5:0.5), MIN:MAX or auto, got "${text}"`,
    );
  }
  const parts: Partial<RatingScale> = { min: numbers[0], max: numbers[1] };
  if (numbers.length === 3) parts.step = numbers[2];
  checkScaleParts(parts, flag);
  return parts;
}

/**
 * The options a model reads the scale from: `ratingMin` and `ratingMax`
 * (clipping bounds of the review baselines and DReX), and with `withStep`
 * also `ratingStep` (DReX's rating levels). `ratingStep` is left out when it
 * is 1, its default, so a model that predates the option still accepts the
 * whole-star scale.
 */
export function ratingScaleOptions(
  scale: RatingScale,
  withStep: boolean,
): Record<string, number> {
  const out: Record<string, number> = { ratingMin: scale.min, ratingMax: scale.max };
  if (withStep && scale.step !== 1) out.ratingStep = scale.step;
  return out;
}

function isWhole(x: number): boolean {
  return Math.abs(x - Math.round(x)) <= LEVEL_TOLERANCE * Math.max(1, Math.abs(x));
}
