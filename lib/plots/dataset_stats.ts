/**
 * Dataset statistics figures: the rating histogram (of one interaction set
 * or several side by side), the distributions of interactions per user and
 * per item (binned here, so the figure stays small for millions of
 * interactions), and the train / validation / test counts of a split.
 *
 * @module
 */
import type { CountSummary, DatasetStats, SplitStats } from "../data/stats.ts";
import type { PlotlyAnnotation, PlotlyAxis, PlotlyFigure, PlotlyTrace } from "./figure.ts";
import { axis, axisId, axisKey, baseLayout, cellTitle, gridCells, plotlyText } from "./layout.ts";
import { assignColors, paletteColor } from "./palette.ts";
import { median } from "../stats/median.ts";

/** Options for {@linkcode ratingHistogramFigure}. */
export interface RatingHistogramOptions {
  /**
   * Figure title.
   * @default "Rating distribution"
   */
  title?: string;
  /**
   * Show each set's share of its rated interactions (%) instead of counts,
   * so sets of different sizes compare.
   * @default false
   */
  share?: boolean;
  /**
   * Colour per set name; sets not listed take palette colours in order.
   * @default {}
   */
  colors?: Readonly<Record<string, string>>;
  /**
   * Figure height in pixels.
   * @default 400
   */
  height?: number;
}

/** Options for {@linkcode interactionsPerEntityFigure}. */
export interface InteractionsPerEntityOptions {
  /**
   * Figure title.
   * @default "Interactions per user and per item"
   */
  title?: string;
  /**
   * Log-scale count axis (the distributions are long-tailed).
   * @default true
   */
  logCounts?: boolean;
  /**
   * Counts spanning at most this many distinct values get one bar per value;
   * wider spans get bins on a 1-2-3-5 grid.
   * @default 30
   */
  maxUnitBins?: number;
  /**
   * Figure height in pixels.
   * @default 400
   */
  height?: number;
}

/** Options for {@linkcode splitCountsFigure}. */
export interface SplitCountsOptions {
  /**
   * Figure title.
   * @default "Train / validation / test split"
   */
  title?: string;
  /**
   * Figure height in pixels.
   * @default 380
   */
  height?: number;
}

/** One bar of a binned count distribution. */
export interface CountBin {
  /** Smallest count in the bin. */
  low: number;
  /** Largest count in the bin. */
  high: number;
  /** `"7"` or `"11–15"`. */
  label: string;
  /** How many entities have a count in `[low, high]`. */
  entities: number;
}

function isStats(value: unknown): value is DatasetStats {
  return typeof value === "object" && value !== null &&
    typeof (value as DatasetStats).interactions === "number" &&
    Array.isArray((value as DatasetStats).ratingHistogram);
}

/**
 * Bar chart of how many interactions have each rating value, for one set or
 * for several sets as grouped bars (for a split, pass
 * `{ train: s.train, validation: s.validation, test: s.test }`).
 */
export function ratingHistogramFigure(
  stats: DatasetStats | Readonly<Record<string, DatasetStats>>,
  options: RatingHistogramOptions = {},
): PlotlyFigure {
  const { title = "Rating distribution", share = false, colors = {}, height = 400 } = options;
  const sets: [string, DatasetStats][] = isStats(stats)
    ? [["interactions", stats]]
    : Object.entries(stats);
  const ratings = [...new Set(sets.flatMap(([, s]) => s.ratingHistogram.map((h) => h.rating)))]
    .sort((a, b) => a - b);
  const palette = assignColors(sets.map(([name]) => name), colors);
  const data: PlotlyTrace[] = sets.map(([name, s]) => {
    const rated = s.ratingHistogram.reduce((sum, h) => sum + h.count, 0);
    const counts = ratings.map((r) => s.ratingHistogram.find((h) => h.rating === r)?.count ?? 0);
    const y = share ? counts.map((c) => rated === 0 ? 0 : (100 * c) / rated) : counts;
    return {
      type: "bar",
      name: plotlyText(name),
      x: ratings.map(String),
      y,
      text: y.map((v) => share ? `${v.toFixed(1)}%` : v.toLocaleString("en-US")),
      textposition: "outside",
      cliponaxis: false,
      marker: { color: palette[name] },
      hovertemplate: `${plotlyText(name)}<br>rating %{x}: %{text}<extra></extra>`,
    };
  });
  const layout = baseLayout(title, height);
  layout.barmode = "group";
  layout.showlegend = sets.length > 1;
  layout.xaxis = axis("rating", { type: "category" });
  layout.yaxis = axis(share ? "share of rated interactions (%)" : "interactions", {
    rangemode: "tozero",
  });
  return { data, layout };
}

