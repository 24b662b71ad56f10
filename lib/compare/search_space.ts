/**
 * Hyperparameter search spaces and the budget that makes a search fair.
 *
 * A model lists the values to try per option key (`{ userReg: [0, 5, 10],
 * itemReg: [0, 5, 10] }`), any keys its options take. Every model gets the
 * same number of settings on the same splits (the budget): its full grid
 * when the grid has at most that many points, else a seeded random sample of
 * that size drawn from the grid. A model with a small grid is not handed a
 * large budget's worth of extra chances, and a model with a large grid is not
 * searched more thoroughly than the others.
 *
 * @module
 */
import { Rng } from "../random.ts";

/** One option value a search may set. */
export type SettingValue = number | string | boolean;

/** One point of a search: option key → value. */
export type Setting = Record<string, SettingValue>;

/** Values to try per option key; the grid is every combination. */
export type SearchSpace = Readonly<Record<string, readonly SettingValue[]>>;

/**
 * The paper's grid for models trained by gradient steps (section 4.4): its
 * Table 3 reports learning rates in {0.1, 0.01, 0.001, 0.0001} and lambdas in
 * {0, 0.0001, 0.001, 0.01, 0.1}; its comparison fixes d = 64.
 */
export const PAPER_GRID: Readonly<{
  learningRate: readonly number[];
  lambda: readonly number[];
  latentDim: readonly number[];
}> = Object.freeze({
  learningRate: [0.1, 0.01, 0.001, 0.0001],
  lambda: [0, 0.0001, 0.001, 0.01, 0.1],
  latentDim: [64],
});

/**
 * Shrinkage of the user + item bias model, per side: "that many ratings at
 * the mean". The range covers the λ_user 7 / λ_item 15 a validation search
 * found on Musical Instruments, and both ends (none, heavy).
 */
export const BIAS_REGULARISATION_GRID: readonly number[] = Object.freeze([
  0,
  1,
  2,
  3,
  5,
  7,
  10,
  15,
  20,
  30,
]);

/** Settings per model when none is given: the size of the paper's grid (4 × 5 × 1 = 20). */
export const DEFAULT_BUDGET = 20;

/** Number of points in the grid of `space` (1 for an empty space: the defaults). */
export function gridSize(space: SearchSpace): number {
  return Object.values(space).reduce((n, values) => n * values.length, 1);
}

/** Checks that every key of `space` lists at least one value; `where` names it in the error. */
export function checkSearchSpace(space: SearchSpace, where: string): void {
  for (const [key, values] of Object.entries(space)) {
    if (!Array.isArray(values) || values.length === 0) {
      throw new RangeError(`${where}: search space key "${key}" has no values`);
    }
  }
}

/** Every combination of the space's values, in order (the last key varies fastest). */
export function gridPoints(space: SearchSpace): Setting[] {
  let points: Setting[] = [{}];
  for (const [key, values] of Object.entries(space)) {
    points = points.flatMap((p) => values.map((v) => ({ ...p, [key]: v })));
  }
  return points;
}

/** The settings a search tries for one model, and how they were chosen. */
export interface BudgetedSettings {
  /** The settings, in grid order. */
  points: Setting[];
  /** Points in the full grid. */
  gridSize: number;
  /** Whether `points` is a random sample of the grid (the grid exceeded the budget). */
  sampled: boolean;
}

/**
 * The settings a budget of `budget` buys in `space`: the whole grid when it
 * has at most `budget` points, else `budget` points drawn without
 * replacement with `seed`, kept in grid order.
 */
export function budgetedSettings(
  space: SearchSpace,
  budget: number,
  seed: number,
): BudgetedSettings {
  if (!Number.isInteger(budget) || budget < 1) {
    throw new RangeError(`budget must be a positive integer, got ${budget}`);
  }
  const all = gridPoints(space);
  if (all.length <= budget) return { points: all, gridSize: all.length, sampled: false };
  const chosen = new Rng(seed).shuffle(all.map((_, j) => j)).slice(0, budget).sort((a, b) => a - b);
  return { points: chosen.map((j) => all[j]), gridSize: all.length, sampled: true };
}

/**
 * `defaults` read at the keys of `space`: the point of the space a model
 * made with no options sits at, or `undefined` when a key has no default
 * that a setting can hold (a number, string or boolean).
 */
export function defaultPoint(
  space: SearchSpace,
  defaults: Readonly<Record<string, unknown>>,
): Setting | undefined {
  const point: Setting = {};
  for (const key of Object.keys(space)) {
    const value = defaults[key];
    if (typeof value !== "number" && typeof value !== "string" && typeof value !== "boolean") {
      return undefined;
    }
    point[key] = value;
  }
  return point;
}

/** Whether two settings set the same keys to the same values. */
export function sameSetting(a: Setting, b: Setting): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && a[k] === b[k]);
}

/**
 * The settings `points` with the model's defaults put first when they are
 * not among them already (`added` says whether they were), so that a search
 * can never choose a setting worse on validation than the defaults it
 * replaces. Every model is given the same rule, so the budget stays fair.
 */
export function withDefaultPoint(
  points: readonly Setting[],
  space: SearchSpace,
  defaults: Readonly<Record<string, unknown>>,
): { points: Setting[]; added: boolean; defaults?: Setting } {
  const point = defaultPoint(space, defaults);
  if (point === undefined || points.some((p) => sameSetting(p, point))) {
    return { points: [...points], added: false, defaults: point };
  }
  return { points: [point, ...points], added: true, defaults: point };
}
