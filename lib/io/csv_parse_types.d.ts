/**
 * The part of csv-parse's stream API that `csv_parser.ts` uses. csv-parse's
 * own declarations reference Node's types (`/// <reference types="node" />`),
 * which would pull `@types/node` into every type check and `deno doc` of this
 * library; these few lines describe the same function without them.
 *
 * @module
 */

/** The csv-parse options `csv_parser.ts` sets (see csv-parse's documentation). */
export interface CsvParseStreamOptions {
  delimiter?: string;
  bom?: boolean;
  info?: boolean;
  raw?: boolean;
  relax_column_count?: boolean;
  skip_empty_lines?: boolean;
  record_delimiter?: string[];
}

/** A web transform stream from CSV bytes to parsed records. */
export declare function parse(
  options?: CsvParseStreamOptions,
): TransformStream<Uint8Array, unknown>;
