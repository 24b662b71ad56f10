/**
 * Filling in and checking the options objects of the rating-matrix
 * baselines, with errors that name the model and the field.
 *
 * @module
 */

/**
 * `defaults` overridden by the defined fields of `given`; throws on a field
 * `defaults` does not have (a typo would otherwise be ignored silently).
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
