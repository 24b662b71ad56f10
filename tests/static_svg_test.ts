import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertGreater,
  assertNotEquals,
  assertStringIncludes,
} from "./support/assert.ts";
import type { PlotlyFigure } from "../lib/plots/figure.ts";
import { colorAt, escapeXml, figureToSvg, plainTextLines } from "../lib/plots/static_svg.ts";
import { learningCurvesFigure } from "../lib/plots/learning_curves.ts";
import { keywordOverlapFigure } from "../lib/plots/keyword_overlap.ts";
import { cdDiagramFigure } from "../lib/plots/cd_diagram.ts";
import { ratingMetricsFigure } from "../lib/plots/rating_bars.ts";
import { interactionsPerEntityFigure } from "../lib/plots/dataset_stats.ts";

function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(pattern)].length;
}

/** Numbers of an attribute over all elements matching `tag`. */
function attrValues(svg: string, tag: string, attr: string): number[] {
  const out: number[] = [];
  for (const m of svg.matchAll(new RegExp(`<${tag}[^>]*>`, "g"))) {
    const v = new RegExp(` ${attr}="([^"]*)"`).exec(m[0]);
    if (v) out.push(Number(v[1]));
  }
  return out;
}

Deno.test("text helpers: escaping, plotly's HTML subset, colour scales", () => {
  assertEquals(escapeXml(`<a href="x">&'`), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  assertEquals(plainTextLines("<b>bold</b> &amp; more<br>line 2"), ["bold & more", "line 2"]);
  const scale: [number, string][] = [[0, "#000000"], [1, "#ffffff"]];
  assertEquals(colorAt(scale, 0), "#000000");
  assertEquals(colorAt(scale, 1), "#ffffff");
  assertEquals(colorAt(scale, 0.5), "#808080");
  assertEquals(colorAt(scale, 7), "#ffffff", "clamped");
});

Deno.test("bars: one rect per finite value, height proportional to the value, grouped", () => {
  const fig: PlotlyFigure = {
    data: [
      { type: "bar", name: "A", x: ["MAE", "RMSE"], y: [1, 2], marker: { color: "#ff0000" } },
      { type: "bar", name: "B", x: ["MAE", "RMSE"], y: [4, null], marker: { color: "#00ff00" } },
    ],
    layout: { title: { text: "Bars" }, barmode: "group", width: 600, height: 400 },
  };
  const svg = figureToSvg(fig);
  assertEquals(count(svg, /<rect class="bar"/g), 3);
  const heights = attrValues(svg, 'rect class="bar"', "height");
  assertEquals(heights.length, 3);
  const [a1, a2, b1] = heights;
  assert(Math.abs(a2 / a1 - 2) < 0.02 && Math.abs(b1 / a1 - 4) < 0.02, heights.join());
  // Grouped: the two bars at "MAE" sit side by side.
  const xs = attrValues(svg, 'rect class="bar"', "x");
  assertNotEquals(xs[0], xs[2]);
  assertStringIncludes(svg, 'fill="#00ff00"');
  // Legend (two named traces) and title.
  assertStringIncludes(svg, ">A</text>");
  assertStringIncludes(svg, ">B</text>");
  assertStringIncludes(svg, ">Bars</text>");
  assert(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
});

Deno.test("scatter: lines break at null, markers per finite point, error bars, text", () => {
  const fig: PlotlyFigure = {
    data: [
      {
        type: "scatter",
        mode: "lines+markers",
        x: [1, 2, 3, 4],
        y: [1, null, 2, 3],
        error_y: { type: "data", array: [0.1, null, 0.2, 0.3], visible: true },
      },
      { type: "scatter", mode: "markers", x: [2], y: [2], marker: { symbol: "star", size: 12 } },
      {
        type: "scatter",
        mode: "text",
        x: [1],
        y: [3],
        text: ["label <1>"],
        textposition: "middle left",
      },
    ],
    layout: {},
  };
  const svg = figureToSvg(fig);
  const path = /<path d="(M[^"]*)" fill="none" stroke/.exec(svg)?.[1] ?? "";
  assertEquals(count(path, /M/g), 2, "the null splits the line in two");
  assertEquals(count(svg, /<circle /g), 3);
  assertEquals(count(svg, /<polygon /g), 1, "star marker");
  assertStringIncludes(svg, 'text-anchor="end"');
  assertStringIncludes(svg, "label &lt;1&gt;");
  assertEquals(count(svg, /stroke-width="1.2" fill="none"/g), 3, "three error bars");
});

