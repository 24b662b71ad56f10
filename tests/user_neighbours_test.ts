import { sparseRatingRows } from "../lib/baselines/common/sparse_rows.ts";
import { userNeighbours } from "../lib/baselines/emf/user_neighbours.ts";
import { assertEquals } from "./support/assert.ts";

/** Users 0..3 over items 0..3; user 3 shares no item with user 0. */
const ratings: [number, number, number][] = [
  [0, 0, 5],
  [0, 1, 3],
  [1, 0, 5],
  [1, 1, 3], // same vector as user 0: similarity 1
  [2, 0, 1],
  [2, 2, 5], // overlaps user 0 on item 0 only
  [3, 3, 4], // no overlap with anyone
];
const pairs = {
  users: Int32Array.from(ratings, (r) => r[0]),
  items: Int32Array.from(ratings, (r) => r[1]),
  ratings: Float64Array.from(ratings, (r) => r[2]),
};

Deno.test("userNeighbours ranks by cosine similarity, skips self and users with nothing in common", () => {
  const byUser = sparseRatingRows(pairs, 4, 4, "user");
  const byItem = sparseRatingRows(pairs, 4, 4, "item");
  const nb = userNeighbours(byUser, byItem, 5);
  assertEquals(Array.from(nb[0]), [1, 2]);
  assertEquals(Array.from(nb[1]), [0, 2]);
  assertEquals(Array.from(nb[2]), [0, 1]); // equal similarity: lower index first
  assertEquals(Array.from(nb[3]), []);
  assertEquals(Array.from(userNeighbours(byUser, byItem, 1)[0]), [1]);
});

Deno.test("userNeighbours matches a brute-force cosine computation", () => {
  const n = 30;
  const users: number[] = [];
  const items: number[] = [];
  const values: number[] = [];
  for (let u = 0; u < n; u++) {
    for (let i = 0; i < 12; i++) {
      if ((u * 7 + i * 3) % 5 < 2) {
        users.push(u);
        items.push(i);
        values.push(1 + ((u + i) % 5));
      }
    }
  }
  const p = {
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    ratings: Float64Array.from(values),
  };
  const dense = Array.from({ length: n }, () => new Float64Array(12));
  users.forEach((u, j) => dense[u][items[j]] = values[j]);
  const cos = (a: Float64Array, b: Float64Array) => {
    let d = 0, na = 0, nb = 0;
    for (let k = 0; k < a.length; k++) {
      d += a[k] * b[k];
      na += a[k] * a[k];
      nb += b[k] * b[k];
    }
    return d / Math.sqrt(na * nb);
  };
  const got = userNeighbours(
    sparseRatingRows(p, n, 12, "user"),
    sparseRatingRows(p, n, 12, "item"),
    4,
  );
  for (let u = 0; u < n; u++) {
    const expected = Array.from({ length: n }, (_, v) => v)
      .filter((v) => v !== u && cos(dense[u], dense[v]) > 0)
      .sort((a, b) => cos(dense[u], dense[b]) - cos(dense[u], dense[a]) || a - b)
      .slice(0, 4);
    const sims = (vs: number[]) => vs.map((v) => cos(dense[u], dense[v]).toFixed(12));
    assertEquals(sims(Array.from(got[u])), sims(expected));
  }
});
