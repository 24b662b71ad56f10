/**
 * What can be wrong in an input file, and how readers report it.
 *
 * Every problem is a {@linkcode DataError} naming the file, the 1-based line
 * and the field, e.g.
 * `reviews.jsonl:17: field "rating": expected a number in [1, 5], got "five"`.
 * Readers either stop at the first one (policy `"error"`, the default) or skip
 * the offending line and count it by reason (policy `"skip"`), keeping the
 * first few as examples ({@linkcode SkipTally}).
 *
 * The field checks every reader shares (ids, ratings, timestamps, review
 * text) live here too, so all readers word their errors the same way.
 *
 * @module
 */
import {
  checkScaleParts,
  onScale,
  type RatingScale,
  type RatingScaleInput,
  scaleParts,
} from "./rating_scale.ts";
import type { Interaction } from "./types.ts";

/** Why a line was rejected. */
export type DataErrorReason =
  | "malformed"
  | "missing-user"
  | "missing-item"
  | "bad-rating"
  | "bad-timestamp"
  | "bad-text";

/** Where and why a line of input was rejected. */
export interface DataErrorInit {
  /** File name as given to the reader. */
  file: string;
  /** 1-based line number (for a CSV record: the line it starts on). */
  line: number;
  /** The field at fault; absent when the whole line is malformed. */
  field?: string;
  /** Category, used to count skipped lines. */
  reason: DataErrorReason;
  /** What was expected and what was found. */
  detail: string;
}

/** Bad input data, located by file, 1-based line and field. */
export class DataError extends Error {
  /** File name as given to the reader. */
  readonly file: string;
  /** 1-based line number (for a CSV record: the line it starts on). */
  readonly line: number;
  /** The field at fault, or `undefined` when the whole line is malformed. */
  readonly field: string | undefined;
  /** Category, used to count skipped lines. */
  readonly reason: DataErrorReason;
  /** The message without its `file:line: field "…": ` prefix. */
  readonly detail: string;

  /** Builds the message `file:line: field "name": detail` (no field part when `field` is absent). */
  constructor(init: DataErrorInit) {
    const where = `${init.file}:${init.line}: `;
    const field = init.field === undefined ? "" : `field "${init.field}": `;
    super(where + field + init.detail);
    this.name = "DataError";
    this.file = init.file;
    this.line = init.line;
    this.field = init.field;
    this.reason = init.reason;
    this.detail = init.detail;
  }
}

/** What a reader does with a bad line: stop with a {@linkcode DataError}, or skip and count it. */
export type ErrorPolicy = "error" | "skip";

/** Options every reader takes. */
export interface ReaderOptions {
  /**
   * What to do with a bad line: `"error"` throws a {@linkcode DataError};
   * `"skip"` drops the line and counts it in the reader's summary.
   * @default "error"
   */
  onError?: ErrorPolicy;
  /**
   * The rating scale (see `rating_scale.ts`): a rating below `min`, above
   * `max` or between two steps is an error. Parts left out (`[min, max]`
   * leaves out the step; `"auto"` leaves out all) are not checked here;
   * `prepareDataset` infers them from the ratings.
   * @default [1, 5] (the step is left to `prepareDataset`, which infers 1 from whole stars)
   */
  ratingScale?: RatingScaleInput;
  /**
   * How many skipped lines to keep as examples in the summary.
   * @default 5
   */
  maxSkipExamples?: number;
  /**
   * Name used in error messages.
   * @default the path as given, or `"<stream>"` for a stream
   */
  name?: string;
  /**
   * Called for every skipped line (policy `"skip"` only), e.g. to log it.
   * @default none
   */
  onSkip?: (error: DataError) => void;
}

/** {@linkcode ReaderOptions} with defaults applied and checked. */
export interface ResolvedReaderOptions {
  /** Name used in error messages. */
  file: string;
  /** Error policy. */
  policy: ErrorPolicy;
  /** The parts of the rating scale that ratings are checked against. */
  scale: Partial<RatingScale>;
  /** Where skipped lines are counted. */
  tally: SkipTally;
  /** Per-skip callback, if any. */
  onSkip: ((error: DataError) => void) | undefined;
}

/**
 * Applies the defaults of {@linkcode ReaderOptions}; `file` is the name used
 * when `options.name` is absent. Throws a `RangeError` on a bad policy or scale.
 */
