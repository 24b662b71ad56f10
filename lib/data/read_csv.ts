/**
 * Reader for CSV interaction files with a header row and a column mapping,
 * e.g. `{ user: "reviewer", item: "product", rating: "stars" }`.
 *
 * @module
 */
import { CsvSyntaxError, parseCsv } from "../io/csv_parser.ts";
import { type ByteSource, readBytes, sourceName, utf8Checked } from "../io/line_stream.ts";
import {
  composeReview,
  DataError,
  interactionOf,
  parseRating,
  parseTimestamp,
  type ReaderOptions,
  type ReadSummary,
  requireId,
  resolveReaderOptions,
  skipOrThrow,
  type TimestampUnit,
} from "./errors.ts";
import type { Interaction } from "./types.ts";

/** Which header column holds which part of an interaction. Unmapped parts are absent. */
export interface CsvColumns {
  /** Column of the user id (required). */
  user: string;
  /** Column of the item id (required). */
  item: string;
  /** Column of the rating; an empty cell means no rating. */
  rating?: string;
  /** Column of the review text; an empty cell means no review. */
  review?: string;
  /** Column of the review title, used only with `includeTitle`. */
  title?: string;
  /** Column of the timestamp (see `timestampUnit`); an empty cell means none. */
  timestamp?: string;
}

/** Options for {@linkcode readCsv}. */
export interface CsvReaderOptions extends ReaderOptions {
  /**
   * How the timestamp column is written: epoch milliseconds, epoch seconds, or ISO 8601 text.
   * @default "ms"
   */
  timestampUnit?: TimestampUnit;
  /**
   * Field separator, one character (`"\t"` for TSV).
   * @default ","
   */
  separator?: string;
  /**
   * Whether the first record is a header. Without one, `columns` name columns
   * by 1-based position (`{ user: "1", item: "2", rating: "3" }`).
   * @default true
   */
  header?: boolean;
  /**
   * Put the `title` column in front of the review (`"Title. Text"`).
   * @default false
   */
  includeTitle?: boolean;
}

/**
 * Streams the interactions of a CSV file (gzip or plain) whose first record
 * is a header. Columns are found by header name through `columns`; a mapped
 * column missing from the header is an error at line 1 whatever the policy.
 * A record with a different field count than the header is a `"malformed"`
 * {@linkcode DataError} located at the line the record starts on. Broken
 * quoting (e.g. a quote never closed) always stops the read: after it, record
 * boundaries are unknown, so there is nothing safe to skip to.
 *
 * The generator's return value is a {@linkcode ReadSummary}; its `lines` is
 * the last line of the last record.
 *
 * @example
 * ```ts
 * import { readCsv } from "./read_csv.ts";
 * const rows = readCsv("ratings.csv", { user: "userId", item: "movieId", rating: "rating" }, {
 *   ratingScale: [0.5, 5],
 * });
 * for await (const x of rows) console.log(x);
 * ```
 */
export async function* readCsv(
  source: ByteSource,
  columns: CsvColumns,
  options: CsvReaderOptions = {},
): AsyncGenerator<Interaction, ReadSummary, undefined> {
  const { file, policy, scale, tally, onSkip } = resolveReaderOptions(
    options,
    sourceName(source),
  );
  const unit = options.timestampUnit ?? "ms";
  if (unit !== "ms" && unit !== "s" && unit !== "iso") {
    throw new RangeError(`timestampUnit must be "ms", "s" or "iso", got "${unit}"`);
  }
  const includeTitle = options.includeTitle ?? false;
  if (typeof columns?.user !== "string" || typeof columns?.item !== "string") {
    throw new TypeError("readCsv: columns.user and columns.item must name header columns");
  }

  let header: string[] | undefined;
  let index: Record<keyof CsvColumns, number> | undefined;
  let lines = 0;
  let records = 0;
  let interactions = 0;
  const rows = parseCsv(utf8Checked(readBytes(source, { name: file }), file), {
    separator: options.separator,
  });
  try {
    for await (const { fields, line, endLine } of rows) {
      lines = endLine;
      if (header === undefined) {
        if (options.header === false) {
          header = fields.map((_, k) => String(k + 1));
          index = columnIndices(header, columns, file, line);
        } else {
          header = fields;
          index = columnIndices(header, columns, file, line);
          continue;
        }
      }
      records++;
      const at = { file, line };
      let interaction: Interaction;
      try {
        if (fields.length !== header.length) {
          throw new DataError({
            ...at,
            reason: "malformed",
            detail: `expected ${header.length} fields as in the header, got ${fields.length}`,
          });
        }
        const cell = (key: keyof CsvColumns): string | undefined =>
          index![key] < 0 ? undefined : fields[index![key]];
        const user = requireId(cell("user"), columns.user, "user", at);
        const item = requireId(cell("item"), columns.item, "item", at);
        const rating = columns.rating === undefined
          ? undefined
          : parseRating(cell("rating"), columns.rating, scale, at);
        const timestamp = columns.timestamp === undefined
          ? undefined
          : parseTimestamp(cell("timestamp"), columns.timestamp, unit, at);
        const review = composeReview(cell("review"), cell("title"), includeTitle);
        interaction = interactionOf(user, item, rating, review, timestamp);
      } catch (error) {
        skipOrThrow(error, policy, tally, onSkip);
        continue;
      }
      interactions++;
      yield interaction;
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new DataError({
        file,
        line: error.line,
        reason: "malformed",
        detail: `malformed CSV in the record starting here: ${error.message}`,
      });
    }
    throw error;
  }
  if (header === undefined) {
    throw new DataError({
      file,
      line: 1,
      reason: "malformed",
      detail: "empty file: expected a header row",
    });
  }
  return { file, lines, records, interactions, skipped: tally.report() };
}

function columnIndices(
  header: string[],
  columns: CsvColumns,
  file: string,
  line: number,
): Record<keyof CsvColumns, number> {
  const keys: (keyof CsvColumns)[] = ["user", "item", "rating", "review", "title", "timestamp"];
  const out = {} as Record<keyof CsvColumns, number>;
  for (const key of keys) {
    const name = columns[key];
    if (name === undefined) {
      out[key] = -1;
      continue;
    }
    const k = header.indexOf(name);
    if (k < 0) {
      throw new DataError({
        file,
        line,
        field: name,
        reason: "malformed",
        detail: `column mapped to ${key} is not in the header (${
          header.map((h) => JSON.stringify(h)).join(", ")
        })`,
      });
    }
    out[key] = k;
  }
  return out;
}
