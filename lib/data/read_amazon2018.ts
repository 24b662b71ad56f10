/**
 * Reader for the Amazon Review Data (2018) "5-core" files (Ni, Li & McAuley,
 * EMNLP 2019), one JSON object per line: `reviewerID`, `asin`, `overall`,
 * `reviewText`, `summary`, `unixReviewTime` in seconds. Other fields
 * (`reviewTime`, `reviewerName`, `verified`, `style`, `vote`, `image`) are
 * ignored.
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

/** Options for {@linkcode readAmazon2018}. */
export interface Amazon2018Options extends ReaderOptions {
  /**
   * Put the review's `summary` (its title) in front of `reviewText` (`"Summary. Text"`).
   * @default false
   */
  includeTitle?: boolean;
}

/**
 * Streams the interactions of an Amazon 2018 5-core JSON-lines file (gzip or
 * plain). `unixReviewTime` (seconds) becomes `timestamp` in milliseconds.
 * The review is `reviewText` (with `includeTitle`, the summary in front);
 * blank or missing text means no review. Blank lines are ignored.
 *
 * The generator's return value is a {@linkcode ReadSummary}.
 *
 * @example
 * ```ts
 * import { readAmazon2018 } from "./read_amazon2018.ts";
 * let n = 0;
 * for await (const _ of readAmazon2018("All_Beauty_5.json.gz")) n++;
 * ```
 */
export async function* readAmazon2018(
  source: ByteSource,
  options: Amazon2018Options = {},
): AsyncGenerator<Interaction, ReadSummary, undefined> {
  const includeTitle = options.includeTitle ?? false;
  return yield* readReviewJsonLines(source, options, (row, at, scale) => {
    const user = requireId(row.reviewerID, "reviewerID", "user", at);
    const item = requireId(row.asin, "asin", "item", at);
    const rating = parseRating(row.overall, "overall", scale, at);
    const timestamp = parseTimestamp(row.unixReviewTime, "unixReviewTime", "s", at);
    const review = composeReview(
      optionalText(row.reviewText, "reviewText", at),
      optionalText(row.summary, "summary", at),
      includeTitle,
    );
    return interactionOf(user, item, rating, review, timestamp);
  });
}
