/**
 * Descriptive statistics of an interaction set (a whole dataset or one part
 * of a split), and a Markdown table of them for reports.
 *
 * @module
 */
import type { DatasetSplit, IndexedInteraction, Interaction, SplitPart } from "./types.ts";

/** Minimum, median, mean and maximum of a list of counts. */
export interface CountSummary {
  /** Smallest value. */
  min: number;
  /** Median (mean of the two middle values for an even count). */
  median: number;
  /** Arithmetic mean. */
  mean: number;
  /** Largest value. */
  max: number;
}

/** How many interactions have one rating value. */
export interface RatingCount {
  /** The rating value. */
  rating: number;
  /** Interactions with that rating. */
  count: number;
}

/** Statistics of an interaction set. Fields that need data are `null` when there is none. */
export interface DatasetStats {
  /** Interactions. */
  interactions: number;
  /** Distinct users. */
  users: number;
  /** Distinct items. */
  items: number;
  /** Distinct (user, item) pairs. */
  pairs: number;
  /** `100 · (1 − pairs / (users · items))`: the share of the user × item matrix left empty; `null` when empty. */
  sparsityPercent: number | null;
  /** Interactions with a rating. */
  withRating: number;
  /** Interactions with a review. */
  withReview: number;
  /** Interactions with a timestamp. */
  withTimestamp: number;
  /** Count per rating value, in increasing rating order (values that occur only). */
  ratingHistogram: RatingCount[];
  /** Mean rating over rated interactions. */
  ratingMean: number | null;
  /** Review length in words (whitespace-separated), over interactions with a review. */
  reviewWords: CountSummary | null;
  /** Interactions per user. */
  perUser: CountSummary | null;
  /** Interactions per item. */
  perItem: CountSummary | null;
  /** Earliest timestamp, ISO 8601 (UTC). */
  firstDate: string | null;
  /** Latest timestamp, ISO 8601 (UTC). */
  lastDate: string | null;
}

/** Statistics of each part of a split, and of all parts together. */
export interface SplitStats {
  /** Train, validation and test together. */
  all: DatasetStats;
  /** The training part. */
  train: DatasetStats;
  /** The validation part. */
  validation: DatasetStats;
  /** The test part. */
  test: DatasetStats;
}

/** Summary of a list of numbers; `null` for an empty list. Sorts `values` in place. */
function summarize(values: number[]): CountSummary | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const n = values.length;
  const mid = n >> 1;
  let sum = 0;
  for (const v of values) sum += v;
  return {
    min: values[0],
    median: n % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2,
    mean: sum / n,
    max: values[n - 1],
  };
}

function wordCount(text: string): number {
  const trimmed = text.trim();
  return trimmed === "" ? 0 : trimmed.split(/\s+/).length;
}

/**
 * Computes {@linkcode DatasetStats} of raw or indexed interactions.
 *
 * @example
 * ```ts
 * import { computeStats } from "./stats.ts";
 * const s = computeStats([{ user: "u", item: "i", rating: 4, review: "Works well" }]);
 * // s.users === 1, s.reviewWords?.max === 2, s.ratingHistogram = [{ rating: 4, count: 1 }]
 * ```
 */
export function computeStats(
  interactions: readonly (Interaction | IndexedInteraction)[],
): DatasetStats {
  const perUser = new Map<string | number, number>();
  const perItem = new Map<string | number, number>();
  const pairs = new Map<string | number, Set<string | number>>();
  const histogram = new Map<number, number>();
  const words: number[] = [];
  let withRating = 0;
  let ratingSum = 0;
  let withTimestamp = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const x of interactions) {
    perUser.set(x.user, (perUser.get(x.user) ?? 0) + 1);
    perItem.set(x.item, (perItem.get(x.item) ?? 0) + 1);
    let items = pairs.get(x.user);
    if (items === undefined) pairs.set(x.user, items = new Set());
    items.add(x.item);
    if (x.rating !== undefined) {
      withRating++;
      ratingSum += x.rating;
      histogram.set(x.rating, (histogram.get(x.rating) ?? 0) + 1);
    }
    if (x.review !== undefined) words.push(wordCount(x.review));
    if (x.timestamp !== undefined) {
      withTimestamp++;
      if (x.timestamp < first) first = x.timestamp;
      if (x.timestamp > last) last = x.timestamp;
    }
  }
  let pairCount = 0;
  for (const items of pairs.values()) pairCount += items.size;
  const ratingHistogram = [...histogram.keys()].sort((a, b) => a - b)
    .map((rating) => ({ rating, count: histogram.get(rating)! }));
  const cells = perUser.size * perItem.size;
  return {
    interactions: interactions.length,
    users: perUser.size,
    items: perItem.size,
    pairs: pairCount,
    sparsityPercent: cells === 0 ? null : 100 * (1 - pairCount / cells),
    withRating,
    withReview: words.length,
    withTimestamp,
    ratingHistogram,
    ratingMean: withRating === 0 ? null : ratingSum / withRating,
    reviewWords: summarize(words),
    perUser: summarize([...perUser.values()]),
    perItem: summarize([...perItem.values()]),
    firstDate: withTimestamp === 0 ? null : new Date(first).toISOString(),
    lastDate: withTimestamp === 0 ? null : new Date(last).toISOString(),
  };
}

