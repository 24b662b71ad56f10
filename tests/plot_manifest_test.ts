import { assertEquals } from "./support/assert.ts";
import { plotManifest } from "../lib/report/plot_manifest.ts";

Deno.test("plotManifest counts markers, bars, heatmap labels, text points and shapes", () => {
  const manifest = plotManifest({
    data: [
      { type: "scatter", mode: "lines+markers", x: [1, 2, 3], y: [1, null, 3] },
      { type: "scatter", mode: "lines", x: [1, 2], y: [1, 2] },
      { type: "scatter", mode: "text", x: [1, 2], y: [1, 2], text: ["a", " "] },
      { type: "bar", x: ["a", "b", "c"], y: [1, 0, null] },
      { type: "bar", orientation: "h", x: [2, 3], y: ["a", "b"] },
      { type: "heatmap", z: [[1, null], [2, 3]], text: [["1", "x"], ["", "3"]] },
      { type: "scatter", mode: "markers", x: [1], y: [1], visible: false },
      { type: "scatter", x: [1, 2], y: [1, 2] },
    ],
    layout: { shapes: [{ type: "line", x0: 0, x1: 1, y0: 0, y1: 1 }] },
  });
  assertEquals(manifest, {
    traces: 7,
    markers: 2 + 2, // the default mode of a short trace has markers
    bars: 1 + 2,
    heatmaps: 1,
    heatmapLabels: 2,
    textPoints: 1,
    shapes: 1,
  });
});
