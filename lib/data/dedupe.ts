/**
 * Duplicate removal, in two steps.
 *
 * 1. Exact duplicates: interactions equal on (user, item, timestamp, review
 *    text) are one interaction; the first in input order is kept. (A missing
 *    review equals a missing review; the rating is not compared, so if two
 *    such rows disagree on it, the first row's rating wins.)
 * 2. Repeated pairs: a (user, item) pair that still has several interactions
 *    (different text or time) is resolved by a policy:
 *    - `"latest"` (default): keep the one with the latest timestamp; ties go
 *      to the later one in the input.
 *    - `"earliest"`: keep the one with the earliest timestamp; ties go to the
 *      earlier one in the input.
 *    - `"keep-all"`: keep them all.
 *    In both `"latest"` and `"earliest"`, an interaction without a timestamp
 *    loses to any interaction with one.
 * 3. Optional (`sameTextAcrossItems`): a user's identical, non-empty review
 *    text on several items counts once; the earliest (then first in input)
 *    is kept. Amazon's 5-core files list product variants as separate items,
 *    and users' reviews are copied onto each variant with the same rating:
 *    in our split of the 2018 All_Beauty file, 93% of test interactions have
 *    the same text by the same user on another item in training, so copying
 *    the user's last rating is near perfect. Off by default, as the raw
 *    files come; turn it on to evaluate personalisation rather than that.
 *
 * Kept interactions stay in input order.
 *
 * @module
 */
import type { Interaction } from "./types.ts";

/** What to do with a (user, item) pair that has several different interactions. */
export type RepeatPolicy = "latest" | "earliest" | "keep-all";

/** Options for {@linkcode dedupe}. */
export interface DedupeOptions {
  /**
   * Policy for (user, item) pairs repeated with different text or time.
   * @default "latest"
   */
  repeats?: RepeatPolicy;
  /**
   * Keep one interaction per (user, identical non-empty review text), across
   * items: removes reviews copied onto product variants (see the module notes).
   * @default false
   */
  sameTextAcrossItems?: boolean;
}

/** What {@linkcode dedupe} removed. */
export interface DedupeReport {
  /** The repeat policy applied. */
  policy: RepeatPolicy;
  /** Interactions in. */
  input: number;
  /** Interactions removed as exact duplicates of an earlier one. */
  exactDuplicates: number;
  /** Distinct (user, item) pairs. */
  pairs: number;
  /** Pairs that still had more than one interaction after removing exact duplicates. */
  repeatedPairs: number;
  /** Interactions removed by the repeat policy. */
  repeatsDropped: number;
  /** Interactions removed because the user wrote the same text on another item (`sameTextAcrossItems`). */
  sameTextDropped: number;
  /** Interactions out. */
  output: number;
}

/** The deduplicated interactions and the report. */
export interface DedupeResult {
  /** Kept interactions, in input order. */
  interactions: Interaction[];
  /** What was removed. */
  report: DedupeReport;
}

/** An unambiguous key for a (user, item) pair. */
function pairKey(user: string, item: string): string {
  return `${user.length}:${user}${item}`;
}

/**
 * Removes exact duplicates, then resolves repeated (user, item) pairs by the
 * `repeats` policy (see the module notes). Does not modify its input.
 *
 * @example
 * ```ts
 * import { dedupe } from "./dedupe.ts";
 * const { interactions, report } = dedupe([
 *   { user: "u", item: "i", rating: 5, review: "ok", timestamp: 1 },
 *   { user: "u", item: "i", rating: 5, review: "ok", timestamp: 1 },
 *   { user: "u", item: "i", rating: 4, review: "meh", timestamp: 2 },
 * ]);
 * // report.exactDuplicates === 1, interactions = [the "meh" one]
 * ```
 */
export function dedupe(
  interactions: readonly Interaction[],
  options: DedupeOptions = {},
): DedupeResult {
  const policy = options.repeats ?? "latest";
  if (policy !== "latest" && policy !== "earliest" && policy !== "keep-all") {
    throw new RangeError(`repeats must be "latest", "earliest" or "keep-all", got "${policy}"`);
  }
  const groups = new Map<string, number[]>();
  let exactDuplicates = 0;
  for (let k = 0; k < interactions.length; k++) {
    const x = interactions[k];
    const key = pairKey(x.user, x.item);
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, [k]);
      continue;
    }
    const same = group.some((j) =>
      interactions[j].timestamp === x.timestamp && interactions[j].review === x.review
    );
    if (same) exactDuplicates++;
    else group.push(k);
  }

  const keep = new Uint8Array(interactions.length);
  let repeatedPairs = 0;
  for (const group of groups.values()) {
    if (group.length > 1) repeatedPairs++;
    if (group.length === 1 || policy === "keep-all") {
      for (const k of group) keep[k] = 1;
      continue;
    }
    const replaces = policy === "latest" ? replacesLatest : replacesEarliest;
    let best = group[0];
    for (let g = 1; g < group.length; g++) {
      if (replaces(interactions[group[g]], interactions[best])) best = group[g];
    }
    keep[best] = 1;
  }

  let sameTextDropped = 0;
  if (options.sameTextAcrossItems) sameTextDropped = dropCopiedTexts(interactions, keep);

  const out: Interaction[] = [];
  for (let k = 0; k < interactions.length; k++) if (keep[k]) out.push(interactions[k]);
  return {
    interactions: out,
    report: {
      policy,
      input: interactions.length,
      exactDuplicates,
      pairs: groups.size,
      repeatedPairs,
      repeatsDropped: interactions.length - exactDuplicates - sameTextDropped - out.length,
      sameTextDropped,
      output: out.length,
    },
  };
}

/**
 * Clears `keep` for every kept interaction whose user already has a kept
 * interaction with the same non-empty text, visiting them earliest first
 * (missing timestamps last, ties in input order). Returns how many it cleared.
 */
function dropCopiedTexts(interactions: readonly Interaction[], keep: Uint8Array): number {
  const order: number[] = [];
  for (let k = 0; k < interactions.length; k++) if (keep[k]) order.push(k);
  const time = (k: number) => interactions[k].timestamp ?? Infinity;
  order.sort((a, b) => time(a) - time(b) || a - b);
  const seen = new Set<string>();
  let dropped = 0;
  for (const k of order) {
    const { user, review } = interactions[k];
    if (review === undefined || review.trim() === "") continue;
    const key = pairKey(user, review);
    if (seen.has(key)) {
      keep[k] = 0;
      dropped++;
    } else {
      seen.add(key);
    }
  }
  return dropped;
}

/** Whether `a` (later in the input than `b`) replaces `b` under "latest": later or equal time. */
function replacesLatest(a: Interaction, b: Interaction): boolean {
  if (a.timestamp === undefined) return b.timestamp === undefined;
  if (b.timestamp === undefined) return true;
  return a.timestamp >= b.timestamp;
}

/** Whether `a` (later in the input than `b`) replaces `b` under "earliest": strictly earlier time. */
function replacesEarliest(a: Interaction, b: Interaction): boolean {
  if (a.timestamp === undefined) return false;
  if (b.timestamp === undefined) return true;
  return a.timestamp < b.timestamp;
}
