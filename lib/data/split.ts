/**
 * The per-user random split into train / validation / test (70/10/20 by
 * default), as in the paper, made reproducible and order-independent.
 *
 * How it works:
 * 1. Interactions are grouped by user. Each user's interactions are sorted
 *    by a canonical key (item, timestamp, rating, review), so the input order
 *    never matters.
 * 2. Each user's list is shuffled by an {@linkcode Rng} seeded from the split
 *    seed and the user id, so one user's split does not depend on the others.
 * 3. Sizes for a user with `n` interactions, ratios `[r_train, r_val, r_test]`,
 *    and one uniform draw `u` in [0, 1) from that user's generator:
 *    `held = floor(n·(r_val + r_test) + u)`, `test = floor(n·r_test + u)`,
 *    `validation = held − test`, train the rest. This is randomised
 *    rounding: the expected sizes are exactly `n·r`, so the dataset-wide
 *    fractions match the ratios even when users have only a few
 *    interactions (plain rounding would give a user with 3 or 4 interactions
 *    no validation interaction at all, starving validation on small data).
 *    Using one `u` for both keeps `test <= held`. If that leaves no training
 *    interaction, validation then test give one up, so every user keeps at
 *    least one. The first `train` shuffled interactions go to train, the next
 *    `validation` to validation, the rest to test.
 * 4. A validation or test interaction whose item (or user) has no training
 *    interaction is moved to train, and counted. Validation is visited before
 *    test, users in id order; once one interaction of an item is moved, the
 *    item has a training interaction and its others stay where they are.
 *
 * Id maps list the source ids in sorted (UTF-16 code unit) order; each part
 * lists its interactions by user index, then in canonical order.
 *
 * @module
 */
import { IdMap } from "./id_map.ts";
import { Rng } from "../random.ts";
import type { DatasetSplit, IndexedInteraction, Interaction, SplitPart } from "./types.ts";

