/**
 * The review documents PESI reads: which training reviews make up a user's
 * or an item's document, and how a mini-batch's documents are laid out so
 * that every distinct review is encoded once.
 *
 * - An entity's reviews are the training interactions of that user (item)
 *   whose review kept at least one word, **most recent first** (by
 *   timestamp; interactions without one count as oldest; ties go to the
 *   later training row). Only `split.train` rows are indexed, so no
 *   validation or test text can appear.
 * - A document is the first `maxReviews` of them, skipping an `exclude`
 *   row: during training, the review of the interaction being predicted is
 *   left out of both the user's and the item's document, and the document
 *   refills from the next review, exactly as if it had never been written.
 *   At prediction time nothing is excluded.
 * - A document's vector is the mean of its reviews' vectors (zero when it is
 *   empty). For a batch, the distinct reviews of all its documents are
 *   listed once, and each side gets a `B × R` averaging matrix, so the
 *   documents are one matrix product over the encoded reviews.
 *
 * @module
 */
import type { IndexedInteraction } from "../../data/types.ts";

/** Per user and per item, its non-empty training reviews (rows of `split.train`), most recent first. */
export interface EntityReviewLists {
  /** `users[u]`: rows of user `u`'s reviews. */
  users: Int32Array[];
  /** `items[i]`: rows of item `i`'s reviews. */
  items: Int32Array[];
}

/** Groups the training rows with a non-empty review by user and by item, most recent first. */
export function entityReviewLists(
  train: readonly IndexedInteraction[],
  tokens: readonly Int32Array[],
  numUsers: number,
  numItems: number,
): EntityReviewLists {
  if (tokens.length !== train.length) {
    throw new RangeError(
      `entityReviewLists: ${tokens.length} token lists for ${train.length} training ` +
        "interactions (features must be extracted from split.train reviews, one row each)",
    );
  }
  const order = Array.from({ length: train.length }, (_, r) => r)
    .filter((r) => tokens[r].length > 0);
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
  };
}

/** The first `maxReviews` rows of `list`, skipping row `exclude` (-1 for none). */
export function documentRows(list: Int32Array, exclude: number, maxReviews: number): Int32Array {
  const out: number[] = [];
  for (let k = 0; k < list.length && out.length < maxReviews; k++) {
    if (list[k] !== exclude) out.push(list[k]);
  }
  return Int32Array.from(out);
}

/** A batch's documents: distinct reviews and one averaging matrix per side. */
export interface BatchDocuments {
  /** The distinct training rows the batch's documents use, in first-use order. */
  reviews: Int32Array;
  /** `B × R` row-major: entry `(b, r)` is `1 / |doc|` when review `r` is in pair `b`'s user document. */
  user: Float32Array;
  /** The same for the item documents. */
  item: Float32Array;
}

/**
 * The documents of pairs `(users[b], items[b])`, each leaving out training
 * row `exclude[b]` (the pair's own review; -1 for none).
 */
export function batchDocuments(
  lists: EntityReviewLists,
  users: Int32Array,
  items: Int32Array,
  exclude: Int32Array,
  maxReviews: number,
): BatchDocuments {
  const B = users.length;
  const column = new Map<number, number>();
  const reviews: number[] = [];
  const docs = (side: Int32Array[], ids: Int32Array) =>
    Array.from(ids, (e, b) => {
      const rows = documentRows(side[e], exclude[b], maxReviews);
      for (const r of rows) {
        if (!column.has(r)) {
          column.set(r, reviews.length);
          reviews.push(r);
        }
      }
      return rows;
    });
  const userDocs = docs(lists.users, users);
  const itemDocs = docs(lists.items, items);
  const R = reviews.length;
  const matrix = (ds: Int32Array[]) => {
    const m = new Float32Array(B * R);
    ds.forEach((rows, b) => {
      for (const r of rows) m[b * R + (column.get(r) as number)] = 1 / rows.length;
    });
    return m;
  };
  return { reviews: Int32Array.from(reviews), user: matrix(userDocs), item: matrix(itemDocs) };
}