export function resolveReaderOptions(options: ReaderOptions, file: string): ResolvedReaderOptions {
  const policy = options.onError ?? "error";
  if (policy !== "error" && policy !== "skip") {
    throw new RangeError(`onError must be "error" or "skip", got ${shown(policy)}`);
  }
  const given = options.ratingScale;
  if (
    given !== undefined && given !== "auto" && (typeof given !== "object" || given === null ||
      (Array.isArray(given) && given.length !== 2))
  ) {
    throw new RangeError(
      `ratingScale must be { min, max, step }, [min, max] or "auto", got ${shown(given)}`,
    );
  }
  const scale = scaleParts(given);
  checkScaleParts(scale, "ratingScale");
  const maxExamples = options.maxSkipExamples ?? 5;
  if (!Number.isInteger(maxExamples) || maxExamples < 0) {
    throw new RangeError(`maxSkipExamples must be a non-negative integer, got ${maxExamples}`);
  }
  return {
    file: options.name ?? file,
    policy,
    scale,
    tally: new SkipTally(maxExamples),
    onSkip: options.onSkip,
  };
}

/** One skipped line, kept as an example. */
export interface SkipExample {
  /** File name. */
  file: string;
  /** 1-based line. */
  line: number;
  /** Field at fault, when one is. */
  field?: string;
  /** Category. */
  reason: DataErrorReason;
  /** The full error message. */
  message: string;
}

/** Skipped lines: how many, by reason, and the first few. */
export interface SkipReport {
  /** Total skipped lines. */
  total: number;
  /** Skipped lines per reason (reasons that never occurred are absent). */
  byReason: Partial<Record<DataErrorReason, number>>;
  /** The first skipped lines, in reading order. */
  examples: SkipExample[];
}

/** What one read did. */
export interface ReadSummary {
  /** File name. */
  file: string;
  /** Lines read (including blank lines and, for CSV, the header). */
  lines: number;
  /** Non-blank lines (JSON lines) or data records (CSV) seen. */
  records: number;
  /** Interactions yielded. */
  interactions: number;
  /** Lines skipped under policy `"skip"`. */
  skipped: SkipReport;
}

/** Counts skipped lines by reason and keeps the first few as examples. */
export class SkipTally {
  readonly #maxExamples: number;
  #total = 0;
  readonly #byReason: Partial<Record<DataErrorReason, number>> = {};
  readonly #examples: SkipExample[] = [];

  /** Creates an empty tally keeping at most `maxExamples` examples. */
  constructor(maxExamples = 5) {
    this.#maxExamples = maxExamples;
  }

  /** Records one skipped line. */
  add(error: DataError): void {
    this.#total++;
    this.#byReason[error.reason] = (this.#byReason[error.reason] ?? 0) + 1;
    if (this.#examples.length < this.#maxExamples) {
      const example: SkipExample = {
        file: error.file,
        line: error.line,
        reason: error.reason,
        message: error.message,
      };
      if (error.field !== undefined) example.field = error.field;
      this.#examples.push(example);
    }
  }

  /** Number of skipped lines so far. */
  get total(): number {
    return this.#total;
  }

  /** A snapshot of the counts and examples. */
  report(): SkipReport {
    return {
      total: this.#total,
      byReason: { ...this.#byReason },
      examples: this.#examples.map((e) => ({ ...e })),
    };
  }
}

/**
 * Applies the error policy to an error raised while reading one line: under
 * `"skip"` a {@linkcode DataError} is counted and swallowed; anything else
 * is rethrown.
 */
export function skipOrThrow(
  error: unknown,
  policy: ErrorPolicy,
  tally: SkipTally,
  onSkip?: (error: DataError) => void,
): void {
  if (policy === "skip" && error instanceof DataError) {
    tally.add(error);
    onSkip?.(error);
    return;
  }
  throw error;
}

/** Where a field check is: file and line. */
export interface FieldLocation {
  /** File name. */
  file: string;
  /** 1-based line. */
  line: number;
}

/** A value for an error message: JSON for data, a word for `undefined`. */
function shown(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  try {
    const json = JSON.stringify(value);
    return json.length > 80 ? json.slice(0, 77) + "..." : json;
  } catch {
    return String(value);
  }
}

/** Parses one JSON line into an object; a syntax error or a non-object is a `"malformed"` {@linkcode DataError}. */
export function parseJsonObject(text: string, at: FieldLocation): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new DataError({ ...at, reason: "malformed", detail: `malformed JSON: ${why}` });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const kind = Array.isArray(value) ? "an array" : shown(value);
    throw new DataError({
      ...at,
      reason: "malformed",
      detail: `expected a JSON object per line, got ${kind}`,
    });
  }
  return value as Record<string, unknown>;
}

/**
 * A user or item id: a non-empty string (numbers are accepted and turned into
 * strings). Missing or empty is a `"missing-user"` / `"missing-item"` error.
 */
export function requireId(
  value: unknown,
  field: string,
  kind: "user" | "item",
  at: FieldLocation,
): string {
  const reason = kind === "user" ? "missing-user" : "missing-item";
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string" && value.trim() !== "") return value;
  const detail = value === undefined || value === null
    ? `missing ${kind} id`
    : `expected a non-empty ${kind} id, got ${shown(value)}`;
  throw new DataError({ ...at, field, reason, detail });
}

