import { dedupe } from "../lib/data/dedupe.ts";
import { readAmazon2018 } from "../lib/data/read_amazon2018.ts";
import type { Interaction } from "../lib/data/types.ts";
import { assert, assertEquals, assertThrows } from "./support/assert.ts";
import { hasShared, repoPath, sharedPath } from "./support/shared.ts";

async function load(path: string): Promise<Interaction[]> {
  const out: Interaction[] = [];
  for await (const x of readAmazon2018(path)) out.push(x);
  return out;
}

const DATA: Interaction[] = [
  { user: "u1", item: "a", rating: 5, review: "same", timestamp: 10 }, // 0 kept as first
  { user: "u1", item: "a", rating: 4, review: "same", timestamp: 10 }, // 1 exact duplicate of 0
  { user: "u1", item: "a", rating: 3, review: "later", timestamp: 20 }, // 2 latest of pair u1/a
  { user: "u1", item: "a", rating: 2, review: "earliest", timestamp: 5 }, // 3 earliest of pair u1/a
  { user: "u2", item: "a", rating: 1, timestamp: 7 }, // 4 unique pair
  { user: "u2", item: "b", rating: 1 }, // 5 no time, exact duplicate below
  { user: "u2", item: "b", rating: 1 }, // 6 exact duplicate of 5
  { user: "u2", item: "b", rating: 2, review: "has text" }, // 7 same pair, no time, tie
  { user: "u3", item: "c", rating: 4, timestamp: 3 }, // 8 tie in time with 9
  { user: "u3", item: "c", rating: 5, review: "x", timestamp: 3 }, // 9
  { user: "u3", item: "d", rating: 4 }, // 10 missing time loses to 11 in both policies
  { user: "u3", item: "d", rating: 2, timestamp: 1 }, // 11
  { user: "u3", item: "d", rating: 1, review: "u3d dup", timestamp: 1 }, // 12 differs in text
];

Deno.test("dedupe: exact duplicates go first (first kept); repeats resolved by latest", () => {
  const before = structuredClone(DATA);
  const { interactions, report } = dedupe(DATA);
  assertEquals(DATA, before, "input untouched");
  assertEquals(interactions, [DATA[2], DATA[4], DATA[7], DATA[9], DATA[12]]);
  assertEquals(report, {
    policy: "latest",
    input: 13,
    exactDuplicates: 2,
    pairs: 5,
    repeatedPairs: 4,
    repeatsDropped: 6,
    sameTextDropped: 0,
    output: 5,
  });
});

Deno.test("dedupe: earliest keeps the earliest time, ties to the first in the input", () => {
  const { interactions, report } = dedupe(DATA, { repeats: "earliest" });
  assertEquals(interactions, [DATA[3], DATA[4], DATA[5], DATA[8], DATA[11]]);
  assertEquals(report.output, 5);
  assertEquals(report.policy, "earliest");
});

Deno.test("dedupe: keep-all only removes exact duplicates", () => {
  const { interactions, report } = dedupe(DATA, { repeats: "keep-all" });
  assertEquals(interactions, DATA.filter((_, k) => k !== 1 && k !== 6));
  assertEquals([report.exactDuplicates, report.repeatsDropped, report.output], [2, 0, 11]);
});

Deno.test("dedupe: ids are compared exactly (no key collisions) and bad policies are refused", () => {
  const tricky: Interaction[] = [
    { user: "ab", item: "c", timestamp: 1 },
    { user: "a", item: "bc", timestamp: 1 },
  ];
  assertEquals(dedupe(tricky).report.pairs, 2);
  // deno-lint-ignore no-explicit-any
  assertThrows(() => dedupe(DATA, { repeats: "first" as any }), RangeError);
});

Deno.test("dedupe: the 2018 fixture has one exact duplicate and one repeated pair", async () => {
  const { interactions, report } = dedupe(
    await load(repoPath("fixtures/readers/amazon2018.jsonl")),
  );
  assertEquals([report.exactDuplicates, report.repeatedPairs, report.output], [1, 1, 4]);
  assertEquals(interactions.find((x) => x.user === "R2")?.rating, 4, "R2 changed their mind later");
});

for (
  const [file, dups, pairs, afterExact] of [
    ["amazon2018_All_Beauty_5.jsonl.gz", 1053, 4092, 4216],
    ["amazon2018_AMAZON_FASHION_5.jsonl.gz", 89, 3042, 3087],
  ] as const
) {
  const name = `dedupe: ${file}: ${dups} exact duplicates, ${pairs} pairs (SOURCES.md)`;
  Deno.test({
    name,
    ignore: !hasShared(name, "data", file),
    fn: async () => {
      const raw = await load(sharedPath("data", file));
      const latest = dedupe(raw);
      assertEquals(latest.report.exactDuplicates, dups);
      assertEquals(latest.report.pairs, pairs);
      assertEquals(latest.report.output, pairs);
      assertEquals(latest.interactions.length, pairs);
      const keys = new Set(latest.interactions.map((x) => JSON.stringify([x.user, x.item])));
      assertEquals(keys.size, pairs, "each pair once");
      const all = dedupe(raw, { repeats: "keep-all" });
      assertEquals(all.report.output, afterExact);
      assertEquals(all.report.output, raw.length - dups);
      assert(latest.report.repeatedPairs > 0);
      assertEquals(latest.report.repeatsDropped, afterExact - pairs);
    },
  });
}

Deno.test("sameTextAcrossItems keeps a user's copied review once, the earliest", () => {
  const { interactions, report } = dedupe([
    { user: "u", item: "red", rating: 5, review: "Lovely soap", timestamp: 3 },
    { user: "u", item: "blue", rating: 5, review: "Lovely soap", timestamp: 1 },
    { user: "v", item: "red", rating: 4, review: "Lovely soap", timestamp: 2 },
    { user: "u", item: "green", rating: 2, review: "", timestamp: 4 },
    { user: "u", item: "pink", rating: 2, timestamp: 5 },
    { user: "u", item: "pink2", rating: 3, timestamp: 6 },
  ], { sameTextAcrossItems: true });
  assertEquals(interactions.map((x) => `${x.user}/${x.item}`), [
    "u/blue",
    "v/red",
    "u/green",
    "u/pink",
    "u/pink2",
  ]);
  assertEquals(report.sameTextDropped, 1);
  assertEquals(report.output, 5);
  assertEquals(dedupe(interactions.slice(0, 1)).report.sameTextDropped, 0);
});
