/**
 * Layout defaults shared by the figure builders (font, margins, white
 * background, light grid, legend below the plot) and the arithmetic of
 * subplot grids: axis ids and the domains of each cell.
 *
 * @module
 */
import type { PlotlyAnnotation, PlotlyAxis, PlotlyLayout } from "./figure.ts";
import { INK } from "./palette.ts";

/** Font stack of every figure. */
export const FONT_FAMILY =
  "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

/**
 * The base layout: title at the top left, font, colours, margins, and a
 * horizontal legend along the bottom edge of the figure (placed relative
 * to the whole figure, so it never covers axis titles).
 */
export function baseLayout(title: string, height: number): PlotlyLayout {
  return {
    title: {
      text: title,
      x: 0.02,
      xanchor: "left",
      y: 1,
      yref: "container",
      yanchor: "top",
      pad: { t: 16 },
      font: { size: 17 },
    },
    height,
    font: { family: FONT_FAMILY, size: 13, color: INK.text },
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    margin: { l: 70, r: 30, t: 70, b: 105 },
    showlegend: true,
    legend: bottomLegend(),
    hovermode: "closest",
  };
}

/** A horizontal legend along the bottom edge of the figure. */
export function bottomLegend(): Record<string, unknown> {
  return { orientation: "h", x: 0, xanchor: "left", y: 0, yanchor: "bottom", yref: "container" };
}

/** A horizontal legend under the title, `offset` pixels from the top of a figure `height` tall. */
export function topLegend(height: number, offset = 48): Record<string, unknown> {
  return {
    orientation: "h",
    x: 0,
    xanchor: "left",
    y: 1 - offset / height,
    yanchor: "top",
    yref: "container",
  };
}

/** An axis with a title, a light grid and a visible axis line. */
export function axis(title: string, extra: PlotlyAxis = {}): PlotlyAxis {
  return {
    title: { text: title },
    showline: true,
    linecolor: "#888888",
    gridcolor: INK.grid,
    zeroline: false,
    ticks: "outside",
    tickcolor: "#888888",
    automargin: true,
    ...extra,
  };
}

/** The trace-side axis id of the `index`-th (0-based) axis: `"x"`, `"x2"`, ... */
export function axisId(letter: "x" | "y", index: number): string {
  return index === 0 ? letter : `${letter}${index + 1}`;
}

/** The layout key of the `index`-th (0-based) axis: `"xaxis"`, `"xaxis2"`, ... */
export function axisKey(letter: "x" | "y", index: number): string {
  return index === 0 ? `${letter}axis` : `${letter}axis${index + 1}`;
}

/** One cell of a subplot grid. */
export interface GridCell {
  /** 0-based row, top row first. */
  row: number;
  /** 0-based column. */
  column: number;
  /** 0-based subplot index (row-major): the cell uses axes `axisId("x", index)` and `axisId("y", index)`. */
  index: number;
  /** X domain as fractions of the plotting area. */
  xDomain: [number, number];
  /** Y domain as fractions of the plotting area. */
  yDomain: [number, number];
}

/**
 * The cells of a `rows × columns` grid, row-major, with gaps between cells
 * given as fractions of the plotting area.
 */
export function gridCells(rows: number, columns: number, xGap = 0.08, yGap = 0.1): GridCell[] {
  const cellWidth = (1 - xGap * (columns - 1)) / columns;
  const cellHeight = (1 - yGap * (rows - 1)) / rows;
  const round = (v: number): number => Math.round(v * 1e6) / 1e6;
  const cells: GridCell[] = [];
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const x0 = column * (cellWidth + xGap);
      const top = 1 - row * (cellHeight + yGap);
      cells.push({
        row,
        column,
        index: row * columns + column,
        xDomain: [round(x0), round(x0 + cellWidth)],
        yDomain: [round(Math.max(0, top - cellHeight)), round(top)],
      });
    }
  }
  return cells;
}

/** A bold title centred above a grid cell (plotly has no per-subplot title). */
export function cellTitle(cell: GridCell, text: string): PlotlyAnnotation {
  return {
    text: `<b>${text}</b>`,
    x: (cell.xDomain[0] + cell.xDomain[1]) / 2,
    y: cell.yDomain[1],
    xref: "paper",
    yref: "paper",
    xanchor: "center",
    yanchor: "bottom",
    yshift: 6,
    showarrow: false,
    font: { size: 13 },
  };
}

/** Escapes `&`, `<` and `>` so a name shows literally in plotly's HTML-like text. */
export function plotlyText(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