/**
 * A rating on `scale` (the parts given: `[min, max]` checks the range only):
 * a number or a numeric string. Missing (`undefined`, `null`, empty string)
 * means no rating; anything else that is not a level of the scale is a
 * `"bad-rating"` error, which for a number off the scale says how to set
 * another scale (the usual cause: half stars on the default 1..5 scale).
 */
export function parseRating(
  value: unknown,
  field: string,
  scale: readonly [number, number] | Partial<RatingScale>,
  at: FieldLocation,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string" && value.trim() === "") return undefined;
  const rating = typeof value === "number"
    ? value
    : typeof value === "string"
    ? Number(value.trim())
    : Number.NaN;
  const parts: Partial<RatingScale> = Array.isArray(scale)
    ? { min: scale[0], max: scale[1] }
    : scale as Partial<RatingScale>;
  const { min, max, step } = parts;
  const inRange = (min === undefined || rating >= min) && (max === undefined || rating <= max);
  const onStep = step === undefined ||
    onScale(rating, { min: min ?? rating, max: max ?? rating, step });
  if (Number.isFinite(rating) && inRange && onStep) return rating;
  const range = min !== undefined && max !== undefined
    ? ` in [${min}, ${max}]`
    : min !== undefined
    ? ` >= ${min}`
    : max !== undefined
    ? ` <= ${max}`
    : "";
  const steps = step !== undefined && (step !== 1 || (Number.isFinite(rating) && inRange))
    ? ` in steps of ${step}`
    : "";
  const hint = Number.isFinite(rating)
    ? " (set the rating scale with --rating-scale MIN:MAX:STEP or the ratingScale option)"
    : "";
  throw new DataError({
    ...at,
    field,
    reason: "bad-rating",
    detail: `expected a number${range}${steps}, got ${shown(value)}${hint}`,
  });
}

/** How a source writes times: epoch milliseconds, epoch seconds, or ISO 8601 text. */
export type TimestampUnit = "ms" | "s" | "iso";

const MAX_TIME_MS = 8.64e15;

/**
 * A timestamp in milliseconds since the epoch. Numbers (or numeric strings)
 * are read in `unit` (`"ms"` or `"s"`); `"iso"` reads a date string. Missing
 * (`undefined`, `null`, empty string) means no timestamp; a value that is not
 * a valid time is a `"bad-timestamp"` error.
 */
export function parseTimestamp(
  value: unknown,
  field: string,
  unit: TimestampUnit,
  at: FieldLocation,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string" && value.trim() === "") return undefined;
  let ms = Number.NaN;
  if (unit === "iso") {
    if (typeof value === "string") ms = Date.parse(value.trim());
  } else {
    const n = typeof value === "number"
      ? value
      : typeof value === "string"
      ? Number(value.trim())
      : Number.NaN;
    ms = unit === "s" ? n * 1000 : n;
  }
  if (Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME_MS) return ms;
  const expected = unit === "iso"
    ? "an ISO 8601 date"
    : unit === "s"
    ? "a time in seconds since 1970-01-01"
    : "a time in milliseconds since 1970-01-01";
  throw new DataError({
    ...at,
    field,
    reason: "bad-timestamp",
    detail: `expected ${expected}, got ${shown(value)}`,
  });
}

/** An optional text field: a string, or missing. Anything else is a `"bad-text"` error. */
export function optionalText(value: unknown, field: string, at: FieldLocation): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  throw new DataError({
    ...at,
    field,
    reason: "bad-text",
    detail: `expected a string, got ${shown(value)}`,
  });
}

/**
 * The review text of an interaction: `text` by default; with `includeTitle`,
 * the title goes in front (`"Title. Text"`, no extra period when the title
 * already ends in `.`, `!` or `?`). Blank text (and blank title) gives
 * `undefined`, i.e. no review. The text itself is kept as written.
 */
export function composeReview(
  text: string | undefined,
  title: string | undefined,
  includeTitle: boolean,
): string | undefined {
  const hasText = text !== undefined && text.trim() !== "";
  const head = includeTitle && title !== undefined ? title.trim() : "";
  if (head === "") return hasText ? text : undefined;
  if (!hasText) return head;
  const stop = /[.!?]$/.test(head) ? " " : ". ";
  return head + stop + text.trim();
}

/** An interaction with the optional fields set only when present. */
export function interactionOf(
  user: string,
  item: string,
  rating: number | undefined,
  review: string | undefined,
  timestamp: number | undefined,
): Interaction {
  const interaction: Interaction = { user, item };
  if (rating !== undefined) interaction.rating = rating;
  if (review !== undefined) interaction.review = review;
  if (timestamp !== undefined) interaction.timestamp = timestamp;
  return interaction;
}
