import { type CsvColumns, readCsv } from "../lib/data/read_csv.ts";
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

function stream(text: string): ReadableStream<Uint8Array> {
  return new Blob([text]).stream();
}

const COLUMNS: CsvColumns = {
  user: "user",
  item: "item",
  rating: "stars",
  review: "body",
  title: "title",
  timestamp: "date",
};

const EXPECTED: Interaction[] = [
  {
    user: "U1",
    item: "I1",
    rating: 5,
    review: "Loved it, really",
    timestamp: Date.UTC(2020, 0, 2, 3, 4, 5),
  },
  {
    user: "U1",
    item: "I2",
    review: 'She said "wow"\nand then\nleft',
    timestamp: Date.UTC(2020, 1, 1),
  },
  { user: "U2", item: "I1", rating: 3 },
  { user: "U 3", item: "I,3", rating: 4.5, timestamp: Date.UTC(2019, 11, 31, 23, 59, 59, 500) },
  {
    user: "U2",
    item: "I3",
    rating: 1,
    review: "Broke on day one",
    timestamp: Date.UTC(2021, 5, 30),
  },
];

for (const name of ["interactions.csv", "interactions.csv.gz"]) {
  Deno.test(`readCsv: ${name}: mapping, quoting, multi-line records, ISO dates, empty cells`, async () => {
    const { interactions, summary } = await readAll(
      readCsv(fixture(name), COLUMNS, { timestampUnit: "iso" }),
    );
    assertEquals(interactions, EXPECTED);
    assertEquals([summary.lines, summary.records, summary.interactions], [9, 5, 5]);
  });
}

Deno.test("readCsv: includeTitle puts the title column in front", async () => {
  const { interactions } = await readAll(
    readCsv(fixture("interactions.csv"), COLUMNS, { timestampUnit: "iso", includeTitle: true }),
  );
  assertEquals(interactions.map((x) => x.review), [
    "Great. Loved it, really",
    'No stars. She said "wow"\nand then\nleft',
    undefined,
    "Title only",
    "Bad. Broke on day one",
  ]);
});

Deno.test("readCsv: unmapped parts are absent; seconds and ms units; tab separator", async () => {
  const text = "u\ti\tr\tt\nA\tX\t2\t1600000000\nB\tY\t\t\n";
  const s = await readAll(
    readCsv(stream(text), { user: "u", item: "i", rating: "r", timestamp: "t" }, {
      separator: "\t",
      timestampUnit: "s",
    }),
  );
  assertEquals(s.interactions, [
    { user: "A", item: "X", rating: 2, timestamp: 1600000000000 },
    { user: "B", item: "Y" },
  ]);
  const ms = await readAll(
    readCsv(stream(text), { user: "u", item: "i", timestamp: "t" }, { separator: "\t" }),
  );
  assertEquals(ms.interactions, [{ user: "A", item: "X", timestamp: 1600000000 }, {
    user: "B",
    item: "Y",
  }]);
});

const MALFORMED_COLUMNS: CsvColumns = {
  user: "user",
  item: "item",
  rating: "rating",
  review: "review",
  timestamp: "time",
};

Deno.test("readCsv: a bad field in a multi-line record is reported at the record's first line", async () => {
  const path = fixture("malformed/csv_bad_rating.csv");
  const error = await assertRejects(
    () => readAll(readCsv(path, MALFORMED_COLUMNS, { timestampUnit: "s" })),
    DataError,
  ) as DataError;
  assertEquals([error.line, error.field, error.reason], [5, "rating", "bad-rating"]);
  assertEquals(error.message, `${path}:5: field "rating": expected a number in [1, 5], got "five"`);
  const skipped = await readAll(
    readCsv(path, MALFORMED_COLUMNS, { timestampUnit: "s", onError: "skip" }),
  );
  assertEquals(skipped.interactions.map((x) => x.user), ["U1", "U2", "U4"]);
  assertEquals(skipped.summary.skipped.byReason, { "bad-rating": 1 });
});

Deno.test("readCsv: a record with the wrong field count is malformed at its line", async () => {
  const path = fixture("malformed/csv_field_count.csv");
  const error = await assertRejects(
    () => readAll(readCsv(path, MALFORMED_COLUMNS)),
    DataError,
  ) as DataError;
  assertEquals([error.line, error.field, error.reason], [3, undefined, "malformed"]);
  assertStringIncludes(error.message, "expected 5 fields as in the header, got 3");
});

Deno.test("readCsv: an unclosed quote stops the read, even under skip, at the record's line", async () => {
  const path = fixture("malformed/csv_unclosed_quote.csv");
  for (const onError of ["error", "skip"] as const) {
    const error = await assertRejects(
      () => readAll(readCsv(path, MALFORMED_COLUMNS, { onError })),
      DataError,
    ) as DataError;
    assertEquals([error.line, error.reason], [3, "malformed"]);
    assertStringIncludes(error.message, "malformed CSV");
  }
});

Deno.test("readCsv: skip policy on missing ids and bad times", async () => {
  const path = fixture("malformed/csv_mixed.csv");
  const { interactions, summary } = await readAll(
    readCsv(path, MALFORMED_COLUMNS, { timestampUnit: "s", onError: "skip" }),
  );
  assertEquals(interactions.map((x) => x.user), ["U1", "U5"]);
  assertEquals(summary.skipped.byReason, {
    "missing-user": 1,
    "bad-timestamp": 1,
    "missing-item": 1,
  });
  assertEquals(
    summary.skipped.examples.map((e) => [e.line, e.field]),
    [[3, "user"], [4, "time"], [5, "item"]],
  );
});

Deno.test("readCsv: a mapped column missing from the header fails at line 1 whatever the policy", async () => {
  const error = await assertRejects(
    () =>
      readAll(
        readCsv(fixture("interactions.csv"), { ...COLUMNS, rating: "score" }, { onError: "skip" }),
      ),
    DataError,
  ) as DataError;
  assertEquals([error.line, error.field], [1, "score"]);
  assertStringIncludes(error.message, "not in the header");
});

Deno.test("readCsv: an empty file is an error", async () => {
  await assertRejects(
    () => readAll(readCsv(stream(""), COLUMNS, { name: "empty.csv" })),
    DataError,
    "empty file",
  );
});

Deno.test("readCsv without a header: columns by 1-based position, every record is data", async () => {
  const bytes = new TextEncoder().encode("u1\ti1\t5\nu2\ti1\t3\n");
  const out: Interaction[] = [];
  for await (
    const x of readCsv(new Blob([bytes]).stream(), { user: "1", item: "2", rating: "3" }, {
      header: false,
      separator: "\t",
    })
  ) out.push(x);
  assertEquals(out.map((x) => [x.user, x.item, x.rating]), [["u1", "i1", 5], ["u2", "i1", 3]]);
});
