/**
 * Reader for Amazon Reviews 2023 JSON lines (McAuley Lab): one review object
 * per line with `user_id`, `parent_asin` (or `asin`), `rating`, `title`,
 * `text` and `timestamp` in milliseconds. Other fields are ignored.
 *
 * @module
 */
import type { ByteSource } from "../io/line_stream.ts";
import {
  composeReview,
  interactionOf,
  optionalText,
  parseRating,
  parseTimestamp,
  type ReaderOptions,
  type ReadSummary,
  requireId,
} from "./errors.ts";
import { readReviewJsonLines } from "./read_review_json_lines.ts";
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
  const includeTitle = options.includeTitle ?? false;
  return yield* readReviewJsonLines(source, options, (row, at, scale) => {
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
    return interactionOf(user, item, rating, review, timestamp);
  });
}
