/**
 * Critical-difference diagram (Demšar 2006, figures 1 and 2): a rank axis
 * from 1 to k, each model's average rank marked on it and joined by an
 * elbow line to its name (the better half on the left, the worse half on
 * the right, so lines never cross), the critical difference drawn as an
 * interval above the axis, and thick bars under the axis joining groups of
 * models whose ranks differ by less than the critical difference (not
 * significantly different).
 *
 * Everything is drawn in data coordinates with plain scatter traces (axes
 * hidden), so the static SVG fallback draws it as plotly does.
 *
 * The input is structural: a `NemenyiResult` from `lib/stats/nemenyi.ts`
 * fits it as it is.
 *
 * @module
 */
import type { PlotlyFigure, PlotlyTrace } from "./figure.ts";
import { baseLayout, plotlyText } from "./layout.ts";
import { INK } from "./palette.ts";

/** What a CD diagram needs. */
export interface CdDiagramInput {
  /** Model names. */
  models: readonly string[];
  /** Average rank of each model (same order as `models`; 1 is best). */
  averageRanks: readonly number[];
  /** The critical difference (in ranks). */
  criticalDifference: number;
  /**
   * Groups of models not significantly different, as model names; absent
   * means computed: every maximal run of rank-adjacent models whose ranks
   * span less than the critical difference. Groups of one are not drawn.
   */
  groups?: readonly (readonly string[])[];
  /** Significance level, shown in the default title when given. */
  alpha?: number;
}

/** Options for {@linkcode cdDiagramFigure}. */
export interface CdDiagramOptions {
  /**
   * Figure title.
   * @default "Critical difference diagram" (with the significance level when known)
   */
  title?: string;
  /**
   * Draw rank 1 on the right instead of the left.
   * @default false
   */
  reversed?: boolean;
  /**
   * Figure width in pixels (fixed, so the name labels get room).
   * @default 820
   */
  width?: number;
  /**
   * Vertical distance between two name rows in pixels.
   * @default 30
   */
  rowHeight?: number;
  /**
   * Print each model's average rank after its name.
   * @default true
   */
  showRanks?: boolean;
}

/** A model and its average rank. */
interface Ranked {
  name: string;
  rank: number;
}

/**
 * Maximal runs `[first, last]` (indices into `ranks`, sorted ascending) of
 * two or more consecutive models whose ranks span less than `cd`; runs
 * contained in another run are dropped.
 */
export function cdCliques(ranks: readonly number[], cd: number): [number, number][] {
  const out: [number, number][] = [];
  let lastEnd = -1;
  for (let i = 0; i < ranks.length; i++) {
    let j = i;
    while (j + 1 < ranks.length && ranks[j + 1] - ranks[i] < cd) j++;
    if (j > i && j > lastEnd) {
      out.push([i, j]);
      lastEnd = j;
    }
  }
  return out;
}

const Y_STEP = 1; // y units per name row
const SEGMENT_BREAK = null;

/**
 * A Demšar-style critical-difference diagram.
 *
 * @example
 * ```ts
 * import { cdDiagramFigure } from "./cd_diagram.ts";
 * const fig = cdDiagramFigure({
 *   models: ["DReX", "DReX-MLP", "DeepCoNN", "BiasedMF"],
 *   averageRanks: [1.5, 1.83, 3.17, 3.5],
 *   criticalDifference: 1.91,
 * });
 * ```
 */