Deno.test("heatmap: one cell per value, colours from the scale, category axes, shapes", () => {
  const fig = keywordOverlapFigure(
    { label: "user", keywords: [{ word: "fun", weight: 2 }, { word: "story", weight: 1 }] },
    [{ label: "item", keywords: [{ word: "fun", weight: 1 }, { word: "music", weight: 1 }] }],
  );
  const svg = figureToSvg(fig);
  assertEquals(count(svg, /<rect class="cell"/g), 4);
  // The largest share (fun in the item's profile, 50%... and the user's 67%) gets the darkest stop.
  assertStringIncludes(svg, 'fill="#1f4e8c"');
  assertStringIncludes(svg, ">67%</text>");
  assertStringIncludes(svg, ">user (user)</text>");
  assertStringIncludes(svg, ">music</text>");
  assertEquals(count(svg, /<rect class="shape"/g), 2, "the shared word outlined in both rows");
  // The shared word's tick label keeps plotly's bold red markup.
  assert(
    /<text [^>]*fill="#d62728" font-weight="bold"[^>]*>fun<\/text>/.test(svg),
    "bold red tick",
  );
  assert(/<text [^>]*fill="#444444"[^>]*>music<\/text>/.test(svg), "plain tick");
});

Deno.test("user row of the reversed category axis is drawn above the item rows", () => {
  const fig = keywordOverlapFigure(
    { label: "U", keywords: [{ word: "w", weight: 1 }] },
    [{ label: "I", keywords: [{ word: "w", weight: 1 }] }],
  );
  const svg = figureToSvg(fig);
  const ys = attrValues(svg, 'rect class="cell"', "y");
  assertEquals(ys.length, 2);
  assert(ys[0] < ys[1], `user row y ${ys[0]} must be above item row y ${ys[1]}`);
});

Deno.test("builders' figures render without NaN, deterministically, with distinct ids", () => {
  const history = [1, 2, 3].map((epoch) => ({
    epoch,
    trainLoss: 1 / epoch,
    validationMae: epoch === 2 ? NaN : 1 / epoch,
    validationRmse: 1.2 / epoch,
    seconds: 1,
  }));
  const figures = [
    learningCurvesFigure({ a: history, b: history }),
    cdDiagramFigure({
      models: ["a", "b", "c"],
      averageRanks: [1.2, 2, 2.8],
      criticalDifference: 1,
    }),
    ratingMetricsFigure({ a: { mae: { mean: 0.7, spread: 0.1 }, rmse: { mean: 0.9 } } }),
    interactionsPerEntityFigure([{ user: 1, item: 1 }, { user: 1, item: 2 }, { user: 2, item: 1 }]),
  ];
  const ids = new Set<string>();
  for (const fig of figures) {
    const svg = figureToSvg(fig);
    assert(!svg.includes("NaN") && !svg.includes("undefined") && !svg.includes("Infinity"), svg);
    assertEquals(svg, figureToSvg(fig));
    const id = /<clipPath id="([^"]*)-clip/.exec(svg)?.[1];
    assert(id !== undefined);
    ids.add(id);
    assertEquals(count(svg, /<g[ >]/g), count(svg, /<\/g>/g), "balanced groups");
    assertGreater(count(svg, /<(rect|circle|path|polygon|text)[ >]/g), 5);
  }
  assertEquals(ids.size, figures.length);
});

const CHROMIUM = "/usr/bin/chromium";
function hasChromium(name: string): boolean {
  try {
    Deno.statSync(CHROMIUM);
    return true;
  } catch {
    console.warn(`SKIP ${name}: ${CHROMIUM} is absent (install the chromium package to run it)`);
    return false;
  }
}

Deno.test({
  name: "fallback SVGs are well-formed XML (Chromium's XML parser reports no error)",
  ignore: !hasChromium("fallback SVGs are well-formed XML"),
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "drex-svg-" });
    try {
      const fig = keywordOverlapFigure(
        { label: "u & <v>", keywords: [{ word: 'a"b', weight: 1 }, { word: "c", weight: 2 }] },
        [{ label: "i", keywords: [{ word: "c", weight: 1 }] }],
      );
      const path = join(dir, "figure.svg");
      await Deno.writeTextFile(path, figureToSvg(fig));
      const out = await new Deno.Command(CHROMIUM, {
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          `--user-data-dir=${join(dir, "profile")}`,
          "--dump-dom",
          `file://${path}`,
        ],
        stdout: "piped",
        stderr: "null",
      }).output();
      const dom = new TextDecoder().decode(out.stdout);
      assertEquals(out.code, 0);
      assert(!dom.includes("parsererror"), dom.slice(0, 500));
      assertStringIncludes(dom, "u &amp; &lt;v&gt; (user)");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
