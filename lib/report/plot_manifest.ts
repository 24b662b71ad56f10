/**
 * What plotly.js should draw for a figure, counted from the figure object:
 * traces, scatter markers, bars, heatmaps and their cell labels, scatter
 * text labels and shapes. The HTML report writes these counts on each plot
 * `<div>` as `data-expected-*` attributes, so a browser test can compare
 * them with the SVG elements plotly actually rendered (`g.trace`,
 * `path.point`, bar `g.point`, `g.hm`, `g.heatmap-label`, `g.textpoint`,
 * `g.shape-group`).
 *
 * @module
 */
import type { PlotlyDatum, PlotlyFigure, PlotlyTrace } from "../plots/figure.ts";

/** Counts of what a figure draws. */
export interface PlotManifest {
  /** Visible traces of any type. */
  traces: number;
  /** Scatter markers with finite x and y (plotly: `path.point`). */
  markers: number;
  /** Bars with a finite, non-zero value (plotly: a `g.point` with non-empty area). */
  bars: number;
  /** Heatmap traces (plotly: `g.hm`, one image each). */
  heatmaps: number;
  /** Heatmap cells with a value and a non-empty text label (plotly: `g.heatmap-label`). */
  heatmapLabels: number;
  /** Scatter text labels with finite coordinates (plotly: `g.textpoint`). */
  textPoints: number;
  /** Layout shapes (plotly: `g.shape-group`). */
  shapes: number;
}

function finite(v: PlotlyDatum | undefined): boolean {
  return v !== null && v !== undefined && (typeof v === "string" || Number.isFinite(v));
}

function isNonZero(v: PlotlyDatum | undefined): boolean {
  return typeof v === "number" && Number.isFinite(v) && v !== 0;
}

function isVisible(trace: PlotlyTrace): boolean {
  return trace.visible === undefined || trace.visible === true;
}

/** Counts what `figure` draws (see {@linkcode PlotManifest}). */
export function plotManifest(figure: PlotlyFigure): PlotManifest {
  const out: PlotManifest = {
    traces: 0,
    markers: 0,
    bars: 0,
    heatmaps: 0,
    heatmapLabels: 0,
    textPoints: 0,
    shapes: figure.layout.shapes?.length ?? 0,
  };
  for (const trace of figure.data) {
    if (!isVisible(trace)) continue;
    out.traces++;
    if (trace.type === "heatmap") {
      out.heatmaps++;
      const text = Array.isArray(trace.text) ? trace.text : [];
      (trace.z ?? []).forEach((row, r) =>
        row.forEach((v, c) => {
          const label = Array.isArray(text[r]) ? (text[r] as string[])[c] : undefined;
          if (v !== null && Number.isFinite(v) && typeof label === "string" && label !== "") {
            out.heatmapLabels++;
          }
        })
      );
      continue;
    }
    const x = trace.x ?? [];
    const y = trace.y ?? [];
    const n = Math.min(x.length, y.length);
    if (trace.type === "bar") {
      const values = trace.orientation === "h" ? x : y;
      const positions = trace.orientation === "h" ? y : x;
      for (let i = 0; i < n; i++) {
        if (finite(positions[i]) && isNonZero(values[i])) out.bars++;
      }
      continue;
    }
    const mode = trace.mode ?? (n <= 20 ? "lines+markers" : "lines");
    for (let i = 0; i < n; i++) {
      if (!finite(x[i]) || !finite(y[i])) continue;
      if (mode.includes("markers")) out.markers++;
      if (mode.includes("text")) {
        const t = Array.isArray(trace.text) ? trace.text[i] : trace.text;
        if (typeof t === "string" && t.trim() !== "") out.textPoints++;
      }
    }
  }
  return out;
}
