/**
 * Explanation quality as a figure: one panel per measure (faithfulness,
 * plausibility where the truth is known, held-out agreement), one bar colour
 * per explainer, the chance level of plausibility as a dashed line, and the
 * faithfulness ceiling (every word removed) in that panel's title.
 *
 * @module
 */
import type { ExplanationQuality } from "../explain/explanation_quality.ts";
import type { PlotlyAnnotation, PlotlyFigure, PlotlyShape, PlotlyTrace } from "./figure.ts";
import { axis, axisId, axisKey, baseLayout, plotlyText } from "./layout.ts";
import { assignColors } from "./palette.ts";

/** Options of {@linkcode explanationQualityFigure}. */
export interface ExplanationQualityFigureOptions {
  /**
   * Figure title.
   * @default "Explanation quality at k = <k> words"
   */
  title?: string;
  /**
   * Figure height in pixels.
   * @default 420
   */
  height?: number;
}

const PANELS = [
  { key: "faithfulness", title: "faithfulness", unit: "mean |Δ predicted rating|" },
  { key: "plausibility", title: "plausibility (planted truth)", unit: "share of aspect words" },
  { key: "heldout", title: "held-out agreement", unit: "share of test-review lemmas named" },
] as const;

/**
 * Bars of every explainer on each measure at the headline size `quality.k`
 * (higher is better on all three).
 *
 * @example
 * ```ts ignore
 * import { explanationQualityFigure } from "./explanation_quality.ts";
 * await display(explanationQualityFigure(explanationQuality(model, { split, features })));
 * ```
 */
export function explanationQualityFigure(
  quality: ExplanationQuality,
  options: ExplanationQualityFigureOptions = {},
): PlotlyFigure {
  const metrics = quality.metrics as unknown as Record<string, Record<string, number> | undefined>;
  const panels = PANELS.filter((p) => metrics[p.key] !== undefined);
  const explainers = Object.keys(quality.metrics.faithfulness);
  const colors = assignColors(explainers, {});
  const width = 1 / panels.length;
  const layout = baseLayout(
    options.title ?? `Explanation quality at k = ${quality.k} words (higher is better)`,
    options.height ?? 420,
  );
  layout.barmode = "group";
  const data: PlotlyTrace[] = [];
  const annotations: PlotlyAnnotation[] = [];
  const shapes: PlotlyShape[] = [];
  panels.forEach((panel, p) => {
    const values = metrics[panel.key]!;
    explainers.forEach((name) => {
      const v = values[name];
      data.push({
        type: "bar",
        name: plotlyText(name),
        x: [plotlyText(name)],
        y: [Number.isFinite(v) ? v : null],
        text: Number.isFinite(v) ? v.toFixed(3) : "",
        textposition: "outside",
        cliponaxis: false,
        marker: { color: colors[name] },
        xaxis: axisId("x", p),
        yaxis: axisId("y", p),
        legendgroup: name,
        showlegend: p === 0,
        hovertemplate: `${plotlyText(name)}<br>${panel.title} %{y:.4f}<extra></extra>`,
      });
    });
    const domain: [number, number] = [p * width + 0.04, (p + 1) * width - 0.04];
    const ceiling = panel.key === "faithfulness" ? quality.ceiling?.faithfulness : undefined;
    const title = ceiling !== undefined && Number.isFinite(ceiling)
      ? `${panel.title} (every word removed: ${ceiling.toFixed(3)})`
      : panel.title;
    layout[axisKey("x", p)] = axis(title, {
      type: "category",
      domain,
      anchor: axisId("y", p),
      showticklabels: false,
    });
    layout[axisKey("y", p)] = axis(panel.unit, { rangemode: "tozero", anchor: axisId("x", p) });
    const chance = panel.key === "plausibility" ? quality.chance.plausibility : undefined;
    if (chance !== undefined) {
      shapes.push({
        type: "line",
        xref: `${axisId("x", p)} domain`,
        yref: axisId("y", p),
        x0: 0,
        x1: 1,
        y0: chance,
        y1: chance,
        line: { dash: "dash", color: "#666666", width: 1 },
      });
      annotations.push({
        xref: `${axisId("x", p)} domain`,
        yref: axisId("y", p),
        x: 1,
        y: chance,
        xanchor: "right",
        yanchor: "bottom",
        text: "chance",
        showarrow: false,
        font: { size: 11, color: "#666666" },
      });
    }
  });
  layout.shapes = shapes;
  layout.annotations = annotations;
  return { data, layout };
}
