import { batchDocuments } from "../lib/baselines/pesi/pesi_documents.ts";
import { entityReviews } from "../lib/baselines/review_cnn/review_documents.ts";
import type { IndexedInteraction } from "../lib/data/types.ts";
import { assertEquals } from "./support/assert.ts";

// Rows: 0 (u0,i0,t=10), 1 (u0,i1,t=30), 2 (u1,i0,t=20), 3 (u0,i0 no review), 4 (u1,i1, no time).
const train: IndexedInteraction[] = [
  { user: 0, item: 0, rating: 5, timestamp: 10 },
  { user: 0, item: 1, rating: 4, timestamp: 30 },
  { user: 1, item: 0, rating: 3, timestamp: 20 },
  { user: 0, item: 0, rating: 2, timestamp: 40 },
  { user: 1, item: 1, rating: 1 },
];
const tokens = [
  Int32Array.of(1, 2),
  Int32Array.of(3),
  Int32Array.of(4, 5, 6),
  new Int32Array(0),
  Int32Array.of(7),
];

Deno.test("batchDocuments: each distinct review once, averaging rows without the pair's own review", () => {
  // Each entity's non-empty reviews, most recent first (undated ones last).
  const lists = entityReviews(train, tokens, 2, 2);
  assertEquals(lists.users.map((l) => Array.from(l)), [[1, 0], [2, 4]]);
  assertEquals(lists.items.map((l) => Array.from(l)), [[2, 0], [1, 4]]);
  // Pairs: (u0, i0) targeting row 0; (u1, i1) targeting row 4; (u0, i1) with nothing excluded.
  const docs = batchDocuments(
    lists,
    Int32Array.of(0, 1, 0),
    Int32Array.of(0, 1, 1),
    Int32Array.of(0, 4, -1),
    5,
  );
  // First-use order: user docs [1], [2], [1, 0]; then item docs [2], [1], [1, 4].
  assertEquals(Array.from(docs.reviews), [1, 2, 0, 4]);
  const R = 4;
  const row = (m: Float32Array, b: number) => Array.from(m.subarray(b * R, (b + 1) * R));
  assertEquals(row(docs.user, 0), [1, 0, 0, 0]);
  assertEquals(row(docs.user, 1), [0, 1, 0, 0]);
  assertEquals(row(docs.user, 2), [0.5, 0, 0.5, 0]);
  assertEquals(row(docs.item, 0), [0, 1, 0, 0]);
  assertEquals(row(docs.item, 1), [1, 0, 0, 0]);
  assertEquals(row(docs.item, 2), [0.5, 0, 0, 0.5]);
  // A pair whose only review is its own gets an empty (all-zero) document.
  const lone = batchDocuments(
    { users: [Int32Array.of(0)], items: [Int32Array.of(0)] },
    Int32Array.of(0),
    Int32Array.of(0),
    Int32Array.of(0),
    5,
  );
  assertEquals(lone.reviews.length, 0);
  assertEquals(lone.user.length, 0);
});
