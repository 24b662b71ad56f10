import { join } from "node:path";
import {
  assertEquals,
  assertGreater,
  assertRejects,
  assertStringIncludes,
} from "./support/assert.ts";
import { loadPlotlySource } from "../lib/report/plotly_source.ts";

Deno.test("loadPlotlySource reads the plotly.js-dist bundle without network", async () => {
  const text = await loadPlotlySource();
  assertGreater(text.length, 1_000_000);
  assertStringIncludes(text, "newPlot");
  // Cached: the second call returns the same text.
  assertEquals(await loadPlotlySource(), text);
});

Deno.test("loadPlotlySource reads a given file and rejects one that is not plotly", async () => {
  const dir = await Deno.makeTempDir({ prefix: "drex-plotly-" });
  try {
    const fake = join(dir, "fake.js");
    await Deno.writeTextFile(fake, "console.log('not plotly');");
    await assertRejects(() => loadPlotlySource({ path: fake }), Error, "does not look like");
    const real = join(dir, "plotly.js");
    await Deno.writeTextFile(real, await loadPlotlySource());
    assertGreater((await loadPlotlySource({ path: real })).length, 1_000_000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
