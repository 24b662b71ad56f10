/**
 * One entry point for every supported file format: pick the reader by name
 * or detect it from the file, stream interactions, or collect them all.
 *
 * @module
 */
import { InputFileError } from "./input_file_error.ts";
import { type ByteSource, readLines, sourceName } from "../io/line_stream.ts";
import type { ReadSummary } from "./errors.ts";
import { readAmazon2018 } from "./read_amazon2018.ts";
import { readAmazon2023 } from "./read_amazon2023.ts";
import { type CsvColumns, type CsvReaderOptions, readCsv } from "./read_csv.ts";
import type { Interaction } from "./types.ts";

/** The file formats readers understand. */
export type InteractionFormat = "amazon2023" | "amazon2018" | "csv";

/** Options for {@linkcode readInteractions} and {@linkcode loadInteractions}. */
export interface ReadInteractionsOptions extends CsvReaderOptions {
  /**
   * The file's format; `"auto"` detects it (see {@linkcode detectFormat}), which needs a path.
   * @default "auto"
   */
  format?: InteractionFormat | "auto";
  /**
   * Column mapping for CSV files (required when the format is CSV).
   * @default none
   */
  columns?: CsvColumns;
}

/** All interactions of a file, and what reading it did. */
export interface LoadedInteractions {
  /** The format read (as given, or detected). */
  format: InteractionFormat;
  /** The interactions, in file order. */
  interactions: Interaction[];
  /** Lines read, interactions kept, lines skipped by reason. */
  summary: ReadSummary;
}

/** Options for {@linkcode detectFormat}. */
export interface DetectFormatOptions {
  /**
   * How many non-blank lines to look at before giving up.
   * @default 20
   */
  maxLines?: number;
}

/**
 * Detects a file's format. A name ending in `.csv` or `.tsv` (before an
 * optional `.gz`) is CSV. Otherwise the first non-blank lines decide: a JSON
 * object with `user_id` is Amazon 2023, one with `reviewerID` is Amazon 2018,
 * and a first line that is not a JSON object means CSV. Lines that fail to
 * parse as JSON are passed over (up to `maxLines`).
 */
export async function detectFormat(
  path: string | URL,
  options: DetectFormatOptions = {},
): Promise<InteractionFormat> {
  const name = sourceName(path);
  if (/\.(csv|tsv)(\.gz)?$/i.test(name)) return "csv";
  const maxLines = options.maxLines ?? 20;
  let seen = 0;
  for await (const { text } of readLines(path)) {
    const trimmed = text.trim();
    if (trimmed === "") continue;
    if (seen === 0 && !trimmed.startsWith("{")) return "csv";
    if (++seen > maxLines) break;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      continue;
    }
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      if ("user_id" in value) return "amazon2023";
      if ("reviewerID" in value) return "amazon2018";
    }
  }
  if (seen === 0) throw new InputFileError({ file: name, detail: "the file is empty" });
  throw new InputFileError({
    file: name,
    detail: `cannot tell the format from its first lines (no "user_id" or "reviewerID" field)`,
    option: "format",
    example: `"amazon2023", "amazon2018" or "csv"`,
  });
}

/**
 * Streams the interactions of a file in any supported format (gzip or
 * plain), with the reader options of that format. The generator's return
 * value is the reader's {@linkcode ReadSummary}.
 *
 * @example
 * ```ts
 * import { readInteractions } from "./read_interactions.ts";
 * for await (const x of readInteractions("reviews.jsonl.gz", { onError: "skip" })) {
 *   console.log(x.user, x.item, x.rating);
 * }
 * ```
 */
export async function* readInteractions(
  source: ByteSource,
  options: ReadInteractionsOptions = {},
): AsyncGenerator<Interaction, ReadSummary, undefined> {
  const format = await resolveFormat(source, options);
  if (format === "amazon2023") return yield* readAmazon2023(source, options);
  if (format === "amazon2018") return yield* readAmazon2018(source, options);
  if (options.columns === undefined) {
    throw new InputFileError({
      file: options.name ?? sourceName(source),
      detail: "CSV input needs a column mapping",
      option: "columns",
      example: `{ user: "user_id", item: "item_id", rating: "rating" }`,
    });
  }
  return yield* readCsv(source, options.columns, options);
}

async function resolveFormat(
  source: ByteSource,
  options: ReadInteractionsOptions,
): Promise<InteractionFormat> {
  const format = options.format ?? "auto";
  if (format === "amazon2023" || format === "amazon2018" || format === "csv") return format;
  if (format !== "auto") {
    throw new RangeError(
      `format must be "auto", "amazon2023", "amazon2018" or "csv", got "${format}"`,
    );
  }
  if (typeof source !== "string" && !(source instanceof URL)) {
    throw new TypeError('format "auto" needs a file path; for a stream, pass options.format');
  }
  return await detectFormat(source);
}

/**
 * Reads a whole file into memory: the interactions, the format, and the
 * reader's summary (including, under `onError: "skip"`, how many lines were
 * skipped for which reason, with examples).
 */
export async function loadInteractions(
  source: ByteSource,
  options: ReadInteractionsOptions = {},
): Promise<LoadedInteractions> {
  const format = await resolveFormat(source, options);
  const reader = readInteractions(source, { ...options, format });
  const interactions: Interaction[] = [];
  for (;;) {
    const next = await reader.next();
    if (next.done) return { format, interactions, summary: next.value };
    interactions.push(next.value);
  }
}
