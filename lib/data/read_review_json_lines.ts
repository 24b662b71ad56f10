/**
 * The loop both Amazon readers share: stream a JSON-lines file (gzip or
 * plain), skip blank lines, parse each line as an object, hand it to the
 * format's field mapping, apply the error policy, and count what happened.
 *
 * @module
 */
import { type ByteSource, readLines, sourceName } from "../io/line_stream.ts";
import {
  type FieldLocation,
  parseJsonObject,
  type ReaderOptions,
  type ReadSummary,
  resolveReaderOptions,
  skipOrThrow,
} from "./errors.ts";
import type { RatingScale } from "./rating_scale.ts";
import type { Interaction } from "./types.ts";

/** Turns one parsed line into an interaction; throws a `DataError` naming the field. */
export type RowToInteraction = (
  row: Record<string, unknown>,
  at: FieldLocation,
  scale: Partial<RatingScale>,
) => Interaction;

/**
 * Streams the interactions of a JSON-lines review file, one object per
 * line mapped by `toInteraction`. The return value is a
 * {@linkcode ReadSummary}.
 */
export async function* readReviewJsonLines(
  source: ByteSource,
  options: ReaderOptions,
  toInteraction: RowToInteraction,
): AsyncGenerator<Interaction, ReadSummary, undefined> {
  const { file, policy, scale, tally, onSkip } = resolveReaderOptions(
    options,
    sourceName(source),
  );
  let lines = 0;
  let records = 0;
  let interactions = 0;
  for await (const { number, text } of readLines(source, { name: file })) {
    lines = number;
    if (text.trim() === "") continue;
    records++;
    const at = { file, line: number };
    let interaction: Interaction;
    try {
      interaction = toInteraction(parseJsonObject(text, at), at, scale);
    } catch (error) {
      skipOrThrow(error, policy, tally, onSkip);
      continue;
    }
    interactions++;
    yield interaction;
  }
  return { file, lines, records, interactions, skipped: tally.report() };
}
