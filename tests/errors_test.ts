import {
  composeReview,
  DataError,
  optionalText,
  parseJsonObject,
  parseRating,
  parseTimestamp,
  requireId,
  resolveReaderOptions,
  skipOrThrow,
  SkipTally,
} from "../lib/data/errors.ts";
import { assertEquals, assertStrictEquals, assertThrows } from "./support/assert.ts";

const at = { file: "reviews.jsonl", line: 17 };

Deno.test("DataError: message names file, line and field; properties are set", () => {
  const e = new DataError({
    ...at,
    field: "rating",
    reason: "bad-rating",
    detail: 'expected a number in [1, 5], got "five"',
  });
  assertEquals(
    e.message,
    'reviews.jsonl:17: field "rating": expected a number in [1, 5], got "five"',
  );
  assertEquals([e.file, e.line, e.field, e.reason], ["reviews.jsonl", 17, "rating", "bad-rating"]);
  assertEquals(e.name, "DataError");
  const whole = new DataError({ ...at, reason: "malformed", detail: "malformed JSON: oops" });
  assertEquals(whole.message, "reviews.jsonl:17: malformed JSON: oops");
  assertStrictEquals(whole.field, undefined);
});

Deno.test("parseRating: numbers and numeric strings on the scale; missing is undefined; else bad-rating", () => {
  assertEquals(parseRating(4, "rating", [1, 5], at), 4);
  assertEquals(parseRating(" 4.5 ", "rating", [1, 5], at), 4.5);
  assertEquals(parseRating(undefined, "rating", [1, 5], at), undefined);
  assertEquals(parseRating(null, "rating", [1, 5], at), undefined);
  assertEquals(parseRating("", "rating", [1, 5], at), undefined);
  const e = assertThrows(() => parseRating("five", "rating", [1, 5], at), DataError) as DataError;
  assertEquals(
    e.message,
    'reviews.jsonl:17: field "rating": expected a number in [1, 5], got "five"',
  );
  assertEquals(e.reason, "bad-rating");
  assertThrows(() => parseRating(0, "rating", [1, 5], at), DataError, "got 0");
  assertThrows(() => parseRating(5.5, "rating", [1, 5], at), DataError, "got 5.5");
  assertThrows(() => parseRating(true, "rating", [1, 5], at), DataError, "got true");
  assertEquals(parseRating(10, "stars", [0, 10], at), 10);
});

Deno.test("parseRating: a scale with a step rejects ratings between levels and says how to change it", () => {
  const half = { min: 0.5, max: 5, step: 0.5 };
  assertEquals(parseRating("0.5", "rating", half, at), 0.5);
  assertEquals(parseRating(4.5, "rating", half, at), 4.5);
  assertThrows(
    () => parseRating(4.3, "rating", half, at),
    DataError,
    "in [0.5, 5] in steps of 0.5",
  );
  const whole = { min: 1, max: 5, step: 1 };
  const e = assertThrows(() => parseRating("0.5", "rating", whole, at), DataError) as DataError;
  assertEquals(
    e.detail,
    'expected a number in [1, 5], got "0.5" ' +
      "(set the rating scale with --rating-scale MIN:MAX:STEP or the ratingScale option)",
  );
  assertThrows(() => parseRating(4.5, "rating", whole, at), DataError, "in steps of 1, got 4.5");
});

Deno.test("parseTimestamp: ms, s and ISO; missing is undefined; else bad-timestamp", () => {
  assertEquals(parseTimestamp(1472688000, "t", "s", at), 1472688000000);
  assertEquals(parseTimestamp("1472688000123", "t", "ms", at), 1472688000123);
  assertEquals(
    parseTimestamp("2020-01-02T03:04:05Z", "t", "iso", at),
    Date.UTC(2020, 0, 2, 3, 4, 5),
  );
  assertEquals(parseTimestamp(null, "t", "ms", at), undefined);
  assertEquals(parseTimestamp(" ", "t", "iso", at), undefined);
  const e = assertThrows(() => parseTimestamp("yesterday", "timestamp", "ms", at), DataError);
  assertEquals((e as DataError).reason, "bad-timestamp");
  assertEquals((e as DataError).field, "timestamp");
  assertThrows(() => parseTimestamp("not a date", "t", "iso", at), DataError, "ISO 8601");
  assertThrows(() => parseTimestamp(1e20, "t", "s", at), DataError, "seconds");
  assertThrows(() => parseTimestamp(1234, "t", "iso", at), DataError);
});

