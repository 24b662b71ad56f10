import {
  documentParts,
  entityReviews,
  reviewList,
} from "../lib/baselines/review_cnn/review_documents.ts";
import type { IndexedInteraction } from "../lib/data/types.ts";
import { assertEquals, assertThrows } from "./support/assert.ts";

// User 0 wrote rows 0, 1, 3, 4; row 2 is user 1's; row 4 has no kept word.
const train: IndexedInteraction[] = [
  { user: 0, item: 0, rating: 4, timestamp: 100 },
  { user: 0, item: 1, rating: 5, timestamp: 300 },
  { user: 1, item: 0, rating: 3, timestamp: 200 },
  { user: 0, item: 2, rating: 2 }, // no timestamp: oldest
  { user: 0, item: 3, rating: 1, timestamp: 400 },
];
const tokens = [
  Int32Array.of(1, 2, 3),
  Int32Array.of(4, 5),
  Int32Array.of(6),
  Int32Array.of(7, 8, 9, 10),
  new Int32Array(0),
];

Deno.test("entityReviews lists each entity's non-empty training reviews, most recent first", () => {
  const r = entityReviews(train, tokens, 2, 4);
  assertEquals(r.users.map((l) => Array.from(l)), [[1, 0, 3], [2]]);
  assertEquals(r.items.map((l) => Array.from(l)), [[2, 0], [1], [3], []]);
  assertEquals(Array.from(r.lengths), [3, 2, 1, 4, 0]);
  assertThrows(() => entityReviews(train, tokens.slice(1), 2, 4), RangeError, "split.train");
});

Deno.test("documentParts cuts the concatenation after maxWords words, the last review possibly partly", () => {
  const { users, lengths } = entityReviews(train, tokens, 2, 4);
  // Reviews of user 0 in order: row 1 (2 words), row 0 (3), row 3 (4).
  const all = documentParts(users[0], lengths, -1, 100);
  assertEquals([Array.from(all.rows), Array.from(all.words)], [[1, 0, 3], [2, 3, 4]]);
  const cut = documentParts(users[0], lengths, -1, 6);
  assertEquals([Array.from(cut.rows), Array.from(cut.words)], [[1, 0, 3], [2, 3, 1]]);
  const first = documentParts(users[0], lengths, -1, 1);
  assertEquals([Array.from(first.rows), Array.from(first.words)], [[1], [1]]);
});

Deno.test("documentParts leaves the target review out and refills from the next reviews", () => {
  const { users, lengths } = entityReviews(train, tokens, 2, 4);
  // Training on row 1 (user 0's most recent review): it must not be in the user's document.
  const doc = documentParts(users[0], lengths, 1, 6);
  assertEquals([Array.from(doc.rows), Array.from(doc.words)], [[0, 3], [3, 3]]);
  assertEquals(Array.from(doc.rows).includes(1), false);
  // An entity whose only review is the target has an empty document.
  const { items } = entityReviews(train, tokens, 2, 4);
  assertEquals(documentParts(items[1], lengths, 1, 100).rows.length, 0);
});

Deno.test("reviewList keeps the first maxReviews reviews, skipping the target", () => {
  const { users } = entityReviews(train, tokens, 2, 4);
  assertEquals(Array.from(reviewList(users[0], -1, 2)), [1, 0]);
  assertEquals(Array.from(reviewList(users[0], 1, 2)), [0, 3]);
  assertEquals(Array.from(reviewList(users[0], 0, 5)), [1, 3]);
  const list = Int32Array.of(9, 7, 5, 3);
  assertEquals(Array.from(reviewList(list, -1, 2)), [9, 7]);
  assertEquals(Array.from(reviewList(list, 9, 2)), [7, 5]);
  assertEquals(Array.from(reviewList(list, 5, 3)), [9, 7, 3]);
  assertEquals(Array.from(reviewList(list, 1, 10)), [9, 7, 5, 3]);
});
