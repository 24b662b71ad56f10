/**
 * Standalone HTML report: one `.html` file that opens offline in any
 * browser, with plotly.js embedded inline (see `plotly_source.ts` for how
 * it is found), interactive figures, and a static SVG of every figure shown
 * until plotly draws (and kept where scripts do not run).
 *
 * Input ({@linkcode HtmlReportInput}), every part optional but the title:
 *
 * - `summary`: a models × metrics table ({@linkcode SummaryTable}); derived
 *   from `evaluations` when absent;
 * - `histories`: per model, its `EpochRecord[]` or `FitReport`, drawn as
 *   learning curves;
 * - `evaluations`: per model, one `EvaluationResult` or one per seeded run,
 *   drawn as the rating-accuracy bar chart and the metric-at-k grid;
 * - `explanations`: a few users with their top recommended items and
 *   keyword profiles, drawn as keyword-overlap heatmaps with a table of the
 *   shared words;
 * - `figures`: any other figures (dataset statistics, CD diagram, ...).
 *
 * Every plot `<div>` has a stable id (`plot-rating-metrics`,
 * `plot-learning-curves`, `plot-metric-at-k`, `plot-explanation-1`, ...,
 * `plot-<figure id>`) and `data-expected-*` attributes holding
 * {@linkcode plotManifest} counts (traces, markers, bars, heatmaps, heatmap
 * labels, text points, shapes), and gets `data-rendered="true"` once
 * plotly has drawn it, so a headless-browser test can check that every plot
 * really rendered its data. The file is written atomically.
 *
 * @module
 */
import { type Keyword, keywordOverlap } from "../drex/keyword_profiles.ts";
import { writeFileAtomic } from "../io/atomic_write.ts";
import type { EpochRecord, FitReport } from "../recommender.ts";
import { figureTitle, type PlotlyFigure } from "../plots/figure.ts";
import { keywordOverlapFigure } from "../plots/keyword_overlap.ts";
import { learningCurvesFigure } from "../plots/learning_curves.ts";
import { metricAtKGridFigure, protocolsPresent } from "../plots/metric_at_k.ts";
import { assignColors } from "../plots/palette.ts";
import { ratingMetricsFigure } from "../plots/rating_bars.ts";
import type { ModelEvaluations } from "../plots/seed_summary.ts";
import { figureToSvg } from "../plots/static_svg.ts";
import { type PlotManifest, plotManifest } from "./plot_manifest.ts";
import { loadPlotlySource } from "./plotly_source.ts";
import { summaryFromEvaluations, type SummaryTable } from "./report_summary.ts";

/** One recommended item of an explanation case. */
export interface ExplainedItem {
  /** Item label (id or title). */
  item: string;
  /** Predicted rating or score, shown in the table when given. */
  score?: number;
  /** The item's keyword profile (top-K words). */
  keywords: readonly Keyword[];
}

/** A user and their top recommended items, explained by shared keywords. */
export interface ExplanationCase {
  /** User label (id or name). */
  user: string;
  /** Optional model name, shown in the heading. */
  model?: string;
  /** The user's keyword profile (top-K words). */
  userKeywords: readonly Keyword[];
  /** The recommended items, best first. */
  items: readonly ExplainedItem[];
}

/** An extra figure placed in the report's "More figures" section. */
export interface ReportFigure {
  /** Stable id: the plot `<div>` gets `plot-<id>` (letters, digits and `-` kept). */
  id: string;
  /** Section heading; defaults to the figure's own title. */
  title?: string;
  /** The figure. */
  figure: PlotlyFigure;
  /** A sentence shown under the figure. */
  caption?: string;
}