const NICE_STEPS = [1, 1.5, 2, 3, 5, 7.5];

/** Upper bin edges above 10: 15, 20, 30, 50, 75, 100, 150, ... */
function niceEdges(max: number): number[] {
  const edges: number[] = [];
  for (let scale = 10; edges.length === 0 || edges[edges.length - 1] < max; scale *= 10) {
    for (const step of NICE_STEPS) {
      const edge = Math.round(step * scale);
      if (edge > 10) edges.push(edge);
      if (edge >= max) break;
    }
  }
  return edges;
}

/**
 * Bins a list of per-entity counts: one bin per value when the values span
 * at most `maxUnitBins` distinct integers, else one bin per value up to 10
 * and then bins ending at 15, 20, 30, 50, 75, 100, 150, ... Leading and
 * trailing empty bins are dropped.
 */
export function countBins(counts: readonly number[], maxUnitBins = 30): CountBin[] {
  if (counts.length === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const c of counts) {
    if (c < min) min = c;
    if (c > max) max = c;
  }
  const bins: CountBin[] = [];
  const unit = (v: number): CountBin => ({ low: v, high: v, label: String(v), entities: 0 });
  if (max - min + 1 <= maxUnitBins) {
    for (let v = min; v <= max; v++) bins.push(unit(v));
  } else {
    for (let v = Math.max(0, Math.min(min, 10)); v <= 10; v++) bins.push(unit(v));
    let low = 11;
    for (const edge of niceEdges(max)) {
      bins.push({ low, high: edge, label: `${low}–${edge}`, entities: 0 });
      low = edge + 1;
    }
  }
  for (const c of counts) {
    const bin = bins.find((b) => c >= b.low && c <= b.high);
    if (bin !== undefined) bin.entities++;
  }
  let first = 0;
  let last = bins.length - 1;
  while (first < last && bins[first].entities === 0) first++;
  while (last > first && bins[last].entities === 0) last--;
  return bins.slice(first, last + 1);
}

/** A log count axis from below 1 (so a count of 1 still shows a bar) with ticks at 1, 2, 5, 10, 20, ... */
function logCountAxis(most: number): PlotlyAxis {
  const tickvals: number[] = [];
  for (let scale = 1; scale <= most * 1.5; scale *= 10) {
    for (const m of [1, 2, 5]) if (m * scale <= most * 1.5) tickvals.push(m * scale);
  }
  return {
    type: "log",
    range: [Math.log10(0.5), Math.log10(most * 1.8)],
    tickvals,
    ticktext: tickvals.map((v) => v.toLocaleString("en-US")),
  };
}

/** Interactions per user and per item of a set of (raw or indexed) interactions. */
export function interactionCounts(
  interactions: Iterable<{ user: string | number; item: string | number }>,
): { perUser: number[]; perItem: number[] } {
  const users = new Map<string | number, number>();
  const items = new Map<string | number, number>();
  for (const x of interactions) {
    users.set(x.user, (users.get(x.user) ?? 0) + 1);
    items.set(x.item, (items.get(x.item) ?? 0) + 1);
  }
  return { perUser: [...users.values()], perItem: [...items.values()] };
}

function summaryText(counts: readonly number[], noun: string): string {
  if (counts.length === 0) return `no ${noun}s`;
  const summary: CountSummary = {
    min: Math.min(...counts),
    median: median([...counts]),
    mean: counts.reduce((s, v) => s + v, 0) / counts.length,
    max: Math.max(...counts),
  };
  return `${counts.length.toLocaleString("en-US")} ${noun}s; min ${summary.min}, ` +
    `median ${summary.median}, mean ${summary.mean.toFixed(1)}, max ${summary.max}`;
}

/**
 * Two bar charts side by side: how many users (left) and items (right) have
 * each number of interactions, binned by {@linkcode countBins}, counts on a
 * log axis by default. Subplot titles give min / median / mean / max.
 */
