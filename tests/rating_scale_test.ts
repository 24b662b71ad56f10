import {
  DEFAULT_RATING_SCALE,
  formatRatingScale,
  inferRatingScale,
  onScale,
  parseRatingScale,
  ratingScaleOptions,
  resolveRatingScale,
  scaleLevelCount,
} from "../lib/data/rating_scale.ts";
import { assertEquals, assertThrows } from "./support/assert.ts";

const HALF = { min: 0.5, max: 5, step: 0.5 };

Deno.test("scaleLevelCount: whole stars 5, MovieLens half stars 10", () => {
  assertEquals(scaleLevelCount(DEFAULT_RATING_SCALE), 5);
  assertEquals(scaleLevelCount(HALF), 10);
  assertEquals(scaleLevelCount({ min: 0, max: 1, step: 0.1 }), 11);
});

Deno.test("onScale: levels only, tolerant to decimal noise", () => {
  assertEquals(onScale(4.5, HALF), true);
  assertEquals(onScale(0.1 + 0.2 + 4.2, HALF), true); // 4.5 up to float noise
  assertEquals(onScale(4.3, HALF), false);
  assertEquals(onScale(0, HALF), false);
  assertEquals(onScale(4.5, DEFAULT_RATING_SCALE), false);
});

Deno.test("parseRatingScale: MIN:MAX:STEP, MIN:MAX, auto; errors name the flag", () => {
  assertEquals(parseRatingScale("0.5:5:0.5"), HALF);
  assertEquals(parseRatingScale("1:10"), { min: 1, max: 10 });
  assertEquals(parseRatingScale(" auto "), "auto");
  assertThrows(() => parseRatingScale("0.5-5"), RangeError, "--rating-scale expects MIN:MAX:STEP");
  assertThrows(() => parseRatingScale("5:1:1"), RangeError, "--rating-scale: min must be below");
  assertThrows(() => parseRatingScale("1:5:0"), RangeError, "step must be positive");
  assertThrows(() => parseRatingScale("1:5:0.3"), RangeError, "whole number of levels");
  assertEquals(formatRatingScale(HALF), "0.5:5:0.5");
});

Deno.test("resolveRatingScale: default whole stars; partial input is an error here", () => {
  assertEquals(resolveRatingScale(undefined), DEFAULT_RATING_SCALE);
  assertEquals(resolveRatingScale(HALF), HALF);
  assertThrows(() => resolveRatingScale("auto"), RangeError, "needs min, max and step");
});

Deno.test("inferRatingScale: from the data, the given parts fixed", () => {
  assertEquals(inferRatingScale([0.5, 3, 4.5, 5], "auto"), HALF);
  assertEquals(inferRatingScale([1, 2, 5], "auto"), DEFAULT_RATING_SCALE);
  assertEquals(inferRatingScale([2, 3], [1, 5]), DEFAULT_RATING_SCALE);
  assertEquals(inferRatingScale([1.5, 2], { min: 0.5, max: 5 }), HALF);
  assertEquals(inferRatingScale([], undefined), DEFAULT_RATING_SCALE);
  assertEquals(inferRatingScale([1.5, 5], undefined), { min: 1, max: 5, step: 0.5 });
  assertThrows(
    () => inferRatingScale([0.5, 5], DEFAULT_RATING_SCALE),
    RangeError,
    "rating 0.5 is not on the scale 1:5:1 (set another with --rating-scale",
  );
  assertEquals(inferRatingScale([], "auto"), DEFAULT_RATING_SCALE);
  assertThrows(() => inferRatingScale([1, 1.333], "auto"), RangeError, "cannot infer a step");
});

Deno.test("ratingScaleOptions: ratingStep only where a model reads it and it is not 1", () => {
  assertEquals(ratingScaleOptions(DEFAULT_RATING_SCALE, true), { ratingMin: 1, ratingMax: 5 });
  assertEquals(ratingScaleOptions(HALF, false), { ratingMin: 0.5, ratingMax: 5 });
  assertEquals(ratingScaleOptions(HALF, true), { ratingMin: 0.5, ratingMax: 5, ratingStep: 0.5 });
});
