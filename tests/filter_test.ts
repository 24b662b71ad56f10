import { dedupe } from "../lib/data/dedupe.ts";
import { EmptyFilterError, filterInteractions } from "../lib/data/filter.ts";
import { readAmazon2018 } from "../lib/data/read_amazon2018.ts";
import type { Interaction } from "../lib/data/types.ts";
import { Rng } from "../lib/random.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "./support/assert.ts";
import { hasShared, sharedPath } from "./support/shared.ts";

async function load(path: string): Promise<Interaction[]> {
  const out: Interaction[] = [];
  for await (const x of readAmazon2018(path)) out.push(x);
  return out;
}

/** Rated interactions per user and per item. */
function ratedCounts(
  xs: readonly Interaction[],
): { users: Map<string, number>; items: Map<string, number> } {
  const users = new Map<string, number>();
  const items = new Map<string, number>();
  for (const x of xs) {
    if (x.rating === undefined) continue;
    users.set(x.user, (users.get(x.user) ?? 0) + 1);
    items.set(x.item, (items.get(x.item) ?? 0) + 1);
  }
  return { users, items };
}

function meetsThresholds(xs: readonly Interaction[], minUser: number, minItem: number): boolean {
  const { users, items } = ratedCounts(xs);
  return xs.every((x) =>
    (users.get(x.user) ?? 0) >= minUser && (items.get(x.item) ?? 0) >= minItem
  );
}

function randomInteractions(seed: number, n: number): Interaction[] {
  const rng = new Rng(seed);
  const out: Interaction[] = [];
  for (let k = 0; k < n; k++) {
    // Skewed activity, so thresholds bite unevenly.
    const user = `u${Math.floor(40 * rng.next() ** 2)}`;
    const item = `i${Math.floor(60 * rng.next() ** 3)}`;
    const x: Interaction = { user, item };
    if (rng.next() < 0.9) x.rating = 1 + rng.int(5);
    out.push(x);
  }
  return out;
}

// u1 has 3 ratings, u2 has 2 (one on an item only u2 rated), u3 has 1.
const SMALL: Interaction[] = [
  { user: "u1", item: "a", rating: 5 },
  { user: "u1", item: "b", rating: 4 },
  { user: "u1", item: "c", rating: 3 },
  { user: "u1", item: "d", review: "no rating" },
  { user: "u2", item: "a", rating: 2 },
  { user: "u2", item: "z", rating: 2 },
  { user: "u3", item: "a", rating: 1 },
  { user: "u4", item: "a", review: "reviews only" },
];

Deno.test("filterInteractions: one pass drops users, then items; counts only rated interactions", () => {
  const { interactions, report } = filterInteractions(SMALL, {
    minUserRatings: 2,
    minItemRatings: 2,
  });
  // Users: u3 (1 rating) and u4 (0) go. Items then: only a has 2+ ratings.
  assertEquals(interactions, [SMALL[0], SMALL[4]]);
  assertEquals(report.passes, 1);
  assertEquals(report.before, { interactions: 8, users: 4, items: 5 });
  assertEquals(report.after, { interactions: 2, users: 2, items: 1 });
  assertEquals([report.droppedUsers, report.droppedItems, report.droppedInteractions], [2, 4, 6]);
  // After one pass u1 and u2 have only 1 rating each: below the user threshold.
  assert(!meetsThresholds(interactions, 2, 2));
});

Deno.test("filterInteractions: unrated interactions of kept users and items stay", () => {
  const { interactions } = filterInteractions(SMALL, { minUserRatings: 3, minItemRatings: 0 });
  assertEquals(interactions, SMALL.slice(0, 4));
});

