/**
 * The distinct review pieces ("units") a set of documents is made of, so a
 * review shared by several documents of a batch is encoded once.
 *
 * @module
 */
import type { ReviewUnits } from "./pooled_review_cnn.ts";
import type { DocumentParts } from "./review_documents.ts";

/** Distinct units and, per document, the indices of its units. */
export interface DocumentUnits {
  /** Each distinct (review row, kept words) once. */
  units: ReviewUnits;
  /** `members[j]`: indices into `units` of document `j`'s parts, in document order. */
  members: Int32Array[];
}

/** Deduplicates the (row, words) parts of `docs`. */
export function documentUnits(docs: readonly DocumentParts[]): DocumentUnits {
  const index = new Map<number, number>();
  const rows: number[] = [];
  const words: number[] = [];
  const members = docs.map((doc) => {
    const m = new Int32Array(doc.rows.length);
    for (let k = 0; k < doc.rows.length; k++) {
      // Words per review are far below 2^20, so the key is unique and exact.
      const key = doc.rows[k] * 1048576 + doc.words[k];
      let u = index.get(key);
      if (u === undefined) {
        u = rows.length;
        index.set(key, u);
        rows.push(doc.rows[k]);
        words.push(doc.words[k]);
      }
      m[k] = u;
    }
    return m;
  });
  return { units: { rows: Int32Array.from(rows), words: Int32Array.from(words) }, members };
}
