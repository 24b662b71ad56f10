import { formatPeakMemory, peakMemory } from "../lib/util/peak_memory.ts";
import { assert, assertMatch } from "./support/assert.ts";

Deno.test("peakMemory is at least the current resident set; formatted in GB", () => {
  const big = new Float64Array(4_000_000).fill(1); // 32 MB, touched
  const { bytes, peak } = peakMemory();
  assert(bytes >= Deno.memoryUsage().rss * 0.99 || !peak);
  assert(bytes > 32e6 && big[0] === 1);
  if (Deno.build.os === "linux") assert(peak);
  assertMatch(formatPeakMemory(), /^\d+\.\d\d GB \(/);
});
