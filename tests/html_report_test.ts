/**
 * The standalone HTML report: built from synthetic inputs (no training),
 * opened in headless Chromium, and checked plot by plot against what
 * plotly actually drew (SVG traces, marker points, bars, heatmap images and
 * labels, text points, shapes), then screenshotted to
 * `out/ci/report-screenshot.png` as a CI artifact.
 */
import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertGreater,
  assertMatch,
  assertStringIncludes,
} from "./support/assert.ts";
import { repoPath } from "./support/shared.ts";
import type { EvaluationResult, MetricsAtK, ProtocolMetrics } from "../lib/metrics/evaluate.ts";
import type { EpochRecord, FitReport } from "../lib/recommender.ts";
import type { Keyword } from "../lib/drex/keyword_profiles.ts";
import { computeStats, type SplitStats } from "../lib/data/stats.ts";
import type { IndexedInteraction } from "../lib/data/types.ts";
import { cdDiagramFigure } from "../lib/plots/cd_diagram.ts";
import {
  interactionsPerEntityFigure,
  ratingHistogramFigure,
  splitCountsFigure,
} from "../lib/plots/dataset_stats.ts";
import {
  escapeHtml,
  type HtmlReportInput,
  renderHtmlReport,
  reportPlots,
  writeHtmlReport,
} from "../lib/report/html_report.ts";
import type { PlotManifest } from "../lib/report/plot_manifest.ts";

const CHROMIUM = "/usr/bin/chromium";

function hasChromium(testName: string): boolean {
  try {
    Deno.statSync(CHROMIUM);
    return true;
  } catch {
    console.warn(
      `SKIP ${testName}: ${CHROMIUM} is absent (install the chromium package to run it)`,
    );
    return false;
  }
}

// ---------------------------------------------------------------- synthetic inputs

const CUTOFFS = [1, 2, 3, 4, 5, 10, 15, 20];

function atK(f: (k: number) => number): MetricsAtK {
  const out: MetricsAtK = {};
  for (const k of CUTOFFS) out[k] = f(k);
  return out;
}

function protocol(quality: number, full: boolean, jitter: number): ProtocolMetrics {
  const q = quality + jitter;
  return {
    users: full ? 410 : 380,
    usersWithRelevant: full ? 410 : 350,
    ndcg: atK((k) => full ? q * 0.2 * Math.log2(1 + k) / 4.4 : 0.6 * q + 0.35 * q * (1 - 1 / k)),
    precision: atK((k) => full ? q * 0.08 / Math.sqrt(k) : q * 0.9 / Math.sqrt(k)),
    recall: atK((k) => full ? Math.min(1, q * 0.03 * k) : Math.min(1, q * 0.3 * k)),
    f1: atK((k) => full ? q * 0.04 / Math.sqrt(k) : q * 0.5 / Math.sqrt(k)),
    hitRate: atK((k) => Math.min(1, (full ? 0.05 : 0.5) * q * Math.log2(1 + k))),
  };
}

function evaluation(quality: number, jitter = 0, withFull = true): EvaluationResult {
  return {
    mae: 0.95 - 0.3 * quality + jitter,
    rmse: 1.25 - 0.3 * quality + jitter * 1.3,
    ratedTestInteractions: 6300,
    ranking: {
      "test-items": protocol(quality, false, jitter),
      ...(withFull ? { full: protocol(quality, true, jitter) } : {}),
    },
  };
}

function history(epochs: number, floor: number, best: number): EpochRecord[] {
  return Array.from({ length: epochs }, (_, i) => {
    const e = i + 1;
    const overfit = Math.max(0, e - best) * 0.006;
    return {
      epoch: e,
      trainLoss: 1.6 * Math.exp(-e / 4) + floor,
      validationMae: floor + 0.45 * Math.exp(-e / 3) + overfit,
      validationRmse: floor + 0.3 + 0.5 * Math.exp(-e / 3) + overfit,
      seconds: 1.2,
    };
  });
}

function keywords(words: string[], scale: number): Keyword[] {
  return words.map((word, i) => ({ word, weight: scale * (words.length - i) }));
}

