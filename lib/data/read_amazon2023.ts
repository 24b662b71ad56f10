/**
 * Reader for Amazon Reviews 2023 JSON lines (McAuley Lab): one review object
 * per line with `user_id`, `parent_asin` (or `asin`), `rating`, `title`,
 * `text` and `timestamp` in milliseconds. Other fields are ignored.
 *
 * @module
 */
import { type ByteSource, readLines, sourceName } from "../io/line_stream.ts";
import {
  composeReview,
  optionalText,
  parseJsonObject,
  parseRating,
  parseTimestamp,
  type ReaderOptions,
  type ReadSummary,
  requireId,
  resolveReaderOptions,
  skipOrThrow,
} from "./errors.ts";
import type { Interaction } from "./types.ts";

/** Options for {@linkcode readAmazon2023}. */
export interface Amazon2023Options extends ReaderOptions {
  /**
   * Put the review's `title` in front of its `text` (`"Title. Text"`).
   * @default false
   */
  includeTitle?: boolean;
}

/**
 * Streams the interactions of an Amazon Reviews 2023 JSONL file (gzip or
 * plain). The item is `parent_asin`, or `asin` when that is absent. The
 * review is `text` (with `includeTitle`, the title in front); blank text
 * means no review. A missing or `null` `rating` / `timestamp` means none.
 * Blank lines are ignored.
 *
 * The generator's return value is a {@linkcode ReadSummary} (lines read,
 * interactions yielded, lines skipped by reason under `onError: "skip"`).
 *
 * @example
 * ```ts
 * import { readAmazon2023 } from "./read_amazon2023.ts";
 * for await (const x of readAmazon2023("Video_Games.jsonl.gz")) console.log(x.user, x.item);
 * ```
 */
export async function* readAmazon2023(
  source: ByteSource,
  options: Amazon2023Options = {},
): AsyncGenerator<Interaction, ReadSummary, undefined> {
  const { file, policy, scale, tally, onSkip } = resolveReaderOptions(
    options,
    sourceName(source),
  );
  const includeTitle = options.includeTitle ?? false;
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
      const row = parseJsonObject(text, at);
      const user = requireId(row.user_id, "user_id", "user", at);
      const hasParent = row.parent_asin !== undefined && row.parent_asin !== null &&
        row.parent_asin !== "";
      const hasAsin = row.asin !== undefined && row.asin !== null;
      const itemField = !hasParent && hasAsin ? "asin" : "parent_asin";
      const item = requireId(row[itemField], itemField, "item", at);
      const rating = parseRating(row.rating, "rating", scale, at);
      const timestamp = parseTimestamp(row.timestamp, "timestamp", "ms", at);
      const review = composeReview(
        optionalText(row.text, "text", at),
        optionalText(row.title, "title", at),
        includeTitle,
      );
      interaction = { user, item };
      if (rating !== undefined) interaction.rating = rating;
      if (review !== undefined) interaction.review = review;
      if (timestamp !== undefined) interaction.timestamp = timestamp;
    } catch (error) {
      skipOrThrow(error, policy, tally, onSkip);
      continue;
    }
    interactions++;
    yield interaction;
  }
  return { file, lines, records, interactions, skipped: tally.report() };
}
