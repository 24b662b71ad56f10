/**
 * Activity filters, as in the paper: drop users with fewer than 20 ratings
 * and items with fewer than 5.
 *
 * What counts: interactions that have a rating. A review without a rating
 * does not make a user or item "rated enough" (the thresholds are about
 * ratings, and the model's loss is over rated interactions); unrated
 * interactions of users and items that pass are kept. Every interaction
 * counts, so if a user rated an item twice (repeats kept by `dedupe`'s
 * `"keep-all"`) both count; after the default dedupe each (user, item) pair
 * is unique and "ratings of an item" equals "users who rated it".
 *
 * Order: one pass drops users below the user threshold, then, among what is
 * left, items below the item threshold. Dropping items can leave some users
 * below their threshold again; `kCore: true` repeats the pass until nothing
 * changes, so every kept user and item meets its threshold.
 *
 * @module
 */
import type { Interaction } from "./types.ts";

/** Options for {@linkcode filterInteractions}. */
export interface FilterOptions {
  /**
   * Minimum number of rated interactions a user needs to be kept (the paper's 20).
   * @default 20
   */
  minUserRatings?: number;
  /**
   * Minimum number of rated interactions an item needs to be kept (the paper's 5).
   * @default 5
   */
  minItemRatings?: number;
  /**
   * Repeat the users-then-items pass until nothing changes (k-core), instead of once.
   * @default false
   */
  kCore?: boolean;
}

/** Sizes of an interaction set. */
export interface FilterCounts {
  /** Interactions. */
  interactions: number;
  /** Distinct users. */
  users: number;
  /** Distinct items. */
  items: number;
}

/** What {@linkcode filterInteractions} dropped. */
export interface FilterReport {
  /** User threshold applied. */
  minUserRatings: number;
  /** Item threshold applied. */
  minItemRatings: number;
  /** Whether the pass was repeated to a fixpoint. */
  kCore: boolean;
  /** Passes made (1 without `kCore`; with it, including the last pass that changed nothing). */
  passes: number;
  /** Before filtering. */
  before: FilterCounts;
  /** After filtering. */
  after: FilterCounts;
  /** Users dropped. */
  droppedUsers: number;
  /** Items dropped. */
  droppedItems: number;
  /** Interactions dropped (with or without a rating). */
  droppedInteractions: number;
}

/** The kept interactions and the report. */
export interface FilterResult {
  /** Kept interactions, in input order. */
  interactions: Interaction[];
  /** What was dropped. */
  report: FilterReport;
}

/** The filter left no interactions; the message says which step emptied it and suggests relaxed thresholds. */
export class EmptyFilterError extends Error {
  /** Thresholds applied, and counts before filtering. */
  readonly report: FilterReport;

  /** Creates the error. */
  constructor(message: string, report: FilterReport) {
    super(message);
    this.name = "EmptyFilterError";
    this.report = report;
  }
}

function countsOf(interactions: readonly Interaction[]): FilterCounts {
  const users = new Set<string>();
  const items = new Set<string>();
  for (const x of interactions) {
    users.add(x.user);
    items.add(x.item);
  }
  return { interactions: interactions.length, users: users.size, items: items.size };
}

function checkThreshold(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/**
 * Drops users with fewer than `minUserRatings` rated interactions, then items
 * with fewer than `minItemRatings` (once, or until stable with `kCore`).
 * Throws {@linkcode EmptyFilterError} when nothing is left. Does not modify
 * its input.
 *
 * @example
 * ```ts
 * import { filterInteractions } from "./filter.ts";
 * declare const all: import("./types.ts").Interaction[];
 * // The paper's thresholds leave nothing on small data: relax them, and say so.
 * const { interactions, report } = filterInteractions(all, { minUserRatings: 3, minItemRatings: 3 });
 * ```
 */
export function filterInteractions(
  interactions: readonly Interaction[],
  options: FilterOptions = {},
): FilterResult {
  const minUser = options.minUserRatings ?? 20;
  const minItem = options.minItemRatings ?? 5;
  const kCore = options.kCore ?? false;
  checkThreshold("minUserRatings", minUser);
  checkThreshold("minItemRatings", minItem);

  const before = countsOf(interactions);
  const report: FilterReport = {
    minUserRatings: minUser,
    minItemRatings: minItem,
    kCore,
    passes: 0,
    before,
    after: { interactions: 0, users: 0, items: 0 },
    droppedUsers: 0,
    droppedItems: 0,
    droppedInteractions: 0,
  };
  const relax = "relax the thresholds, e.g. { minUserRatings: 3, minItemRatings: 3 }";
  if (interactions.length === 0) {
    throw new EmptyFilterError("filter: there are no interactions to filter", report);
  }
  if ((minUser > 0 || minItem > 0) && interactions.every((x) => x.rating === undefined)) {
    throw new EmptyFilterError(
      `filter: none of the ${interactions.length} interactions has a rating, and the thresholds ` +
        `count rated interactions (is the rating column mapped?)`,
      report,
    );
  }

  let kept: readonly Interaction[] = interactions;
  for (;;) {
    report.passes++;
    const start = kept.length;
    for (const side of ["user", "item"] as const) {
      const min = side === "user" ? minUser : minItem;
      const rated = new Map<string, number>();
      for (const x of kept) {
        const id = x[side];
        rated.set(id, (rated.get(id) ?? 0) + (x.rating === undefined ? 0 : 1));
      }
      const next = kept.filter((x) => rated.get(x[side])! >= min);
      if (next.length === 0) {
        let most = 0;
        for (const n of rated.values()) if (n > most) most = n;
        const what = side === "user" ? "user" : "item";
        const among = report.passes === 1 && side === "user"
          ? ""
          : ` after ${side === "user" ? "dropping items" : "dropping users"}` +
            (report.passes > 1 ? ` (pass ${report.passes})` : "");
        throw new EmptyFilterError(
          `filter left no interactions: no ${what} has ${min} or more rated interactions` +
            `${among} (the most any ${what} has is ${most}); ${relax}`,
          report,
        );
      }
      kept = next;
    }
    if (!kCore || kept.length === start) break;
  }

  const after = countsOf(kept);
  report.after = after;
  report.droppedUsers = before.users - after.users;
  report.droppedItems = before.items - after.items;
  report.droppedInteractions = before.interactions - after.interactions;
  return { interactions: kept === interactions ? [...kept] : kept as Interaction[], report };
}