function syntheticSplit(): {
  train: IndexedInteraction[];
  validation: IndexedInteraction[];
  test: IndexedInteraction[];
} {
  const all: IndexedInteraction[] = [];
  for (let user = 0; user < 60; user++) {
    const n = 5 + ((user * 7) % 23) + (user % 9 === 0 ? 40 : 0);
    for (let j = 0; j < n; j++) {
      const item = (user * 13 + j * 17) % 90;
      all.push({ user, item, rating: 1 + ((user + j * 3) % 5), timestamp: j });
    }
  }
  const parts = {
    train: [] as IndexedInteraction[],
    validation: [] as IndexedInteraction[],
    test: [] as IndexedInteraction[],
  };
  all.forEach((x, i) => {
    const r = i % 10;
    (r < 7 ? parts.train : r < 8 ? parts.validation : parts.test).push(x);
  });
  return parts;
}

/** A report input exercising every section and every figure builder. */
function syntheticReportInput(): HtmlReportInput {
  const mlpReport: FitReport = {
    history: history(16, 0.62, 11),
    bestEpoch: 11,
    stoppedEarly: true,
    seconds: 20,
  };
  const split = syntheticSplit();
  const stats: SplitStats = {
    all: computeStats([...split.train, ...split.validation, ...split.test]),
    train: computeStats(split.train),
    validation: computeStats(split.validation),
    test: computeStats(split.test),
  };
  return {
    title: "Synthetic report <test> & checks",
    description: "Synthetic numbers, no training: checks that every plot renders offline.",
    histories: {
      DReX: history(20, 0.6, 14),
      "DReX-MLP": mlpReport,
      BiasedMF: history(10, 0.7, 8),
    },
    evaluations: {
      DReX: [evaluation(0.9, 0), evaluation(0.9, 0.012), evaluation(0.9, -0.008)],
      "DReX-MLP": [evaluation(0.85, 0.004), evaluation(0.85, -0.01), evaluation(0.85, 0.006)],
      BiasedMF: evaluation(0.7),
      GlobalMean: evaluation(0.4, 0, false),
    },
    explanations: [
      {
        user: "A3F9",
        model: "DReX",
        userKeywords: keywords(
          ["graphics", "story", "controls", "price", "multiplayer", "fun"],
          0.4,
        ),
        items: [
          {
            item: "B00ZELDA",
            score: 4.71,
            keywords: keywords(["story", "graphics", "puzzle", "world"], 3),
          },
          {
            item: "B01KART",
            score: 4.52,
            keywords: keywords(["multiplayer", "fun", "controls", "track"], 2),
          },
          { item: "B02SIMS", score: 4.33, keywords: keywords(["build", "life", "price"], 5) },
        ],
      },
      {
        user: "Q77X",
        userKeywords: keywords(["install", "license", "support", "update"], 1),
        items: [
          { item: "S-OFFICE", score: 4.1, keywords: keywords(["license", "update", "word"], 4) },
          { item: "S-ANTIVIRUS", keywords: keywords(["scan", "virus", "support"], 2) },
        ],
      },
    ],
    figures: [
      {
        id: "cd-diagram",
        figure: cdDiagramFigure({
          models: ["DReX", "DReX-MLP", "DeepCoNN", "BiasedMF", "GlobalMean"],
          averageRanks: [1.6, 1.9, 3.1, 3.6, 4.8],
          criticalDifference: 1.45,
          alpha: 0.05,
        }),
        caption: "Models joined by a bar do not differ significantly.",
      },
      { id: "ratings", figure: ratingHistogramFigure({ train: stats.train, test: stats.test }) },
      { id: "split", figure: splitCountsFigure(stats) },
      { id: "activity", figure: interactionsPerEntityFigure(split.train) },
    ],
  };
}

// ---------------------------------------------------------------- DOM checks