Deno.test("requireId: strings and numbers; missing or blank is missing-user / missing-item", () => {
  assertEquals(requireId("A1", "user_id", "user", at), "A1");
  assertEquals(requireId(42, "user_id", "user", at), "42");
  const missing = assertThrows(() => requireId(undefined, "user_id", "user", at)) as DataError;
  assertEquals([missing.reason, missing.field, missing.detail], [
    "missing-user",
    "user_id",
    "missing user id",
  ]);
  const blank = assertThrows(() => requireId("  ", "asin", "item", at)) as DataError;
  assertEquals(blank.reason, "missing-item");
  assertThrows(() => requireId({}, "asin", "item", at), DataError, "got {}");
});

Deno.test("parseJsonObject and optionalText: malformed lines and non-string text", () => {
  assertEquals(parseJsonObject('{"a": 1}', at), { a: 1 });
  const bad = assertThrows(() => parseJsonObject('{"a": ', at)) as DataError;
  assertEquals([bad.reason, bad.field, bad.line], ["malformed", undefined, 17]);
  assertThrows(() => parseJsonObject("[1]", at), DataError, "got an array");
  assertThrows(() => parseJsonObject("null", at), DataError, "JSON object");
  assertEquals(optionalText("x", "text", at), "x");
  assertEquals(optionalText(null, "text", at), undefined);
  const e = assertThrows(() => optionalText(5, "text", at)) as DataError;
  assertEquals(e.reason, "bad-text");
});

Deno.test("composeReview: text by default, title in front on request, blank is no review", () => {
  assertEquals(composeReview("Body text", "Title", false), "Body text");
  assertEquals(composeReview("Body text", "Title", true), "Title. Body text");
  assertEquals(composeReview("Body", "Wow!", true), "Wow! Body");
  assertEquals(composeReview("  ", "Title", false), undefined);
  assertEquals(composeReview(undefined, undefined, true), undefined);
  assertEquals(composeReview("", "Only title", true), "Only title");
  assertEquals(composeReview("  keep  as written ", undefined, true), "  keep  as written ");
});

Deno.test("SkipTally and skipOrThrow: counts by reason, keeps the first examples, rethrows other errors", () => {
  const tally = new SkipTally(2);
  const seen: number[] = [];
  for (const line of [3, 5, 9]) {
    skipOrThrow(
      new DataError({ file: "f", line, field: "rating", reason: "bad-rating", detail: "x" }),
      "skip",
      tally,
      (e) => seen.push(e.line),
    );
  }
  skipOrThrow(
    new DataError({ file: "f", line: 11, reason: "malformed", detail: "y" }),
    "skip",
    tally,
  );
  const report = tally.report();
  assertEquals(report.total, 4);
  assertEquals(report.byReason, { "bad-rating": 3, malformed: 1 });
  assertEquals(report.examples.map((e) => [e.line, e.field]), [[3, "rating"], [5, "rating"]]);
  assertEquals(seen, [3, 5, 9]);
  assertThrows(
    () =>
      skipOrThrow(
        new DataError({ file: "f", line: 1, reason: "malformed", detail: "z" }),
        "error",
        tally,
      ),
    DataError,
  );
  assertThrows(() => skipOrThrow(new TypeError("not data"), "skip", tally), TypeError);
});

Deno.test("resolveReaderOptions: defaults and validation", () => {
  const r = resolveReaderOptions({}, "x.jsonl");
  assertEquals([r.file, r.policy, r.scale], ["x.jsonl", "error", { min: 1, max: 5 }]);
  assertEquals(resolveReaderOptions({ name: "y" }, "x.jsonl").file, "y");
  assertEquals(resolveReaderOptions({ ratingScale: [0.5, 5] }, "x").scale, { min: 0.5, max: 5 });
  assertEquals(resolveReaderOptions({ ratingScale: "auto" }, "x").scale, {});
  assertThrows(() => resolveReaderOptions({ ratingScale: [5, 1] }, "x"), RangeError);
  // deno-lint-ignore no-explicit-any
  assertThrows(() => resolveReaderOptions({ onError: "ignore" as any }, "x"), RangeError);
});