/** Computes {@linkcode DatasetStats} of each part of a split and of all parts together. */
export function splitStats(split: DatasetSplit): SplitStats {
  const parts: SplitPart[] = ["train", "validation", "test"];
  return {
    all: computeStats(parts.flatMap((p) => split[p])),
    train: computeStats(split.train),
    validation: computeStats(split.validation),
    test: computeStats(split.test),
  };
}

function int(n: number): string {
  return n.toLocaleString("en-US");
}

function num(n: number, digits = 2): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

function summaryCell(s: CountSummary | null): string {
  return s === null ? "–" : `${num(s.min)} / ${num(s.median)} / ${num(s.mean)} / ${num(s.max)}`;
}

function histogramCell(h: RatingCount[]): string {
  return h.length === 0 ? "–" : h.map(({ rating, count }) => `${rating}: ${int(count)}`).join(", ");
}

function dateCell(s: DatasetStats): string {
  if (s.firstDate === null || s.lastDate === null) return "–";
  return `${s.firstDate.slice(0, 10)} .. ${s.lastDate.slice(0, 10)}`;
}

/**
 * Formats statistics as a Markdown table: one row per statistic, one column
 * per named set (e.g. `{ train: ..., test: ... }`), or a single `value`
 * column for one set.
 *
 * @example
 * ```ts
 * import { computeStats, formatStatsMarkdown } from "./stats.ts";
 * console.log(formatStatsMarkdown({ beauty: computeStats([{ user: "u", item: "i", rating: 5 }]) }));
 * ```
 */
export function formatStatsMarkdown(stats: DatasetStats | Record<string, DatasetStats>): string {
  const columns: Record<string, DatasetStats> = isStats(stats) ? { value: stats } : stats;
  const names = Object.keys(columns);
  const rows: [string, (s: DatasetStats) => string][] = [
    ["interactions", (s) => int(s.interactions)],
    ["users", (s) => int(s.users)],
    ["items", (s) => int(s.items)],
    ["sparsity", (s) => s.sparsityPercent === null ? "–" : `${s.sparsityPercent.toFixed(2)}%`],
    ["with rating", (s) => int(s.withRating)],
    ["with review", (s) => int(s.withReview)],
    ["ratings (value: count)", (s) => histogramCell(s.ratingHistogram)],
    ["mean rating", (s) => s.ratingMean === null ? "–" : num(s.ratingMean, 3)],
    ["review words (min / median / mean / max)", (s) => summaryCell(s.reviewWords)],
    ["per user (min / median / mean / max)", (s) => summaryCell(s.perUser)],
    ["per item (min / median / mean / max)", (s) => summaryCell(s.perItem)],
    ["dates", dateCell],
  ];
  const escape = (text: string): string => text.replaceAll("|", "\\|");
  const lines = [
    `| statistic | ${names.map(escape).join(" | ")} |`,
    `| --- | ${names.map(() => "---").join(" | ")} |`,
  ];
  for (const [label, cell] of rows) {
    lines.push(`| ${label} | ${names.map((n) => cell(columns[n])).join(" | ")} |`);
  }
  return lines.join("\n") + "\n";
}

function isStats(value: DatasetStats | Record<string, DatasetStats>): value is DatasetStats {
  return typeof (value as DatasetStats).interactions === "number" &&
    Array.isArray((value as DatasetStats).ratingHistogram);
}
