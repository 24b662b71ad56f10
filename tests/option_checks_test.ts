import { check, checkTrainingOptions, fillOptions } from "../lib/baselines/common/option_checks.ts";
import { assertEquals, assertThrows } from "./support/assert.ts";

interface Opts {
  a?: number;
  b?: string;
}
const DEFAULTS: Required<Opts> = { a: 1, b: "x" };

Deno.test("fillOptions fills defaults, ignores undefined and rejects unknown fields", () => {
  assertEquals(fillOptions<Opts>("M", DEFAULTS, {}), { a: 1, b: "x" });
  assertEquals(fillOptions<Opts>("M", DEFAULTS, { a: 2, b: undefined }), { a: 2, b: "x" });
  assertThrows(
    () => fillOptions<Opts>("M", DEFAULTS, { c: 1 } as Opts),
    RangeError,
    'Unknown M option "c"',
  );
});

Deno.test("check rejects out-of-range values, naming model and field", () => {
  check.positiveInteger("M", "n", 3);
  assertThrows(() => check.positiveInteger("M", "n", 0), RangeError, 'M option "n"');
  assertThrows(() => check.positiveInteger("M", "n", 1.5), RangeError);
  check.nonNegativeInteger("M", "n", 0);
  assertThrows(() => check.nonNegativeInteger("M", "n", -1), RangeError);
  assertThrows(() => check.positive("M", "x", 0), RangeError);
  assertThrows(() => check.positive("M", "x", Infinity), RangeError);
  assertThrows(() => check.nonNegative("M", "x", NaN), RangeError);
  check.fraction("M", "f", 0);
  assertThrows(() => check.fraction("M", "f", 1), RangeError);
  assertThrows(() => check.finite("M", "s", NaN), RangeError);
  check.oneOf("M", "k", "a", ["a", "b"]);
  assertThrows(() => check.oneOf("M", "k", "c", ["a", "b"]), RangeError, '"a" or "b"');
});

Deno.test("checkTrainingOptions checks the shared training-loop fields, naming model and field", () => {
  const ok = {
    learningRate: 0.01,
    lambda: 0,
    dropout: 0.3,
    batchSize: 8,
    maxEpochs: 2,
    patience: 0,
    minDelta: 0,
    stoppingMetric: "mae",
    seed: 1,
    ratingMin: 1,
    ratingMax: 5,
  };
  checkTrainingOptions("M", ok);
  assertThrows(
    () => checkTrainingOptions("M", { ...ok, learningRate: 0 }),
    RangeError,
    'M option "learningRate"',
  );
  assertThrows(() => checkTrainingOptions("M", { ...ok, dropout: 1 }), RangeError, '"dropout"');
  assertThrows(() => checkTrainingOptions("M", { ...ok, patience: -1 }), RangeError, '"patience"');
  assertThrows(
    () => checkTrainingOptions("M", { ...ok, stoppingMetric: "auc" }),
    RangeError,
    '"mae" or "rmse"',
  );
  assertThrows(() => checkTrainingOptions("M", { ...ok, seed: NaN }), RangeError, '"seed"');
  assertThrows(
    () => checkTrainingOptions("M", { ...ok, ratingMin: 5, ratingMax: 5 }),
    RangeError,
    '"ratingMin"/"ratingMax"',
  );
});
