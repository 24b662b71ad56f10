/**
 * Keyword-overlap explanation figure: a user's top-K keyword profile against
 * the profiles of several recommended items, as a heatmap with one row per
 * profile (the user on top) and one column per word. A cell's colour and
 * label are the word's share of that profile's weight (as in
 * {@linkcode keywordOverlap}); cells of words the user and an item share are
 * outlined in red, and shared words are set in bold red on the word axis,
 * so which words connect the user to each item, and how strongly, reads at a
 * glance.
 *
 * @module
 */
import { type Keyword, keywordOverlap } from "../drex/keyword_profiles.ts";
import type { PlotlyFigure, PlotlyShape, PlotlyTrace } from "./figure.ts";
import { axis, baseLayout, plotlyText } from "./layout.ts";
import { INK } from "./palette.ts";

/** A labelled keyword profile (a user's or an item's top-K words). */
export interface KeywordProfileEntry {
  /** Row label, e.g. the user or item id (or a product title). */
  label: string;
  /** The profile's keywords, any order. */
  keywords: readonly Keyword[];
}

/** Options for {@linkcode keywordOverlapFigure}. */
export interface KeywordOverlapOptions {
  /**
   * Figure title.
   * @default "Keywords shared by <user> and recommended items"
   */
  title?: string;
  /**
   * Most word columns; shared words are kept first, then the user's, then the items' strongest.
   * @default 24
   */
  maxWords?: number;
  /**
   * Colour cells by each word's share of its profile (profiles of items sum
   * over many more reviews than users', so raw weights do not compare);
   * `false` colours by raw summed attention weight.
   * @default true
   */
  normalize?: boolean;
  /**
   * Height of one profile row in pixels.
   * @default 44
   */
  rowHeight?: number;
}

/** The column layout of a keyword-overlap figure. */
export interface KeywordOverlapLayout {
  /** Column words, left to right. */
  words: string[];
  /** Per item (same order as given), the words it shares with the user, strongest first. */
  shared: Keyword[][];
}

function shares(keywords: readonly Keyword[], normalize: boolean): Map<string, number> {
  const total = normalize ? keywords.reduce((s, w) => s + w.weight, 0) || 1 : 1;
  const out = new Map<string, number>();
  for (const w of keywords) out.set(w.word, (out.get(w.word) ?? 0) + w.weight / total);
  return out;
}

function byWeightThenWord(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

/**
 * Which words a keyword-overlap figure shows, in order: words shared with
 * any item (by number of items sharing them, then strongest combined
 * weight), then the user's other words, then the items' other words (by
 * largest share), at most `maxWords` in all.
 */
export function keywordOverlapColumns(
  user: readonly Keyword[],
  items: readonly (readonly Keyword[])[],
  maxWords = 24,
): KeywordOverlapLayout {
  const shared = items.map((item) => keywordOverlap(user, item));
  const sharedScore = new Map<string, [number, number]>();
  for (const overlap of shared) {
    for (const w of overlap) {
      const [count, best] = sharedScore.get(w.word) ?? [0, 0];
      sharedScore.set(w.word, [count + 1, Math.max(best, w.weight)]);
    }
  }
  const sharedWords = [...sharedScore.entries()]
    .sort((a, b) =>
      b[1][0] - a[1][0] || b[1][1] - a[1][1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)
    )
    .map(([word]) => word);
  const userOnly = [...shares(user, true).entries()]
    .filter(([word]) => !sharedScore.has(word))
    .sort(byWeightThenWord)
    .map(([word]) => word);
  const itemBest = new Map<string, number>();
  for (const item of items) {
    for (const [word, share] of shares(item, true)) {
      if (sharedScore.has(word) || userOnly.includes(word)) continue;
      itemBest.set(word, Math.max(itemBest.get(word) ?? 0, share));
    }
  }
  const itemOnly = [...itemBest.entries()].sort(byWeightThenWord).map(([word]) => word);
  const words = [...sharedWords, ...userOnly, ...itemOnly].slice(0, Math.max(0, maxWords));
  return { words, shared };
}

/** Makes row labels unique (plotly merges equal categories) by appending " (2)", " (3)", ... */
function uniqueLabels(labels: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    return n === 1 ? label : `${label} (${n})`;
  });
}

