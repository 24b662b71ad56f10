import { assertEquals, assertThrows } from "./support/assert.ts";
import { median } from "../lib/stats/median.ts";

Deno.test("median: middle value of an odd count, mean of the two middle values of an even one", () => {
  assertEquals(median([3, 1, 2]), 2);
  assertEquals(median([4, 1, 3, 2]), 2.5);
  assertEquals(median([7]), 7);
});

Deno.test("median: leaves its input unsorted and refuses an empty list", () => {
  const values = [3, 1, 2];
  median(values);
  assertEquals(values, [3, 1, 2]);
  assertThrows(() => median([]), RangeError, "no values");
});
