/**
 * Streaming CSV records with the line each record starts on.
 *
 * This is the only file that imports `csv-parse` (npm). It stands in for
 * JSR's `@std/csv`, which is out of reach on our build machines: to switch,
 * reimplement {@linkcode parseCsv} here and nothing else changes.
 *
 * @module
 */
// @ts-types="./csv_parse_types.d.ts"
import { parse } from "npm:csv-parse@6.1.0/stream";

/** One CSV record. */
export interface CsvRecord {
  /** The record's fields, unquoted. */
  fields: string[];
  /** 1-based line the record starts on (a quoted field may span several lines). */
  line: number;
  /** 1-based line the record ends on. */
  endLine: number;
}

/** Options for {@linkcode parseCsv}. */
export interface CsvParseOptions {
  /**
   * Field separator, one character.
   * @default ","
   */
  separator?: string;
}

/** A CSV syntax error (for instance an unclosed quote), with the line it was found on. */
export class CsvSyntaxError extends Error {
  /** 1-based line where the faulty record starts. */
  readonly line: number;
  /** The parser's error code, e.g. `"CSV_QUOTE_NOT_CLOSED"`. */
  readonly code: string;

  /** Creates the error; `line` is 1-based. */
  constructor(message: string, line: number, code: string) {
    super(message);
    this.name = "CsvSyntaxError";
    this.line = line;
    this.code = code;
  }
}

interface ParsedRow {
  record: string[];
  raw: string;
  info: { lines: number };
}

/** Number of line breaks inside a record's raw text, not counting blank lines before it or its own terminator. */
function innerLineBreaks(raw: string): number {
  let start = 0;
  while (start < raw.length && (raw[start] === "\n" || raw[start] === "\r")) start++;
  let end = raw.length;
  if (raw.endsWith("\r\n")) end -= 2;
  else if (raw.endsWith("\n")) end -= 1;
  let breaks = 0;
  for (let k = start; k < end; k++) if (raw.charCodeAt(k) === 10) breaks++;
  return breaks;
}

/**
 * Parses CSV bytes (UTF-8) into records, streaming. Records end at `\n` or
 * `\r\n` outside quotes; fields are quoted with `"` (doubled to escape);
 * empty lines are skipped; a byte-order mark is dropped. Records may have
 * different field counts: checking them is the caller's job.
 *
 * Throws {@linkcode CsvSyntaxError} on malformed quoting, located at the
 * line where the faulty record starts.
 */
export async function* parseCsv(
  bytes: AsyncIterable<Uint8Array>,
  options: CsvParseOptions = {},
): AsyncGenerator<CsvRecord> {
  const parser = parse({
    delimiter: options.separator ?? ",",
    bom: true,
    info: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    record_delimiter: ["\r\n", "\n"],
  });
  const rows = ReadableStream.from(bytes).pipeThrough(parser) as ReadableStream<ParsedRow>;
  try {
    for await (const row of rows) {
      const endLine = row.info.lines;
      yield { fields: row.record, line: endLine - innerLineBreaks(row.raw), endLine };
    }
  } catch (error) {
    const e = error as { code?: unknown; lines?: unknown; raw?: unknown; message?: unknown };
    if (typeof e?.code === "string" && typeof e.lines === "number") {
      // The parser reports where it noticed; its raw text starts at the record's start.
      const line = typeof e.raw === "string" ? e.lines - innerLineBreaks(e.raw) : e.lines;
      throw new CsvSyntaxError(String(e.message), line, e.code);
    }
    throw error;
  }
}
