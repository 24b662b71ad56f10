import { readAmazon2023 } from "../lib/data/read_amazon2023.ts";
import { DataError, type ReadSummary } from "../lib/data/errors.ts";
import type { Interaction } from "../lib/data/types.ts";
import { assertEquals, assertRejects, assertStringIncludes } from "./support/assert.ts";
import { repoPath } from "./support/shared.ts";

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
  {
    user: "U1",
    item: "B00P1",
    rating: 5,
    review: "Played it for weeks. Loved the story!",
    timestamp: 1588687728923,
  },
  { user: "U2", item: "B00A2", rating: 3, review: "It works, mostly.", timestamp: 1588687728000 },
  { user: "U2", item: "B00P1", rating: 1, timestamp: 1600000000000 },
  { user: "U3", item: "B00P3", rating: 4, timestamp: 1500000000000 },
  { user: "U1", item: "B00P3", review: "Très bon — naïve façade 👍" },
  { user: "U3", item: "B00P2", rating: 2, review: "Line one\nline two", timestamp: 1600000000001 },
];

Deno.test("readAmazon2023: fixture fields, parent_asin → asin fallback, blank text, null rating", async () => {
  const { interactions, summary } = await readAll(readAmazon2023(fixture("amazon2023.jsonl")));
  assertEquals(interactions, EXPECTED);
  assertEquals(summary.lines, 7);
  assertEquals(summary.records, 6);
  assertEquals(summary.interactions, 6);
  assertEquals(summary.skipped, { total: 0, byReason: {}, examples: [] });
});

Deno.test("readAmazon2023: gzip fixture reads the same", async () => {
  const { interactions, summary } = await readAll(readAmazon2023(fixture("amazon2023.jsonl.gz")));
  assertEquals(interactions, EXPECTED);
  assertEquals(summary.lines, 7);
});

Deno.test("readAmazon2023: includeTitle puts the title in front of the text", async () => {
  const { interactions } = await readAll(
    readAmazon2023(fixture("amazon2023.jsonl"), { includeTitle: true }),
  );
  assertEquals(interactions.map((x) => x.review), [
    "Great game. Played it for weeks. Loved the story!",
    "Okay. It works, mostly.",
    "Broken",
    undefined,
    "Café crème ☕. Très bon — naïve façade 👍",
    "Line one\nline two",
  ]);
});

const CASES: [string, number, string | undefined, string, string][] = [
  ["bad_json.jsonl", 3, undefined, "malformed", "malformed JSON"],
  [
    "not_an_object.jsonl",
    2,
    undefined,
    "malformed",
    "expected a JSON object per line, got an array",
  ],
  ["missing_user.jsonl", 2, "user_id", "missing-user", "missing user id"],
  ["missing_item.jsonl", 4, "parent_asin", "missing-item", "missing item id"],
  [
    "rating_not_a_number.jsonl",
    17,
    "rating",
    "bad-rating",
    'expected a number in [1, 5], got "five"',
  ],
  ["rating_out_of_scale.jsonl", 5, "rating", "bad-rating", "expected a number in [1, 5], got 7"],
  ["bad_timestamp.jsonl", 3, "timestamp", "bad-timestamp", 'got "yesterday"'],
  ["text_not_a_string.jsonl", 2, "text", "bad-text", "expected a string, got 42"],
];

for (const [file, line, field, reason, detail] of CASES) {
  Deno.test(`readAmazon2023: ${file} fails at line ${line} (${reason})`, async () => {
    const path = fixture(`malformed/${file}`);
    const error = await assertRejects(() => readAll(readAmazon2023(path)), DataError) as DataError;
    assertEquals(error.file, path);
    assertEquals(error.line, line);
    assertEquals(error.field, field);
    assertEquals(error.reason, reason);
    assertStringIncludes(error.message, `${file}:${line}: `);
    assertStringIncludes(error.message, detail);
  });
}

Deno.test("readAmazon2023: the spec's example message, word for word", async () => {
  const error = await assertRejects(() =>
    readAll(
      readAmazon2023(fixture("malformed/rating_not_a_number.jsonl"), { name: "reviews.jsonl" }),
    )
  );
  assertEquals(
    error.message,
    'reviews.jsonl:17: field "rating": expected a number in [1, 5], got "five"',
  );
});

Deno.test("readAmazon2023: ratingScale widens the accepted range", async () => {
  const { interactions } = await readAll(
    readAmazon2023(fixture("malformed/rating_out_of_scale.jsonl"), { ratingScale: [0, 10] }),
  );
  assertEquals(interactions.length, 5);
  assertEquals(interactions[4].rating, 7);
});

Deno.test("readAmazon2023: skip policy counts every kind and keeps examples with file:line:field", async () => {
  const path = fixture("malformed/mixed_2023.jsonl");
  const skipped: number[] = [];
  const { interactions, summary } = await readAll(
    readAmazon2023(path, {
      onError: "skip",
      maxSkipExamples: 3,
      onSkip: (e) => skipped.push(e.line),
    }),
  );
  assertEquals(interactions.map((x) => x.user), ["U1", "U3", "U13"]);
  assertEquals(summary.lines, 13);
  assertEquals(summary.records, 12);
  assertEquals(summary.interactions, 3);
  assertEquals(summary.skipped.total, 9);
  assertEquals(summary.skipped.byReason, {
    malformed: 2,
    "missing-user": 2,
    "missing-item": 1,
    "bad-rating": 2,
    "bad-timestamp": 1,
    "bad-text": 1,
  });
  assertEquals(skipped, [2, 4, 5, 7, 8, 9, 10, 11, 12]);
  assertEquals(
    summary.skipped.examples.map((e) => [e.file, e.line, e.field, e.reason]),
    [
      [path, 2, undefined, "malformed"],
      [path, 4, "user_id", "missing-user"],
      [path, 5, "user_id", "missing-user"],
    ],
  );
  assertStringIncludes(summary.skipped.examples[1].message, 'mixed_2023.jsonl:4: field "user_id"');
});

Deno.test("readAmazon2023: error policy stops at the first bad line of the mixed file", async () => {
  const error = await assertRejects(
    () => readAll(readAmazon2023(fixture("malformed/mixed_2023.jsonl"))),
    DataError,
  ) as DataError;
  assertEquals([error.line, error.reason], [2, "malformed"]);
});
