import { benchModel, formatModelBench } from "../tasks/bench/model.ts";
import { hostProbeNsPerToken } from "../tasks/bench/host_probe.ts";
import { assert, assertEquals } from "./support/assert.ts";

Deno.test("hostProbeNsPerToken: a positive, finite time per token", () => {
  const ns = hostProbeNsPerToken();
  assert(Number.isFinite(ns) && ns > 0, `probe gave ${ns}`);
});

Deno.test("benchModel: the host probe is timed before training and after every epoch, and printed", async () => {
  const results = await benchModel({
    users: 12,
    items: 15,
    interactions: 120,
    wordsPerReview: 3,
    featureDims: [8],
    latentDim: 4,
    epochs: 2,
    featureStorage: "int8",
    threads: 1,
  });
  assertEquals(results.length, 1);
  const r = results[0];
  assertEquals(r.epochSeconds.length, 2);
  assertEquals(r.hostProbeNsPerToken.length, 3);
  assert(r.hostProbeNsPerToken.every((ns) => Number.isFinite(ns) && ns > 0));
  const table = formatModelBench(results);
  assert(table.includes("host probe ns/token (median)"), table);
  assertEquals(table.split("\n")[2].split("|").length, table.split("\n")[0].split("|").length);
});
