import { sparseRatingRows } from "../lib/baselines/common/sparse_rows.ts";
import {
  explainabilityOfPairs,
  explainabilityScore,
  neighboursWhoRated,
} from "../lib/baselines/emf/explainability.ts";
import { assertEquals } from "./support/assert.ts";

const ratings: [number, number, number][] = [
  [0, 0, 5],
  [0, 1, 4],
  [1, 0, 3],
  [1, 2, 2],
  [2, 0, 1],
  [2, 1, 5],
];
const pairs = {
  users: Int32Array.from(ratings, (r) => r[0]),
  items: Int32Array.from(ratings, (r) => r[1]),
  ratings: Float64Array.from(ratings, (r) => r[2]),
};
const byUser = sparseRatingRows(pairs, 3, 3, "user");
const neighbours = [Int32Array.of(1, 2), Int32Array.of(0, 2), Int32Array.of(0, 1)];

Deno.test("explainabilityScore is the neighbour share, kept only above the threshold", () => {
  assertEquals(explainabilityScore(3, 4, 0), 0.75);
  assertEquals(explainabilityScore(0, 4, 0), 0);
  assertEquals(explainabilityScore(1, 4, 0.25), 0);
  assertEquals(explainabilityScore(2, 4, 0.25), 0.5);
});

Deno.test("neighboursWhoRated lists the neighbours with a training rating of the item", () => {
  assertEquals(neighboursWhoRated(neighbours[0], byUser, 0), [
    { user: 1, rating: 3 },
    { user: 2, rating: 1 },
  ]);
  assertEquals(neighboursWhoRated(neighbours[0], byUser, 2), [{ user: 1, rating: 2 }]);
  assertEquals(neighboursWhoRated(neighbours[1], byUser, 2), []);
});

Deno.test("explainabilityOfPairs gives E_ui for each pair, with k as the denominator", () => {
  // (0,0): both neighbours rated 0; (0,1): user 2 did; (1,0): 0 and 2; (1,2): none;
  // (2,0): 0 and 1; (2,1): user 0.
  assertEquals(
    Array.from(explainabilityOfPairs(pairs, neighbours, byUser, 2, 0)),
    [1, 0.5, 1, 0, 1, 0.5],
  );
  assertEquals(
    Array.from(explainabilityOfPairs(pairs, neighbours, byUser, 4, 0.25)),
    [0.5, 0, 0.5, 0, 0.5, 0],
  );
});
