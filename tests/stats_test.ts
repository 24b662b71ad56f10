import { readAmazon2018 } from "../lib/data/read_amazon2018.ts";
import { splitDataset } from "../lib/data/split.ts";
import { computeStats, formatStatsMarkdown, splitStats } from "../lib/data/stats.ts";
import type { Interaction } from "../lib/data/types.ts";
import { assertAlmostEquals, assertEquals, assertStringIncludes } from "./support/assert.ts";
import { hasShared, sharedPath } from "./support/shared.ts";

const DAY = 86_400_000;
const SMALL: Interaction[] = [
  { user: "a", item: "x", rating: 5, review: "great value for money", timestamp: 0 },
  { user: "a", item: "y", rating: 4, review: "fine", timestamp: 10 * DAY },
  { user: "a", item: "y", rating: 2 },
  { user: "b", item: "x", review: "  two   words " },
  { user: "c", item: "z", rating: 4.5, timestamp: 3 * DAY },
];

Deno.test("computeStats: counts, histogram, review lengths, per-user/item summaries, dates", () => {
  const s = computeStats(SMALL);
  assertEquals([s.interactions, s.users, s.items, s.pairs], [5, 3, 3, 4]);
  assertAlmostEquals(s.sparsityPercent!, 100 * (1 - 4 / 9), 1e-9);
  assertEquals([s.withRating, s.withReview, s.withTimestamp], [4, 3, 3]);
  assertEquals(s.ratingHistogram, [
    { rating: 2, count: 1 },
    { rating: 4, count: 1 },
    { rating: 4.5, count: 1 },
    { rating: 5, count: 1 },
  ]);
  assertEquals(s.ratingMean, 15.5 / 4);
  assertEquals(s.reviewWords, { min: 1, median: 2, mean: 7 / 3, max: 4 });
  assertEquals(s.perUser, { min: 1, median: 1, mean: 5 / 3, max: 3 });
  assertEquals(s.perItem, { min: 1, median: 2, mean: 5 / 3, max: 2 });
  assertEquals(s.firstDate, "1970-01-01T00:00:00.000Z");
  assertEquals(s.lastDate, "1970-01-11T00:00:00.000Z");
});

Deno.test("computeStats: empty input gives zeros and nulls", () => {
  const s = computeStats([]);
  assertEquals([s.interactions, s.users, s.items, s.pairs], [0, 0, 0, 0]);
  assertEquals([s.sparsityPercent, s.ratingMean, s.reviewWords, s.perUser, s.firstDate], [
    null,
    null,
    null,
    null,
    null,
  ]);
  assertEquals(computeStats([{ user: "u", item: "i" }, { user: "v", item: "i" }]).perItem, {
    min: 2,
    median: 2,
    mean: 2,
    max: 2,
  });
});

Deno.test("splitStats: per part and in total; the total matches the unsplit data", () => {
  const data: Interaction[] = [];
  for (let u = 0; u < 20; u++) {
    for (let i = 0; i < 10; i++) {
      data.push({ user: `u${u}`, item: `i${(u + i) % 12}`, rating: 1 + (i % 5) });
    }
  }
  const split = splitDataset(data, { seed: 1 });
  const s = splitStats(split);
  assertEquals(s.train.interactions, split.train.length);
  assertEquals(s.validation.interactions, split.validation.length);
  assertEquals(s.test.interactions, split.test.length);
  const whole = computeStats(data);
  assertEquals(s.all.interactions, whole.interactions);
  assertEquals(s.all.ratingHistogram, whole.ratingHistogram);
  assertEquals(s.all.perUser, whole.perUser);
  assertEquals(s.train.users, 20);
});

Deno.test("formatStatsMarkdown: one column per named set, or a single value column", () => {
  const one = formatStatsMarkdown(computeStats(SMALL));
  const lines = one.trimEnd().split("\n");
  assertEquals(lines[0], "| statistic | value |");
  assertEquals(lines[1], "| --- | --- |");
  assertEquals(lines.length, 14);
  assertStringIncludes(one, "| interactions | 5 |");
  assertStringIncludes(one, "| ratings (value: count) | 2: 1, 4: 1, 4.5: 1, 5: 1 |");
  assertStringIncludes(one, "| sparsity | 55.56% |");
  assertStringIncludes(one, "| dates | 1970-01-01 .. 1970-01-11 |");
  const two = formatStatsMarkdown({ "a|b": computeStats(SMALL), empty: computeStats([]) });
  assertStringIncludes(two, "| statistic | a\\|b | empty |");
  assertStringIncludes(two, "| mean rating | 3.875 | – |");
  for (const line of two.trimEnd().split("\n")) {
    assertEquals(line.replaceAll("\\|", "").split("|").length, 5, line);
  }
});

const name = "computeStats: All_Beauty matches SOURCES.md";
Deno.test({
  name,
  ignore: !hasShared(name, "data", "amazon2018_All_Beauty_5.jsonl.gz"),
  fn: async () => {
    const raw: Interaction[] = [];
    for await (const x of readAmazon2018(sharedPath("data", "amazon2018_All_Beauty_5.jsonl.gz"))) {
      raw.push(x);
    }
    const s = computeStats(raw);
    assertEquals([s.interactions, s.users, s.items, s.pairs], [5269, 991, 85, 4092]);
    assertEquals(s.ratingHistogram.map((h) => [h.rating, h.count]), [
      [1, 115],
      [2, 64],
      [3, 109],
      [4, 332],
      [5, 4649],
    ]);
    assertEquals([s.withRating, s.withReview], [5269, 5264]);
    assertEquals(s.perUser?.max, 12);
    assertEquals(s.firstDate?.slice(0, 7), "2004-09");
    assertEquals(s.lastDate?.slice(0, 7), "2018-08");
    assertStringIncludes(formatStatsMarkdown(s), "| users | 991 |");
  },
});