/** Everything a report can show; only `title` is required. */
export interface HtmlReportInput {
  /** Report title (page title and heading). */
  title: string;
  /** A paragraph under the title (plain text). */
  description?: string;
  /** Models × metrics table; derived from `evaluations` when absent. */
  summary?: SummaryTable;
  /** Per model, its training history (records or the `FitReport`). */
  histories?: Readonly<Record<string, readonly EpochRecord[] | FitReport>>;
  /** Per model, one evaluation or one per seeded run. */
  evaluations?: ModelEvaluations;
  /** Users with their top recommendations and keyword profiles. */
  explanations?: readonly ExplanationCase[];
  /** Further figures (dataset statistics, CD diagram, ...). */
  figures?: readonly ReportFigure[];
}

/** Options for {@linkcode renderHtmlReport} and {@linkcode writeHtmlReport}. */
export interface HtmlReportOptions {
  /**
   * Colour per model name, applied in every figure; unlisted models take palette colours.
   * @default {}
   */
  colors?: Readonly<Record<string, string>>;
  /**
   * Time stamp printed under the title; `null` prints none (byte-identical reruns).
   * @default new Date()
   */
  generatedAt?: Date | null;
  /**
   * Embed a static SVG of each figure, shown until plotly draws and kept without JavaScript.
   * @default true
   */
  staticFallback?: boolean;
  /**
   * Decimals of numbers in the summary table.
   * @default 4
   */
  digits?: number;
}

/** Options for {@linkcode writeHtmlReport}. */
export interface WriteHtmlReportOptions extends HtmlReportOptions {
  /**
   * plotly.js source text to embed.
   * @default the text of the `plotly.js-dist` package, via `loadPlotlySource()`
   */
  plotlySource?: string;
  /**
   * A plotly.js file to embed, when `plotlySource` is not given.
   * @default undefined (the `plotly.js-dist` package)
   */
  plotlyPath?: string;
}

/** One plot of a report. */
export interface ReportPlot {
  /** The plot `<div>`'s id. */
  id: string;
  /** Its section heading. */
  title: string;
  /** The figure drawn there. */
  figure: PlotlyFigure;
  /** What plotly should draw (also written as `data-expected-*` attributes). */
  manifest: PlotManifest;
  /** A sentence under the plot. */
  caption?: string;
  /** HTML placed after the plot (explanation tables). */
  after?: string;
  /** Which section it belongs to. */
  section: "summary" | "training" | "ranking" | "explanations" | "figures";
}

/** A rendered report. */
export interface HtmlReport {
  /** The complete HTML document. */
  html: string;
  /** Its plots, in page order. */
  plots: ReportPlot[];
}

/** What {@linkcode writeHtmlReport} wrote. */
export interface WrittenHtmlReport {
  /** The file written. */
  path: string;
  /** Its size in bytes. */
  bytes: number;
  /** Its plots, in page order. */
  plots: ReportPlot[];
}

/** Escapes text for HTML content and attributes. */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

function slug(id: string): string {
  const s = id.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
  return s === "" ? "figure" : s;
}

function modelNames(input: HtmlReportInput): string[] {
  return [
    ...(input.summary?.rows.map((r) => r.model) ?? []),
    ...Object.keys(input.evaluations ?? {}),
    ...Object.keys(input.histories ?? {}),
  ];
}

function formatValue(value: number | string | null, digits: number): string {
  if (value === null) return "–";
  if (typeof value === "string") return escapeHtml(value);
  if (!Number.isFinite(value)) return "–";
  return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(digits);
}

/** The summary table as HTML; the best value of each column with a rule is bold. */
function summaryHtml(table: SummaryTable, digits: number): string {
  const bestRow = table.columns.map((column, c) => {
    const rule = table.best?.[column];
    if (rule === undefined) return -1;
    let best = -1;
    table.rows.forEach((row, r) => {
      const v = row.values[c];
      if (typeof v !== "number" || !Number.isFinite(v)) return;
      const current = best < 0 ? NaN : table.rows[best].values[c] as number;
      if (best < 0 || (rule === "min" ? v < current : v > current)) best = r;
    });
    return best;
  });
  const head = `<tr><th scope="col">model</th>${
    table.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join("")
  }</tr>`;
  const body = table.rows.map((row, r) => {
    const cells = table.columns.map((_, c) => {
      const v = row.values[c] ?? null;
      const spread = row.spreads?.[c];
      let text = formatValue(v, digits);
      if (typeof spread === "number" && Number.isFinite(spread) && text !== "–") {
        text += ` <span class="spread">± ${spread.toFixed(digits)}</span>`;
      }
      return `<td${bestRow[c] === r ? ' class="best"' : ""}>${text}</td>`;
    }).join("");
    return `<tr><th scope="row">${escapeHtml(row.model)}</th>${cells}</tr>`;
  }).join("\n");
  return `<table class="summary"><thead>${head}</thead><tbody>\n${body}\n</tbody></table>`;
}

