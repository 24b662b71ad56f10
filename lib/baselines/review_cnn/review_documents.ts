/**
 * Which training reviews make up a user's or an item's text, for the
 * review-based baselines (DeepCoNN's documents, NARRE's review lists, PESI's
 * documents).
 *
 * An entity's reviews are the training interactions of that user (or item)
 * whose review kept at least one word after preprocessing, ordered **most
 * recent first** (by timestamp; interactions without one count as oldest;
 * ties go to the later training row). Reviews of validation and test
 * interactions never appear: only `split.train` rows are indexed.
 *
 * - A **document** (DeepCoNN) is the concatenation of those reviews in that
 *   order, cut after its first `maxWords` words: whole reviews while they
 *   fit, then a prefix of the next one. It is described as review rows and
 *   how many leading words of each are kept.
 * - A **review list** (NARRE, PESI) is the first `maxReviews` of those reviews.
 *
 * Both take an `exclude` row: during training, the review of the interaction
 * being predicted is left out of both the user's and the item's text (the
 * original models kept it, so a training prediction could read its own
 * review: a leak). The text then refills from the following reviews, exactly
 * as if that review had never been written. At prediction time nothing is
 * excluded (`exclude = -1`): the text is built from training reviews only.
 *
 * @module
 */
import type { IndexedInteraction } from "../../data/types.ts";

/** Per user and per item, its non-empty training reviews (rows of `split.train`), most recent first. */
export interface EntityReviews {
  /** `users[u]`: rows of user `u`'s reviews. */
  users: Int32Array[];
  /** `items[i]`: rows of item `i`'s reviews. */
  items: Int32Array[];
  /** Words kept per training row (`tokens[r].length`; 0 for a missing review). */
  lengths: Int32Array;
}

/** A document: `rows[k]`'s first `words[k]` words, in order. */
export interface DocumentParts {
  /** Training rows of the reviews in the document, in document order. */
  rows: Int32Array;
  /** How many leading words of each review are kept (all but possibly the last are whole). */
  words: Int32Array;
}

/**
 * Groups the training rows by user and by item, keeping rows whose review
 * has at least one token, most recent first (see the module doc).
 */
export function entityReviews(
  train: readonly IndexedInteraction[],
  tokens: readonly Int32Array[],
  numUsers: number,
  numItems: number,
): EntityReviews {
  if (tokens.length !== train.length) {
    throw new RangeError(
      `entityReviews: ${tokens.length} token lists for ${train.length} training interactions ` +
        "(features must be extracted from split.train reviews, one row each)",
    );
  }
  const lengths = Int32Array.from(tokens, (t) => t.length);
  const order = Array.from({ length: train.length }, (_, r) => r).filter((r) => lengths[r] > 0);
  const time = (r: number) => train[r].timestamp ?? -Infinity;
  order.sort((a, b) => time(b) - time(a) || b - a);
  const users: number[][] = Array.from({ length: numUsers }, () => []);
  const items: number[][] = Array.from({ length: numItems }, () => []);
  for (const r of order) {
    users[train[r].user].push(r);
    items[train[r].item].push(r);
  }
  return {
    users: users.map((l) => Int32Array.from(l)),
    items: items.map((l) => Int32Array.from(l)),
    lengths,
  };
}

/**
 * The document of an entity whose reviews are `reviews`: their words in
 * order, skipping row `exclude` (-1 for none), cut after `maxWords` words.
 */
export function documentParts(
  reviews: Int32Array,
  lengths: Int32Array,
  exclude: number,
  maxWords: number,
): DocumentParts {
  const rows: number[] = [];
  const words: number[] = [];
  let left = maxWords;
  for (let k = 0; k < reviews.length && left > 0; k++) {
    const r = reviews[k];
    if (r === exclude) continue;
    const n = Math.min(lengths[r], left);
    rows.push(r);
    words.push(n);
    left -= n;
  }
  return { rows: Int32Array.from(rows), words: Int32Array.from(words) };
}

/** The first `maxReviews` of `reviews`, skipping row `exclude` (-1 for none). */
export function reviewList(reviews: Int32Array, exclude: number, maxReviews: number): Int32Array {
  const out: number[] = [];
  for (let k = 0; k < reviews.length && out.length < maxReviews; k++) {
    if (reviews[k] !== exclude) out.push(reviews[k]);
  }
  return Int32Array.from(out);
}
