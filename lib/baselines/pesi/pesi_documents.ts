/**
 * The review documents PESI reads: which training reviews make up a user's
 * or an item's document, and how a mini-batch's documents are laid out so
 * that every distinct review is encoded once.
 *
 * - An entity's reviews are the training interactions of that user (item)
 *   whose review kept at least one word, **most recent first**
 *   (`entityReviews` in `../review_cnn/review_documents.ts`, which NARRE's
 *   review lists use too). Only `split.train` rows are indexed, so no
 *   validation or test text can appear.
 * - A document is the first `maxReviews` of them, skipping an `exclude`
 *   row (`reviewList`): during training, the review of the interaction being
 *   predicted is left out of both the user's and the item's document, and
 *   the document refills from the next review, exactly as if it had never
 *   been written. At prediction time nothing is excluded.
 * - A document's vector is the mean of its reviews' vectors (zero when it is
 *   empty). For a batch, the distinct reviews of all its documents are
 *   listed once, and each side gets a `B × R` averaging matrix, so the
 *   documents are one matrix product over the encoded reviews.
 *
 * @module
 */
import { type EntityReviews, reviewList } from "../review_cnn/review_documents.ts";

/** The part of {@linkcode EntityReviews} PESI reads: each user's and item's reviews, most recent first. */
export type EntityReviewLists = Pick<EntityReviews, "users" | "items">;

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
      const rows = reviewList(side[e], exclude[b], maxReviews);
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