/** The table under an explanation heatmap: items, scores and shared words. */
function explanationTable(c: ExplanationCase): string {
  const rows = c.items.map((item, i) => {
    const shared = keywordOverlap(c.userKeywords, item.keywords);
    const words = shared.length === 0
      ? '<span class="muted">no shared keywords</span>'
      : shared.map((w) =>
        `<span class="kw">${escapeHtml(w.word)} <small>${w.weight.toFixed(2)}</small></span>`
      ).join(" ");
    const score = item.score === undefined || !Number.isFinite(item.score)
      ? "–"
      : item.score.toFixed(3);
    return `<tr><td>${i + 1}</td><td>${
      escapeHtml(item.item)
    }</td><td class="score">${score}</td><td>${words}</td></tr>`;
  }).join("\n");
  return `<table class="explanation"><thead><tr><th>#</th><th>item</th><th class="score">score</th>` +
    `<th>shared keywords (combined weight)</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

/**
 * The report's plots, in page order, with their stable ids (pure; used by
 * {@linkcode renderHtmlReport}).
 */
export function reportPlots(input: HtmlReportInput, options: HtmlReportOptions = {}): ReportPlot[] {
  const colors = assignColors(modelNames(input), options.colors ?? {});
  const plots: ReportPlot[] = [];
  const add = (plot: Omit<ReportPlot, "manifest">): void => {
    plots.push({ ...plot, manifest: plotManifest(plot.figure) });
  };
  const evaluations = input.evaluations ?? {};
  const hasEvaluations = Object.keys(evaluations).length > 0;
  if (hasEvaluations) {
    add({
      id: "plot-rating-metrics",
      title: "Rating accuracy",
      section: "summary",
      figure: ratingMetricsFigure(evaluations, { colors }),
      caption: Object.values(evaluations).some((e) => Array.isArray(e) && e.length > 1)
        ? "MAE and RMSE on the test set; error bars are one standard deviation over seeded runs."
        : "MAE and RMSE on the test set, one run per model (no error bars: run several seeds " +
          "with `deno task compare` to see the spread).",
    });
  }
  if (input.histories && Object.keys(input.histories).length > 0) {
    add({
      id: "plot-learning-curves",
      title: "Learning curves",
      section: "training",
      figure: learningCurvesFigure(input.histories, { colors }),
      caption: "Training loss and validation error per epoch; the star marks the epoch kept.",
    });
  }
  if (hasEvaluations && protocolsPresent(evaluations).length > 0) {
    add({
      id: "plot-metric-at-k",
      title: "Ranking metrics at k",
      section: "ranking",
      figure: metricAtKGridFigure(evaluations, { colors }),
      caption: "\"test-items\" ranks each user's own test items (the paper's protocol); " +
        '"full" ranks every item the user has not interacted with.',
    });
  }
  (input.explanations ?? []).forEach((c, i) => {
    const by = c.model ? ` (${c.model})` : "";
    add({
      id: `plot-explanation-${i + 1}`,
      title: `User ${c.user}${by}`,
      section: "explanations",
      figure: keywordOverlapFigure(
        { label: c.user, keywords: c.userKeywords },
        c.items.map((item) => ({ label: item.item, keywords: item.keywords })),
        { title: `Keywords shared by user ${c.user} and their top recommendations` },
      ),
      after: explanationTable(c),
    });
  });
  const used = new Set(plots.map((p) => p.id));
  for (const extra of input.figures ?? []) {
    let id = `plot-${slug(extra.id)}`;
    for (let n = 2; used.has(id); n++) id = `plot-${slug(extra.id)}-${n}`;
    used.add(id);
    add({
      id,
      title: extra.title ?? (figureTitle(extra.figure).replace(/<[^>]*>/g, "") || extra.id),
      section: "figures",
      figure: extra.figure,
      caption: extra.caption,
    });
  }
  return plots;
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f5f7; color: #2a2a2a;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { margin: 0 0 6px; font-size: 28px; }
h2 { margin: 36px 0 12px; font-size: 21px; border-bottom: 2px solid #dde1e6; padding-bottom: 4px; }
h3 { margin: 0 0 8px; font-size: 17px; }
.meta, .muted, figcaption { color: #666; }
nav ul { display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 0; list-style: none; }
nav a { color: #1f5c99; text-decoration: none; }
.card { background: #fff; border: 1px solid #e1e4e8; border-radius: 8px; padding: 16px;
  margin: 0 0 18px; box-shadow: 0 1px 2px rgba(0,0,0,0.04); }
.plot { width: 100%; }
.static-fallback svg { max-width: 100%; height: auto; }
figure { margin: 0; }
figcaption { font-size: 13px; margin-top: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { padding: 6px 10px; border-bottom: 1px solid #e6e8eb; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
table.explanation th, table.explanation td { text-align: left; }
table.explanation td:last-child { white-space: normal; }
table.explanation td.score, table.explanation th.score { text-align: right; }
thead th { background: #f0f2f5; }
td.best { font-weight: 700; }
.spread { color: #777; font-size: 12px; }
.kw { display: inline-block; background: #fdecea; color: #a0221b; border-radius: 10px;
  padding: 0 8px; margin: 1px 2px; }
.kw small { color: #7a5350; }
footer { max-width: 1200px; margin: 24px auto; padding: 0 24px 32px; color: #777; font-size: 13px; }
`;

const RENDER_SCRIPT = `
(function () {
  "use strict";
  var figures = JSON.parse(document.getElementById("drex-figures").textContent);
  var config = { responsive: true, displaylogo: false };
  Object.keys(figures).forEach(function (id) {
    var el = document.getElementById(id);
    if (!el) return;
    if (typeof Plotly === "undefined") { el.setAttribute("data-rendered", "no-plotly"); return; }
    var fallback = el.querySelector(".static-fallback");
    if (fallback) fallback.remove();
    var fail = function (err) {
      el.setAttribute("data-rendered", "error");
      el.setAttribute("data-error", String(err && err.message || err));
    };
    try {
      Plotly.newPlot(el, figures[id].data, figures[id].layout, config).then(function () {
        el.setAttribute("data-rendered", "true");
      }, fail);
    } catch (err) { fail(err); }
  });
})();
`;

/** Makes text safe inside a `<script>` element. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, "<\\/$1").replaceAll("<!--", "<\\!--");
}

function plotHtml(plot: ReportPlot, staticFallback: boolean): string {
  const m = plot.manifest;
  const attrs = [
    `id="${plot.id}"`,
    'class="plot"',
    `data-section="${plot.section}"`,
    `data-expected-traces="${m.traces}"`,
    `data-expected-markers="${m.markers}"`,
    `data-expected-bars="${m.bars}"`,
    `data-expected-heatmaps="${m.heatmaps}"`,
    `data-expected-heatmap-labels="${m.heatmapLabels}"`,
    `data-expected-text-points="${m.textPoints}"`,
    `data-expected-shapes="${m.shapes}"`,
    `style="min-height:${plot.figure.layout.height ?? 450}px"`,
  ].join(" ");
  const fallback = staticFallback
    ? `<div class="static-fallback">${figureToSvg(plot.figure, { width: 1150 })}</div>`
    : "";
  const caption = plot.caption ? `<figcaption>${escapeHtml(plot.caption)}</figcaption>` : "";
  return `<figure class="card"><h3>${escapeHtml(plot.title)}</h3><div ${attrs}>${fallback}</div>` +
    `${caption}${plot.after ?? ""}</figure>`;
}

/**
 * The report as one HTML document, with `plotlySource` (the plotly.js
 * text) embedded inline. Pure: no file or network access.
 */
export function renderHtmlReport(
  input: HtmlReportInput,
  plotlySource: string,
  options: HtmlReportOptions = {},
): HtmlReport {
  const { generatedAt = new Date(), staticFallback = true, digits = 4 } = options;
  const plots = reportPlots(input, options);
  const summary = input.summary ??
    (input.evaluations && Object.keys(input.evaluations).length > 0
      ? summaryFromEvaluations(input.evaluations)
      : undefined);
  const sections: { id: string; title: string; body: string }[] = [];
  const bySection = (section: ReportPlot["section"]): string =>
    plots.filter((p) => p.section === section).map((p) => plotHtml(p, staticFallback)).join("\n");
  const summaryBody = (summary ? `<div class="card">${summaryHtml(summary, digits)}</div>` : "") +
    bySection("summary");
  if (summaryBody) sections.push({ id: "summary", title: "Summary", body: summaryBody });
  const titles: [ReportPlot["section"], string][] = [
    ["training", "Training"],
    ["ranking", "Ranking metrics"],
    ["explanations", "Explanations"],
    ["figures", "More figures"],
  ];
  for (const [id, title] of titles) {
    const body = bySection(id);
    if (body) sections.push({ id, title, body });
  }
  const nav = sections.length > 1
    ? `<nav><ul>${
      sections.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`).join("")
    }</ul></nav>`
    : "";
  const stamp = generatedAt === null
    ? ""
    : `Generated ${generatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC · `;
  const meta = `<p class="meta">${stamp}${plots.length} plot${plots.length === 1 ? "" : "s"}</p>`;
  const description = input.description ? `<p>${escapeHtml(input.description)}</p>` : "";
  const figures: Record<string, PlotlyFigure> = {};
  for (const p of plots) figures[p.id] = p.figure;
  const figureJson = JSON.stringify(figures).replaceAll("<", "\\u003c");
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="DReX for Deno">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(input.title)}</h1>${description}${meta}${nav}</header>
<main>
${
    sections.map((s) =>
      `<section id="${s.id}"><h2>${escapeHtml(s.title)}</h2>\n${s.body}\n</section>`
    )
      .join("\n")
  }
</main>
<footer>Self-contained report: plotly.js is embedded, nothing is loaded from the network.</footer>
<script type="application/json" id="drex-figures">${figureJson}</script>
<script>${scriptSafe(plotlySource)}</script>
<script>${RENDER_SCRIPT}</script>
</body>
</html>
`;
  return { html, plots };
}

/**
 * Renders the report and writes it to `path` atomically (a temporary file
 * beside it, then a rename), creating the folder when needed.
 *
 * @example
 * ```ts
 * import { writeHtmlReport } from "./html_report.ts";
 * await writeHtmlReport("out/report.html", {
 *   title: "DReX on Video Games",
 *   histories: { DReX: fitReport },
 *   evaluations: { DReX: evaluation, GlobalMean: baseline },
 * });
 * ```
 */
export async function writeHtmlReport(
  path: string,
  input: HtmlReportInput,
  options: WriteHtmlReportOptions = {},
): Promise<WrittenHtmlReport> {
  const source = options.plotlySource ??
    await loadPlotlySource(options.plotlyPath === undefined ? {} : { path: options.plotlyPath });
  const report = renderHtmlReport(input, source, options);
  const bytes = new TextEncoder().encode(report.html);
  await writeFileAtomic(path, bytes);
  return { path, bytes: bytes.length, plots: report.plots };
}
