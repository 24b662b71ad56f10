/**
 * The plotly figure objects the figure builders return: plain,
 * JSON-serialisable `{ data, layout }` values, typed for the subset of
 * plotly.js this library emits (scatter, bar and heatmap traces; line and
 * rectangle shapes; text annotations). Every interface also accepts any
 * other plotly attribute through an index signature, so a figure can be
 * tweaked before it is shown.
 *
 * Numbers that are `NaN` serialise to `null`, which plotly draws as a gap.
 *
 * @module
 */

/** A coordinate: a number on linear or log axes, a string on category axes, `null` for a gap. */
export type PlotlyDatum = number | string | null;

/** A line style. */
export interface PlotlyLine {
  /** CSS colour. */
  color?: string;
  /** Width in pixels. */
  width?: number;
  /** `"solid"`, `"dot"`, `"dash"`, `"dashdot"`, ... */
  dash?: string;
  /** Any other plotly line attribute. */
  [key: string]: unknown;
}

/** A marker style. */
export interface PlotlyMarker {
  /** CSS colour, or one per point. */
  color?: string | string[];
  /** Diameter in pixels, or one per point. */
  size?: number | number[];
  /** Plotly symbol name (`"circle"`, `"star"`, `"circle-open"`, ...). */
  symbol?: string;
  /** Opacity in [0, 1]. */
  opacity?: number;
  /** Outline. */
  line?: PlotlyLine;
  /** Any other plotly marker attribute. */
  [key: string]: unknown;
}

/** Error bars of a trace. */
export interface PlotlyErrorBars {
  /** Always `"data"` here: `array` holds the half-widths. */
  type: "data";
  /** Symmetric half-width per point (`null` for none). */
  array: (number | null)[];
  /** Whether the bars are shown. */
  visible: boolean;
  /** Any other plotly error-bar attribute. */
  [key: string]: unknown;
}

/** One trace: the trace types this library emits, with the attributes it uses. */
export interface PlotlyTrace {
  /** Trace type. */
  type: "scatter" | "bar" | "heatmap";
  /** Legend and hover name. */
  name?: string;
  /** X coordinates (or categories). */
  x?: PlotlyDatum[];
  /** Y coordinates (or categories). */
  y?: PlotlyDatum[];
  /** Heatmap values, `z[row][column]`, `null` for an empty cell. */
  z?: (number | null)[][];
  /** Text per point (scatter `text` mode, bar labels) or per cell (heatmap, `text[row][column]`). */
  text?: string | string[] | string[][];
  /** Scatter drawing mode: `"lines"`, `"markers"`, `"text"` or a `+`-joined combination. */
  mode?: string;
  /** Where scatter text sits relative to its point, e.g. `"middle left"`, `"top center"`. */
  textposition?: string;
  /** Bar direction: `"v"` (vertical, the default) or `"h"`. */
  orientation?: "v" | "h";
  /** The x axis id: `"x"`, `"x2"`, ... */
  xaxis?: string;
  /** The y axis id: `"y"`, `"y2"`, ... */
  yaxis?: string;
  /** Line style. */
  line?: PlotlyLine;
  /** Marker style (bars use `color`). */
  marker?: PlotlyMarker;
  /** Vertical error bars. */
  error_y?: PlotlyErrorBars;
  /** Heatmap colour scale as `[position, colour]` stops. */
  colorscale?: [number, string][];
  /** Heatmap value mapped to the first stop. */
  zmin?: number;
  /** Heatmap value mapped to the last stop. */
  zmax?: number;
  /** Whether the trace has a legend entry. */
  showlegend?: boolean;
  /** Traces with the same group toggle together in the legend. */
  legendgroup?: string;
  /** `false` hides the trace; `"legendonly"` hides it but keeps its legend entry. */
  visible?: boolean | "legendonly";
  /** Any other plotly trace attribute. */
  [key: string]: unknown;
}