/** Options for {@linkcode splitDataset}. */
export interface SplitOptions {
  /**
   * Seed of the random split (an integer).
   * @default 42
   */
  seed?: number;
  /**
   * Fractions `[train, validation, test]` of each user's interactions; non-negative, summing to 1, train > 0.
   * @default [0.7, 0.1, 0.2]
   */
  ratios?: [number, number, number];
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Missing values sort first. */
function compareOptional<T extends number | string>(a: T | undefined, b: T | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The canonical order of one user's interactions: item, timestamp, rating, review. */
function compareInteractions(a: Interaction, b: Interaction): number {
  return compareStrings(a.item, b.item) ||
    compareOptional(a.timestamp, b.timestamp) ||
    compareOptional(a.rating, b.rating) ||
    compareOptional(a.review, b.review);
}

/** 32-bit FNV-1a of a string's UTF-16 code units. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < text.length; k++) {
    h ^= text.charCodeAt(k);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/**
 * How many of a user's `n` interactions go to `[train, validation, test]`,
 * given the user's uniform draw `u` in [0, 1) (see the module notes; `u = 0.5`
 * is plain rounding, half up). Exported for tests and docs.
 */
export function partSizes(
  n: number,
  ratios: readonly [number, number, number],
  u = 0.5,
): [number, number, number] {
  if (!(u >= 0 && u < 1)) throw new RangeError(`partSizes: u must be in [0, 1), got ${u}`);
  // Snap away floating-point noise (0.1 + 0.2 > 0.3) before flooring.
  const snap = (x: number): number => Math.round(x * 1e9) / 1e9;
  const held = Math.floor(snap(n * (ratios[1] + ratios[2])) + u);
  let test = Math.floor(snap(n * ratios[2]) + u);
  let validation = held - test;
  while (n > 0 && n - validation - test < 1) {
    if (validation > 0) validation--;
    else test--;
  }
  return [n - validation - test, validation, test];
}

function checkRatios(ratios: unknown): [number, number, number] {
  const bad = (): never => {
    throw new RangeError(
      `ratios must be [train, validation, test]: non-negative, summing to 1, with train > 0; ` +
        `got ${JSON.stringify(ratios)}`,
    );
  };
  if (!Array.isArray(ratios) || ratios.length !== 3) return bad();
  const [a, b, c] = ratios as number[];
  if (![a, b, c].every((r) => Number.isFinite(r) && r >= 0) || !(a > 0)) return bad();
  if (Math.abs(a + b + c - 1) > 1e-9) return bad();
  return [a, b, c];
}

/**
 * Splits interactions per user into train, validation and test (see the
 * module notes). The same interactions and seed give the same split whatever
 * their order. Every validation/test user and item also appears in train;
 * interactions moved to train to ensure that are counted in the report.
 *
 * @example
 * ```ts
 * import { splitDataset } from "./split.ts";
 * declare const interactions: import("./types.ts").Interaction[];
 * const split = splitDataset(interactions, { seed: 7 });
 * console.log(split.report.counts, split.report.movedFromTest);
 * ```
 */
export function splitDataset(
  interactions: readonly Interaction[],
  options: SplitOptions = {},
): DatasetSplit {
  const seed = options.seed ?? 42;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const ratios = checkRatios(options.ratios ?? [0.7, 0.1, 0.2]);

  const byUser = new Map<string, Interaction[]>();
  for (const x of interactions) {
    const list = byUser.get(x.user);
    if (list === undefined) byUser.set(x.user, [x]);
    else list.push(x);
  }
  const userIds = [...byUser.keys()].sort(compareStrings);
  const itemIds = [...new Set(interactions.map((x) => x.item))].sort(compareStrings);
  const users = IdMap.from(userIds);
  const items = IdMap.from(itemIds);

  // Assign parts per user, on the canonical order.
  const lists: Interaction[][] = [];
  const parts: SplitPart[][] = [];
  const itemInTrain = new Uint8Array(items.size);
  for (const user of userIds) {
    const list = byUser.get(user)!.sort(compareInteractions);
    const rng = new Rng(fnv1a(`${seed}\u0000${user}`));
    const [train, validation] = partSizes(list.length, ratios, rng.next());
    const order = rng.shuffle(list.map((_, k) => k));
    const part = new Array<SplitPart>(list.length);
    order.forEach((k, rank) => {
      part[k] = rank < train ? "train" : rank < train + validation ? "validation" : "test";
      if (part[k] === "train") itemInTrain[items.index(list[k].item)] = 1;
    });
    lists.push(list);
    parts.push(part);
  }

  // Move held-out interactions whose item has no training interaction.
  // (Users always keep one training interaction, so only items can lack one.)
  let movedFromValidation = 0;
  let movedFromTest = 0;
  for (const from of ["validation", "test"] as const) {
    for (let u = 0; u < lists.length; u++) {
      for (let k = 0; k < lists[u].length; k++) {
        if (parts[u][k] !== from) continue;
        const item = items.index(lists[u][k].item);
        if (itemInTrain[item]) continue;
        parts[u][k] = "train";
        itemInTrain[item] = 1;
        if (from === "validation") movedFromValidation++;
        else movedFromTest++;
      }
    }
  }

  const out: Record<SplitPart, IndexedInteraction[]> = { train: [], validation: [], test: [] };
  for (let u = 0; u < lists.length; u++) {
    for (let k = 0; k < lists[u].length; k++) {
      const x = lists[u][k];
      const y: IndexedInteraction = { user: u, item: items.index(x.item) };
      if (x.rating !== undefined) y.rating = x.rating;
      if (x.review !== undefined) y.review = x.review;
      if (x.timestamp !== undefined) y.timestamp = x.timestamp;
      out[parts[u][k]].push(y);
    }
  }
  return {
    users,
    items,
    train: out.train,
    validation: out.validation,
    test: out.test,
    report: {
      seed,
      ratios,
      movedFromValidation,
      movedFromTest,
      counts: {
        train: out.train.length,
        validation: out.validation.length,
        test: out.test.length,
      },
    },
  };
}
