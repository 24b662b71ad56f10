import { readAmazon2018 } from "../lib/data/read_amazon2018.ts";
import { DataError, type ReadSummary } from "../lib/data/errors.ts";
import type { Interaction } from "../lib/data/types.ts";
import { assert, assertEquals, assertRejects } from "./support/assert.ts";
import { hasShared, repoPath, sharedPath } from "./support/shared.ts";

const fixture = (name: string): string => repoPath("fixtures/readers", name);

async function readAll(
  reader: AsyncGenerator<Interaction, ReadSummary>,
): Promise<{ interactions: Interaction[]; summary: ReadSummary }> {
  const interactions: Interaction[] = [];
  for (;;) {
    const next = await reader.next();
    if (next.done) return { interactions, summary: next.value };
    interactions.push(next.value);
  }
}

const EXPECTED: Interaction[] = [
  { user: "R1", item: "A1", rating: 5, review: "As advertised.", timestamp: 1472688000000 },
  { user: "R1", item: "A1", rating: 5, review: "As advertised.", timestamp: 1472688000000 },
  { user: "R2", item: "A1", rating: 2, review: "Not for me!", timestamp: 1384387200000 },
  {
    user: "R2",
    item: "A1",
    rating: 4,
    review: "Changed my mind, it is good.",
    timestamp: 1388620800000,
  },
  { user: "R3", item: "A2", rating: 3, timestamp: 1376784000000 },
  { user: "R3", item: "A3", rating: 1, review: "Smells awful", timestamp: 1376784000000 },
];

Deno.test("readAmazon2018: fixture fields, seconds → ms, missing reviewText is no review", async () => {
  const { interactions, summary } = await readAll(readAmazon2018(fixture("amazon2018.jsonl")));
  assertEquals(interactions, EXPECTED);
  assertEquals([summary.lines, summary.records, summary.interactions], [6, 6, 6]);
});

Deno.test("readAmazon2018: gzip, with and without .gz extension, reads the same", async () => {
  for (const name of ["amazon2018.jsonl.gz", "amazon2018_gzipped_no_ext.jsonl"]) {
    const { interactions } = await readAll(readAmazon2018(fixture(name)));
    assertEquals(interactions, EXPECTED, name);
  }
});

Deno.test("readAmazon2018: includeTitle puts the summary in front", async () => {
  const { interactions } = await readAll(
    readAmazon2018(fixture("amazon2018.jsonl"), { includeTitle: true }),
  );
  assertEquals(interactions.map((x) => x.review), [
    "Five Stars. As advertised.",
    "Five Stars. As advertised.",
    "Meh. Not for me!",
    "Better. Changed my mind, it is good.",
    "No text here",
    "Awful! Smells awful",
  ]);
});

for (const name of ["mixed_2018.jsonl", "mixed_2018.jsonl.gz"]) {
  Deno.test(`readAmazon2018: ${name}: every kind of bad line, located, skipped and counted`, async () => {
    const path = fixture(`malformed/${name}`);
    const error = await assertRejects(() => readAll(readAmazon2018(path)), DataError) as DataError;
    assertEquals([error.line, error.field, error.reason], [2, "overall", "bad-rating"]);
    assertEquals(
      error.message,
      `${path}:2: field "overall": expected a number in [1, 5], got 6 ` +
        "(set the rating scale with --rating-scale MIN:MAX:STEP or the ratingScale option)",
    );
    const { interactions, summary } = await readAll(
      readAmazon2018(path, { onError: "skip", maxSkipExamples: 10 }),
    );
    assertEquals(interactions.map((x) => x.user), ["R1", "R7"]);
    assertEquals(summary.skipped.byReason, {
      "bad-rating": 1,
      "missing-user": 1,
      "missing-item": 1,
      "bad-timestamp": 1,
      malformed: 1,
    });
    assertEquals(
      summary.skipped.examples.map((e) => [e.line, e.field ?? null]),
      [[2, "overall"], [3, "reviewerID"], [4, "asin"], [5, "unixReviewTime"], [6, null]],
    );
  });
}

/** The SOURCES.md table, per file. */
const SOURCES = {
  "amazon2018_All_Beauty_5.jsonl.gz": {
    rows: 5269,
    users: 991,
    items: 85,
    histogram: [115, 64, 109, 332, 4649],
    withoutText: 5,
    first: "2004-09",
    last: "2018-08",
  },
  "amazon2018_AMAZON_FASHION_5.jsonl.gz": {
    rows: 3176,
    users: 406,
    items: 31,
    histogram: [117, 93, 337, 471, 2158],
    withoutText: 16,
    first: "2009-12",
    last: "2018-07",
  },
};

for (const [file, expected] of Object.entries(SOURCES)) {
  const name = `readAmazon2018: ${file} matches SOURCES.md`;
  Deno.test({
    name,
    ignore: !hasShared(name, "data", file),
    fn: async () => {
      const { interactions, summary } = await readAll(readAmazon2018(sharedPath("data", file)));
      assertEquals(summary.lines, expected.rows);
      assertEquals(summary.skipped.total, 0);
      assertEquals(interactions.length, expected.rows);
      assertEquals(new Set(interactions.map((x) => x.user)).size, expected.users);
      assertEquals(new Set(interactions.map((x) => x.item)).size, expected.items);
      const histogram = [1, 2, 3, 4, 5].map((r) =>
        interactions.filter((x) => x.rating === r).length
      );
      assertEquals(histogram, expected.histogram);
      assertEquals(interactions.filter((x) => x.review === undefined).length, expected.withoutText);
      assert(interactions.every((x) => x.timestamp !== undefined && x.timestamp % 1000 === 0));
      const times = interactions.map((x) => x.timestamp!);
      const month = (ms: number): string => new Date(ms).toISOString().slice(0, 7);
      assertEquals(month(Math.min(...times)), expected.first);
      assertEquals(month(Math.max(...times)), expected.last);
    },
  });
}