export function interactionsPerEntityFigure(
  interactions: Iterable<{ user: string | number; item: string | number }>,
  options: InteractionsPerEntityOptions = {},
): PlotlyFigure {
  const {
    title = "Interactions per user and per item",
    logCounts = true,
    maxUnitBins = 30,
    height = 400,
  } = options;
  const { perUser, perItem } = interactionCounts(interactions);
  const cells = gridCells(1, 2, 0.1);
  const layout = baseLayout(title, height);
  layout.showlegend = false;
  layout.bargap = 0.08;
  layout.margin = { l: 70, r: 30, t: 100, b: 90 };
  const data: PlotlyTrace[] = [];
  const annotations: PlotlyAnnotation[] = [];
  const parts: [string, number[]][] = [["user", perUser], ["item", perItem]];
  parts.forEach(([noun, counts], i) => {
    const cell = cells[i];
    const bins = countBins(counts, maxUnitBins);
    data.push({
      type: "bar",
      name: `${noun}s`,
      xaxis: axisId("x", i),
      yaxis: axisId("y", i),
      x: bins.map((b) => b.label),
      // An empty bin has no height on a log axis: leave a gap.
      y: bins.map((b) => logCounts && b.entities === 0 ? null : b.entities),
      marker: { color: paletteColor(i) },
      hovertemplate: `%{y} ${noun}s with %{x} interactions<extra></extra>`,
    });
    annotations.push(cellTitle(cell, `Interactions per ${noun}`));
    annotations.push({
      text: summaryText(counts, noun),
      x: (cell.xDomain[0] + cell.xDomain[1]) / 2,
      y: cell.yDomain[1],
      xref: "paper",
      yref: "paper",
      xanchor: "center",
      yanchor: "bottom",
      yshift: -14,
      showarrow: false,
      font: { size: 11, color: "#666666" },
    });
    layout[axisKey("x", i)] = axis(`interactions per ${noun}`, {
      type: "category",
      domain: cell.xDomain,
      anchor: axisId("y", i),
      tickangle: -45,
    });
    const most = Math.max(1, ...bins.map((b) => b.entities));
    layout[axisKey("y", i)] = axis(`${noun}s`, {
      domain: [cell.yDomain[0], cell.yDomain[1] - 0.06],
      anchor: axisId("x", i),
      ...(logCounts ? logCountAxis(most) : { rangemode: "tozero" as const }),
    });
  });
  layout.annotations = annotations;
  return { data, layout };
}

/**
 * Interactions, users and items of each split part, as three bar charts;
 * interaction bars are labelled with their share of all interactions.
 */
export function splitCountsFigure(
  stats: SplitStats,
  options: SplitCountsOptions = {},
): PlotlyFigure {
  const { title = "Train / validation / test split", height = 380 } = options;
  const parts = ["train", "validation", "test"] as const;
  const quantities = [["interactions", "Interactions"], ["users", "Users"], [
    "items",
    "Items",
  ]] as const;
  const cells = gridCells(1, 3, 0.08);
  const layout = baseLayout(title, height);
  layout.showlegend = false;
  layout.margin = { l: 70, r: 30, t: 90, b: 50 };
  const data: PlotlyTrace[] = [];
  const annotations: PlotlyAnnotation[] = [];
  const total = parts.reduce((s, p) => s + stats[p].interactions, 0);
  quantities.forEach(([key, label], i) => {
    const y = parts.map((p) => stats[p][key]);
    const text = y.map((v) =>
      key === "interactions" && total > 0
        ? `${v.toLocaleString("en-US")} (${((100 * v) / total).toFixed(1)}%)`
        : v.toLocaleString("en-US")
    );
    data.push({
      type: "bar",
      name: label,
      xaxis: axisId("x", i),
      yaxis: axisId("y", i),
      x: [...parts],
      y,
      text,
      textposition: "outside",
      cliponaxis: false,
      marker: { color: parts.map((_, j) => paletteColor(j)) },
      hovertemplate: `%{x}: %{text} ${key}<extra></extra>`,
    });
    annotations.push(cellTitle(cells[i], label));
    layout[axisKey("x", i)] = axis("", {
      type: "category",
      domain: cells[i].xDomain,
      anchor: axisId("y", i),
    });
    layout[axisKey("y", i)] = axis(i === 0 ? "count" : "", {
      domain: cells[i].yDomain,
      anchor: axisId("x", i),
      rangemode: "tozero",
    });
  });
  layout.annotations = annotations;
  return { data, layout };
}