export function cdDiagramFigure(
  input: CdDiagramInput,
  options: CdDiagramOptions = {},
): PlotlyFigure {
  const { models, averageRanks, criticalDifference: cd } = input;
  if (models.length !== averageRanks.length) {
    throw new RangeError(
      `cdDiagramFigure: ${models.length} models but ${averageRanks.length} average ranks`,
    );
  }
  if (!(cd >= 0)) {
    throw new RangeError(`cdDiagramFigure: critical difference must be >= 0, got ${cd}`);
  }
  const alphaText = input.alpha === undefined ? "" : ` (Nemenyi, α = ${input.alpha})`;
  const {
    title = `Critical difference diagram${alphaText}`,
    reversed = false,
    width = 820,
    rowHeight = 30,
    showRanks = true,
  } = options;
  const sorted: Ranked[] = models.map((name, i) => ({ name, rank: averageRanks[i] }))
    .sort((a, b) => a.rank - b.rank || (a.name < b.name ? -1 : 1));
  const k = sorted.length;
  const lo = 1;
  const hi = Math.max(2, k, ...sorted.map((m) => Math.ceil(m.rank)));
  const pos = (rank: number): number => reversed ? lo + hi - rank : rank;

  // Groups as index spans into `sorted`.
  const index = new Map(sorted.map((m, i) => [m.name, i]));
  const spans: [number, number][] = input.groups === undefined
    ? cdCliques(sorted.map((m) => m.rank), cd)
    : input.groups
      .map((g) => g.map((name) => index.get(name)).filter((i): i is number => i !== undefined))
      .filter((g) => g.length >= 2)
      .map((g) => [Math.min(...g), Math.max(...g)] as [number, number]);

  // Horizontal room for the names: solve for the rank range R such that the
  // longest label fits beside the axis at the figure's pixel width.
  const labelOf = (m: Ranked): string => showRanks ? `${m.name} (${m.rank.toFixed(2)})` : m.name;
  const longest = Math.max(1, ...sorted.map((m) => labelOf(m).length));
  const plotWidth = Math.max(200, width - 40);
  const labelPx = longest * 6.8 + 12;
  const pad = 0.25;
  const span = hi - lo + 2 * pad;
  const range = span / (1 - Math.min(0.8, (2 * labelPx) / plotWidth));
  const labelRanks = (range - span) / 2;
  const xLeft = lo - pad;
  const xRight = hi + pad;

  const data: PlotlyTrace[] = [];
  const lineTrace = (name: string, x: (number | null)[], y: (number | null)[], w: number) => ({
    type: "scatter" as const,
    mode: "lines",
    name,
    x,
    y,
    line: { color: INK.text, width: w },
    hoverinfo: "skip",
    showlegend: false,
  });

  // Rank axis with integer and half ticks, labelled with the true ranks.
  const axisX: (number | null)[] = [pos(lo), pos(hi), SEGMENT_BREAK];
  const axisY: (number | null)[] = [0, 0, SEGMENT_BREAK];
  for (let t = lo; t <= hi + 1e-9; t += 0.5) {
    const major = Number.isInteger(t);
    axisX.push(pos(t), pos(t), SEGMENT_BREAK);
    axisY.push(0, major ? 0.3 : 0.15, SEGMENT_BREAK);
  }
  data.push(lineTrace("rank axis", axisX, axisY, 1.5));
  const tickRanks = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  data.push({
    type: "scatter",
    mode: "text",
    name: "rank labels",
    x: tickRanks.map(pos),
    y: tickRanks.map(() => 0.35),
    text: tickRanks.map(String),
    textposition: "top center",
    textfont: { size: 13, color: INK.text },
    hoverinfo: "skip",
    showlegend: false,
    cliponaxis: false,
  });

  // Critical difference interval above the axis, starting at rank 1.
  const cdY = 1.35;
  const cdEnd = lo + cd;
  data.push(lineTrace(
    `critical difference ${cd.toFixed(3)}`,
    [pos(lo), pos(cdEnd), SEGMENT_BREAK, pos(lo), pos(lo), SEGMENT_BREAK, pos(cdEnd), pos(cdEnd)],
    [cdY, cdY, SEGMENT_BREAK, cdY - 0.12, cdY + 0.12, SEGMENT_BREAK, cdY - 0.12, cdY + 0.12],
    2,
  ));
  data.push({
    type: "scatter",
    mode: "text",
    name: "CD label",
    x: [pos((lo + cdEnd) / 2)],
    y: [cdY + 0.15],
    text: [`CD = ${cd.toFixed(2)}`],
    textposition: "top center",
    textfont: { size: 13, color: INK.text },
    hoverinfo: "skip",
    showlegend: false,
    cliponaxis: false,
  });

  // Bars joining models not significantly different, stacked under the axis.
  const groupTop = -0.45;
  const groupStep = 0.3;
  spans.forEach(([first, last], g) => {
    const y = groupTop - g * groupStep;
    const names = sorted.slice(first, last + 1).map((m) => m.name);
    data.push({
      ...lineTrace(
        `not significantly different: ${names.map(plotlyText).join(", ")}`,
        [
          pos(sorted[first].rank) - 0.04 * (reversed ? -1 : 1),
          pos(sorted[last].rank) + 0.04 * (reversed ? -1 : 1),
        ],
        [y, y],
        5,
      ),
      hoverinfo: "name",
    });
  });

  // Elbow lines from each rank down to its name row, better half to the left.
  const firstRow = groupTop - Math.max(1, spans.length) * groupStep - 0.35;
  const leftCount = Math.ceil(k / 2);
  const leftLabels: { x: number; y: number; text: string }[] = [];
  const rightLabels: { x: number; y: number; text: string }[] = [];
  sorted.forEach((m, i) => {
    const onLeft = i < leftCount;
    const row = onLeft ? i : k - 1 - i;
    const y = firstRow - row * Y_STEP;
    const edge = onLeft !== reversed ? xLeft : xRight;
    const x = pos(m.rank);
    data.push({
      ...lineTrace(plotlyText(m.name), [x, x, edge], [0, y, y], 1.2),
      hoverinfo: "name",
    });
    (onLeft !== reversed ? leftLabels : rightLabels).push({
      x: edge,
      y,
      text: plotlyText(labelOf(m)),
    });
  });
  for (
    const [labels, side] of [[leftLabels, "middle left"], [rightLabels, "middle right"]] as const
  ) {
    if (labels.length === 0) continue;
    data.push({
      type: "scatter",
      mode: "text",
      name: `model names (${side.split(" ")[1]})`,
      x: labels.map((l) => l.x),
      y: labels.map((l) => l.y),
      text: labels.map((l) => ` ${l.text} `),
      textposition: side,
      textfont: { size: 13, color: INK.text },
      hoverinfo: "skip",
      showlegend: false,
      cliponaxis: false,
    });
  }

  // The average ranks themselves, as points on the axis.
  data.push({
    type: "scatter",
    mode: "markers",
    name: "average rank",
    x: sorted.map((m) => pos(m.rank)),
    y: sorted.map(() => 0),
    text: sorted.map((m) => plotlyText(m.name)),
    marker: { color: INK.text, size: 7 },
    hovertemplate: "%{text}<br>average rank %{customdata:.3f}<extra></extra>",
    customdata: sorted.map((m) => m.rank),
    showlegend: false,
  });

  const rows = Math.max(1, leftCount);
  const yMin = firstRow - (rows - 1) * Y_STEP - 0.6;
  const yMax = cdY + 0.9;
  const pxPerY = rowHeight / Y_STEP;
  const margin = { l: 20, r: 20, t: 60, b: 20 };
  const layout = baseLayout(title, Math.round((yMax - yMin) * pxPerY + margin.t + margin.b));
  layout.width = width;
  layout.margin = margin;
  layout.showlegend = false;
  const xRange: [number, number] = [xLeft - labelRanks, xRight + labelRanks];
  layout.xaxis = { visible: false, range: xRange, fixedrange: true };
  layout.yaxis = { visible: false, range: [yMin, yMax], fixedrange: true };
  return { data, layout };
}