function chromiumArgs(profile: string): string[] {
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--user-data-dir=${profile}`,
    "--hide-scrollbars",
    "--virtual-time-budget=15000",
  ];
}

async function runChromium(
  args: string[],
): Promise<{ stdout: string; code: number; stderr: string }> {
  const profile = await Deno.makeTempDir({ prefix: "drex-chromium-" });
  try {
    const command = new Deno.Command(CHROMIUM, {
      args: [...chromiumArgs(profile), ...args],
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    });
    const child = command.spawn();
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* already exited */ }
    }, 180_000);
    const out = await child.output();
    clearTimeout(timer);
    const decoder = new TextDecoder();
    return {
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
      code: out.code,
    };
  } finally {
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}

interface Rendered extends PlotManifest {
  rendered: string | null;
  images: number;
}

function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(pattern)].length;
}

/** Bars plotly drew with a non-empty area (`g.point > path`; a null or zero bar is a flat path). */
function drawnBars(text: string): number {
  let n = 0;
  for (const m of text.matchAll(/<g class="point"><path d="([^"]*)"/g)) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (const [, command, args] of m[1].matchAll(/([MLHVZ])([^MLHVZ]*)/gi)) {
      const values = args.split(/[ ,]+/).filter((v) => v !== "").map(Number);
      const c = command.toUpperCase();
      if (c === "M" || c === "L") {
        xs.push(values[0]);
        ys.push(values[1]);
      } else if (c === "H") xs.push(values[0]);
      else if (c === "V") ys.push(values[0]);
    }
    const width = Math.max(...xs) - Math.min(...xs);
    const height = Math.max(...ys) - Math.min(...ys);
    if (width > 0 && height > 0) n++;
  }
  return n;
}

/** What plotly rendered inside each plot `<div>` of a dumped DOM. */
function renderedPlots(dom: string, ids: readonly string[]): Map<string, Rendered> {
  const out = new Map<string, Rendered>();
  for (const id of ids) {
    const start = dom.indexOf(`<div id="${id}"`);
    assert(start >= 0, `plot div ${id} missing from the rendered DOM`);
    const ends = [dom.indexOf('<figure class="card">', start + 1), dom.indexOf("</main>", start)]
      .filter((i) => i > 0);
    const html = dom.slice(start, Math.min(...ends));
    const rendered = /data-rendered="([^"]*)"/.exec(html.slice(0, 2000))?.[1] ?? null;
    out.set(id, {
      rendered,
      traces: count(html, /class="trace (?:scatter|bars)\b/g) + count(html, /<g class="hm"/g),
      markers: count(html, /<path class="point[" ]/g),
      bars: drawnBars(html),
      heatmaps: count(html, /<g class="hm"/g),
      images: count(html, /<image [^>]*href="data:image\/png;base64,/g),
      heatmapLabels: count(html, /class="heatmap-label"/g),
      textPoints: count(html, /class="textpoint"/g),
      shapes: count(html, /class="shape-group"/g),
    });
  }
  return out;
}

// ---------------------------------------------------------------- tests

Deno.test("reportPlots gives stable ids and expected counts for every section", () => {
  const plots = reportPlots(syntheticReportInput());
  assertEquals(plots.map((p) => p.id), [
    "plot-rating-metrics",
    "plot-learning-curves",
    "plot-metric-at-k",
    "plot-explanation-1",
    "plot-explanation-2",
    "plot-cd-diagram",
    "plot-ratings",
    "plot-split",
    "plot-activity",
  ]);
  const byId = new Map(plots.map((p) => [p.id, p.manifest]));
  // 4 models x 2 metrics, one bar each.
  assertEquals(byId.get("plot-rating-metrics")?.bars, 8);
  // 5 metrics x 8 cut-offs x (4 models under test-items + 3 under full).
  assertEquals(byId.get("plot-metric-at-k")?.markers, 5 * 8 * 7);
  assertEquals(byId.get("plot-explanation-1")?.heatmaps, 1);
  assertGreater(byId.get("plot-explanation-1")?.shapes ?? 0, 0);
  assertGreater(byId.get("plot-cd-diagram")?.textPoints ?? 0, 5);
});

Deno.test("renderHtmlReport escapes text, embeds the figures and the given script inline", () => {
  const { html, plots } = renderHtmlReport(syntheticReportInput(), "/*PLOTLY*/ var Plotly;", {
    generatedAt: null,
  });
  assertStringIncludes(html, `<title>${escapeHtml("Synthetic report <test> & checks")}</title>`);
  assert(!html.includes("<test>"), "raw title text must be escaped");
  assertStringIncludes(html, "/*PLOTLY*/ var Plotly;");
  assert(!/<script[^>]+src=/i.test(html), "no external script");
  assert(!/https?:\/\/(?!www\.w3\.org)/.test(html.replace(/xmlns(:\w+)?="[^"]*"/g, "")), "no URL");
  for (const p of plots) assertMatch(html, new RegExp(`<div id="${p.id}" class="plot"`));
  assertMatch(html, /data-expected-markers="280"/);
  assert(!html.includes("Generated "), "generatedAt: null prints no time stamp");
  // Same input, same bytes.
  assertEquals(
    renderHtmlReport(syntheticReportInput(), "", { generatedAt: null }).html,
    renderHtmlReport(syntheticReportInput(), "", { generatedAt: null }).html,
  );
});

Deno.test("renderHtmlReport keeps a </script> inside embedded code from closing the element", () => {
  const { html } = renderHtmlReport({ title: "t" }, 'var s = "</script><b>";', {
    generatedAt: null,
  });
  assert(!html.includes('"</script><b>"'));
  assertStringIncludes(html, 'var s = "<\\/script><b>";');
});

Deno.test({
  name: "HTML report renders every plot with its data in headless Chromium",
  ignore: !hasChromium("HTML report renders every plot with its data in headless Chromium"),
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "drex-report-" });
    try {
      const path = join(dir, "report.html");
      const input = syntheticReportInput();
      const written = await writeHtmlReport(path, input);
      assertGreater(written.bytes, 5_000_000, "plotly.js must be embedded");
      const html = await Deno.readTextFile(path);
      assert(!/<script[^>]+src=/i.test(html), "the report loads no external script");
      assert(!html.includes(dir), "the report holds no absolute machine path");

      const { stdout, code } = await runChromium(["--dump-dom", `file://${path}`]);
      assertEquals(code, 0, "chromium --dump-dom failed");
      const ids = written.plots.map((p) => p.id);
      const rendered = renderedPlots(stdout, ids);
      for (const plot of written.plots) {
        const got = rendered.get(plot.id) as Rendered;
        const want = plot.manifest;
        const where = `${plot.id}: expected ${JSON.stringify(want)}, rendered ${
          JSON.stringify(got)
        }`;
        assertEquals(got.rendered, "true", `${where} (plotly did not finish)`);
        assertEquals(got.traces, want.traces, `${where} (traces)`);
        assertEquals(got.markers, want.markers, `${where} (marker points)`);
        assertEquals(got.bars, want.bars, `${where} (bars)`);
        assertEquals(got.heatmaps, want.heatmaps, `${where} (heatmaps)`);
        assertEquals(got.images, want.heatmaps, `${where} (heatmap images)`);
        assertEquals(got.heatmapLabels, want.heatmapLabels, `${where} (heatmap labels)`);
        assertEquals(got.textPoints, want.textPoints, `${where} (text points)`);
        assertEquals(got.shapes, want.shapes, `${where} (shapes)`);
        assertGreater(
          got.markers + got.bars + got.heatmaps + got.textPoints,
          0,
          `${plot.id} drew no data at all`,
        );
        // The DOM's own expectation attributes agree with the manifest.
        assertStringIncludes(stdout, `data-expected-markers="${want.markers}"`);
      }
      assert(!stdout.includes('class="static-fallback"'), "fallbacks are replaced by plotly");

      // Screenshot artifact for CI, tall enough for the whole page.
      const outDir = repoPath("out", "ci");
      await Deno.mkdir(outDir, { recursive: true });
      const shot = join(outDir, "report-screenshot.png");
      await Deno.remove(shot).catch(() => {});
      const height = written.plots.reduce((s, p) => s + (p.figure.layout.height ?? 450) + 120, 900);
      const screenshot = await runChromium([
        `--screenshot=${shot}`,
        `--window-size=1280,${Math.min(16000, height)}`,
        `file://${path}`,
      ]);
      assertEquals(screenshot.code, 0, "chromium --screenshot failed");
      const png = await Deno.readFile(shot);
      assertEquals([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(""), "PNG");
      assertGreater(png.length, 50_000, "the screenshot is suspiciously small");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("the rating-accuracy caption speaks of error bars only when there are several runs", () => {
  const input = syntheticReportInput();
  const caption = (i: typeof input) =>
    reportPlots(i).find((p) => p.id === "plot-rating-metrics")?.caption ?? "";
  const single = {
    ...input,
    evaluations: Object.fromEntries(
      Object.entries(input.evaluations ?? {}).map(([n, e]) => [n, Array.isArray(e) ? e[0] : e]),
    ),
  };
  assertStringIncludes(caption(single), "one run per model (no error bars");
  const several = {
    ...input,
    evaluations: Object.fromEntries(
      Object.entries(input.evaluations ?? {}).map(([n, e]) => [n, Array.isArray(e) ? e : [e, e]]),
    ),
  };
  assertStringIncludes(caption(several), "one standard deviation over seeded runs");
});