/** An axis. */
export interface PlotlyAxis {
  /** Axis title. */
  title?: { text: string; [key: string]: unknown };
  /** `"linear"`, `"log"` or `"category"`; inferred from the data when absent. */
  type?: "linear" | "log" | "category";
  /** Fixed range (for log axes: log10 of the ends). */
  range?: [number, number];
  /** `"reversed"` draws the axis high-to-low. */
  autorange?: boolean | "reversed";
  /** `"tozero"` makes an automatic range include 0. */
  rangemode?: "normal" | "tozero" | "nonnegative";
  /** Fraction `[start, end]` of the plotting area the axis spans. */
  domain?: [number, number];
  /** The axis it is drawn against (`"y"`, `"x2"`, ...). */
  anchor?: string;
  /** Tick positions. */
  tickvals?: PlotlyDatum[];
  /** Tick labels, one per `tickvals` entry. */
  ticktext?: string[];
  /** Whether the axis (line, ticks, labels, grid) is drawn. */
  visible?: boolean;
  /** Whether to draw grid lines. */
  showgrid?: boolean;
  /** Any other plotly axis attribute. */
  [key: string]: unknown;
}

/** A line or rectangle drawn over the plot. */
export interface PlotlyShape {
  /** Shape type. */
  type: "line" | "rect";
  /** `"paper"`, an x axis id (`"x"`, `"x2"`) or `"<id> domain"`. */
  xref?: string;
  /** `"paper"`, a y axis id or `"<id> domain"`. */
  yref?: string;
  /** Start x. */
  x0: number | string;
  /** End x. */
  x1: number | string;
  /** Start y. */
  y0: number | string;
  /** End y. */
  y1: number | string;
  /** Outline. */
  line?: PlotlyLine;
  /** Fill colour (rectangles). */
  fillcolor?: string;
  /** Any other plotly shape attribute. */
  [key: string]: unknown;
}

/** A text label placed on the figure. */
export interface PlotlyAnnotation {
  /** The text (plotly's small HTML subset: `<b>`, `<i>`, `<br>`). */
  text: string;
  /** X position in `xref` coordinates. */
  x: number | string;
  /** Y position in `yref` coordinates. */
  y: number | string;
  /** `"paper"` or an x axis id. */
  xref?: string;
  /** `"paper"` or a y axis id. */
  yref?: string;
  /** `"left"`, `"center"` or `"right"`. */
  xanchor?: string;
  /** `"top"`, `"middle"` or `"bottom"`. */
  yanchor?: string;
  /** Whether an arrow points at (x, y); the builders always set `false`. */
  showarrow?: boolean;
  /** Text style. */
  font?: { size?: number; color?: string; [key: string]: unknown };
  /** Any other plotly annotation attribute. */
  [key: string]: unknown;
}

/** Figure layout. Extra axes (`xaxis2`, `yaxis3`, ...) go under their plotly names. */
export interface PlotlyLayout {
  /** Figure title. */
  title?: { text: string; [key: string]: unknown };
  /** Width in pixels; absent means the container's width. */
  width?: number;
  /** Height in pixels. */
  height?: number;
  /** Margins in pixels. */
  margin?: { l?: number; r?: number; t?: number; b?: number; [key: string]: unknown };
  /** The first x axis. */
  xaxis?: PlotlyAxis;
  /** The first y axis. */
  yaxis?: PlotlyAxis;
  /** Whether to draw the legend. */
  showlegend?: boolean;
  /** How bars sharing a position are drawn. */
  barmode?: "group" | "overlay" | "stack" | "relative";
  /** Shapes. */
  shapes?: PlotlyShape[];
  /** Annotations. */
  annotations?: PlotlyAnnotation[];
  /** Any other plotly layout attribute (including `xaxis2`, `yaxis2`, ...). */
  [key: string]: unknown;
}

/** A complete figure: what `Plotly.newPlot(div, figure.data, figure.layout)` takes. */
export interface PlotlyFigure {
  /** The traces. */
  data: PlotlyTrace[];
  /** The layout. */
  layout: PlotlyLayout;
}

/** The figure's title text, or `""` when it has none. */
export function figureTitle(figure: PlotlyFigure): string {
  return figure.layout.title?.text ?? "";
}