Deno.test("filterInteractions: kCore repeats until every kept user and item meets its threshold", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const data = randomInteractions(seed, 1500);
    const { interactions, report } = filterInteractions(data, {
      minUserRatings: 8,
      minItemRatings: 6,
      kCore: true,
    });
    assert(interactions.length > 0, `seed ${seed}: something is left`);
    assert(meetsThresholds(interactions, 8, 6), `seed ${seed}: thresholds hold`);
    assert(report.passes >= 2, "at least one changing pass and one confirming pass");
    // A fixpoint: filtering again changes nothing.
    const again = filterInteractions(interactions, {
      minUserRatings: 8,
      minItemRatings: 6,
      kCore: true,
    });
    assertEquals(again.interactions, interactions);
    assertEquals(again.report.passes, 1);
    // Kept interactions are a subsequence of the input, in input order.
    let at = 0;
    for (const x of interactions) {
      while (at < data.length && data[at] !== x) at++;
      assert(at < data.length, "kept interaction found after the previous one");
      at++;
    }
  }
});

Deno.test("filterInteractions: one pass is weaker than k-core on the same data", () => {
  const data = randomInteractions(9, 1500);
  const once = filterInteractions(data, { minUserRatings: 8, minItemRatings: 6 });
  const core = filterInteractions(data, { minUserRatings: 8, minItemRatings: 6, kCore: true });
  assert(core.interactions.length <= once.interactions.length);
  // The one-pass result still satisfies the item threshold (items are filtered last).
  const { items } = ratedCounts(once.interactions);
  assert(once.interactions.every((x) => items.get(x.item)! >= 6));
});

Deno.test("filterInteractions: leaving nothing is a clear error suggesting relaxed thresholds", () => {
  const error = assertThrows(() => filterInteractions(SMALL), EmptyFilterError) as EmptyFilterError;
  assertStringIncludes(error.message, "no user has 20 or more rated interactions");
  assertStringIncludes(error.message, "the most any user has is 3");
  assertStringIncludes(error.message, "relax the thresholds");
  assertEquals(error.report.before.interactions, 8);
  const items = assertThrows(
    () => filterInteractions(SMALL, { minUserRatings: 1, minItemRatings: 9 }),
    EmptyFilterError,
  );
  assertStringIncludes(items.message, "no item has 9 or more");
  assertThrows(() => filterInteractions([]), EmptyFilterError, "no interactions");
  assertThrows(() => filterInteractions(SMALL, { minUserRatings: -1 }), RangeError);
  assertThrows(() => filterInteractions(SMALL, { minItemRatings: 2.5 }), RangeError);
});

// SOURCES.md: "users >=20" = 0 (max 12/user, 16/user) and "items >=5" = 53 / 19. Both count raw
// rows of the file as published (before dedupe), one threshold at a time.
for (
  const [file, maxPerUser, itemsAtLeast5] of [
    ["amazon2018_All_Beauty_5.jsonl.gz", 12, 53],
    ["amazon2018_AMAZON_FASHION_5.jsonl.gz", 16, 19],
  ] as const
) {
  const name = `filterInteractions: ${file}: users >= 20 is 0, items >= 5 is ${itemsAtLeast5}`;
  Deno.test({
    name,
    ignore: !hasShared(name, "data", file),
    fn: async () => {
      const raw = await load(sharedPath("data", file));
      const error = await assertRejects(
        () => Promise.resolve().then(() => filterInteractions(raw)),
        EmptyFilterError,
      );
      assertStringIncludes(error.message, `the most any user has is ${maxPerUser}`);
      const items = filterInteractions(raw, { minUserRatings: 0, minItemRatings: 5 });
      assertEquals(items.report.after.items, itemsAtLeast5);
      assertEquals(items.report.after.users <= items.report.before.users, true);
      // The relaxed k-core the project reports with (users >= 3, items >= 3, after dedupe).
      const deduped = dedupe(raw).interactions;
      const relaxed = filterInteractions(deduped, {
        minUserRatings: 3,
        minItemRatings: 3,
        kCore: true,
      });
      assert(relaxed.interactions.length > 0);
      assert(meetsThresholds(relaxed.interactions, 3, 3));
    },
  });
}