/**
 * Heatmap of a user's keyword profile (top row) against recommended items'
 * profiles (one row each): colour = the word's weight share in that profile,
 * red outline = a word the item shares with the user; shared words are bold
 * red on the word axis, and each item's row label counts its shared words.
 *
 * @example
 * ```ts
 * import { keywordOverlapFigure } from "./keyword_overlap.ts";
 * const fig = keywordOverlapFigure(
 *   { label: "user A1B2", keywords: profiles.users[u] },
 *   recs.map((r) => ({ label: r.itemId, keywords: profiles.items[r.item] })),
 * );
 * ```
 */
export function keywordOverlapFigure(
  user: KeywordProfileEntry,
  items: readonly KeywordProfileEntry[],
  options: KeywordOverlapOptions = {},
): PlotlyFigure {
  const {
    title = `Keywords shared by ${plotlyText(user.label)} and recommended items`,
    maxWords = 24,
    normalize = true,
    rowHeight = 44,
  } = options;
  const { words, shared } = keywordOverlapColumns(
    user.keywords,
    items.map((i) => i.keywords),
    maxWords,
  );
  const sharedSets = shared.map((overlap) => new Set(overlap.map((w) => w.word)));
  const sharedAny = new Set(sharedSets.flatMap((s) => [...s]));
  const rowLabels = uniqueLabels([
    `${user.label} (user)`,
    ...items.map((item, r) => `${item.label} · ${sharedSets[r].size} shared`),
  ]).map(plotlyText);
  const profiles = [user, ...items].map((p) => shares(p.keywords, normalize));
  const z = profiles.map((p) => words.map((w) => p.get(w) ?? null));
  const format = (v: number | null): string =>
    v === null ? "" : normalize ? `${Math.round(v * 100)}%` : v.toPrecision(2);
  const text = z.map((row) => row.map(format));
  const zmax = Math.max(1e-9, ...z.flat().filter((v): v is number => v !== null));
  const heatmap: PlotlyTrace = {
    type: "heatmap",
    name: "keyword weight",
    x: words.map(plotlyText),
    y: rowLabels,
    z,
    text,
    texttemplate: "%{text}",
    textfont: { size: 11 },
    colorscale: [[0, "#f2f7fc"], [0.5, "#8cb3d9"], [1, "#1f4e8c"]],
    zmin: 0,
    zmax,
    xgap: 2,
    ygap: 2,
    hoverongaps: false,
    colorbar: {
      title: { text: normalize ? "share of<br>profile" : "attention<br>weight" },
      thickness: 12,
      tickformat: normalize ? ".0%" : "",
    },
    hovertemplate: "%{y}<br>%{x}: %{text}<extra></extra>",
  };
  const shapes: PlotlyShape[] = [];
  const outline = (row: number, column: number): void => {
    shapes.push({
      type: "rect",
      xref: "x",
      yref: "y",
      x0: column - 0.5,
      x1: column + 0.5,
      y0: row - 0.5,
      y1: row + 0.5,
      line: { color: INK.accent, width: 2.5 },
    });
  };
  words.forEach((word, column) => {
    if (sharedAny.has(word)) outline(0, column);
    sharedSets.forEach((set, r) => {
      if (set.has(word)) outline(r + 1, column);
    });
  });
  const ticktext = words.map((w) =>
    sharedAny.has(w)
      ? `<b><span style="color:${INK.accent}">${plotlyText(w)}</span></b>`
      : plotlyText(w)
  );
  const layout = baseLayout(title, 150 + rowHeight * rowLabels.length + 90);
  layout.showlegend = false;
  layout.margin = { l: 40, r: 30, t: 80, b: 40 };
  layout.xaxis = axis("", {
    type: "category",
    side: "bottom",
    tickangle: -40,
    tickvals: words.map(plotlyText),
    ticktext,
    showgrid: false,
    showline: false,
    ticks: "",
  });
  layout.yaxis = axis("", {
    type: "category",
    autorange: "reversed",
    showgrid: false,
    showline: false,
    ticks: "",
  });
  layout.shapes = shapes;
  if (words.length === 0) {
    layout.annotations = [{
      text: "no keywords",
      x: 0.5,
      y: 0.5,
      xref: "paper",
      yref: "paper",
      showarrow: false,
      font: { color: INK.muted, size: 14 },
    }];
  }
  return { data: [heatmap], layout };
}
