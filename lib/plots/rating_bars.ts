/**
 * Rating accuracy as grouped bars: MAE and RMSE per model, with error bars
 * of one standard deviation when a model has several seeded runs or a
 * given spread.
 *
 * @module
 */
import type { EvaluationResult } from "../metrics/evaluate.ts";
import type { PlotlyFigure, PlotlyTrace } from "./figure.ts";
import { axis, baseLayout, plotlyText } from "./layout.ts";
import { assignColors } from "./palette.ts";
import { finiteOrNull, meanSpread, runsOf } from "./seed_summary.ts";

/** A number given as its mean over runs and, optionally, its spread (standard deviation). */
export interface MeanWithSpread {
  /** Mean. */
  mean: number;
  /** Spread drawn as a symmetric error bar; absent or `null` for none. */
  spread?: number | null;
}

/** Pre-aggregated rating accuracy of one model. */
export interface RatingSummary {
  /** MAE. */
  mae: MeanWithSpread;
  /** RMSE. */
  rmse: MeanWithSpread;
}

/** Per model: one evaluation, one per seeded run (mean ± standard deviation), or a summary. */
export type RatingMetricsInput = Readonly<
  Record<string, EvaluationResult | readonly EvaluationResult[] | RatingSummary>
>;

/** Options for {@linkcode ratingMetricsFigure}. */
export interface RatingMetricsOptions {
  /**
   * Figure title.
   * @default "Rating accuracy on the test set (lower is better)"
   */
  title?: string;
  /**
   * Colour per model; models not listed take palette colours in order.
   * @default {}
   */
  colors?: Readonly<Record<string, string>>;
  /**
   * Decimals of the value labels on the bars.
   * @default 3
   */
  digits?: number;
  /**
   * Figure height in pixels.
   * @default 420
   */
  height?: number;
}

function isSummary(value: unknown): value is RatingSummary {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    typeof (value as RatingSummary).mae === "object";
}

/** MAE and RMSE of one model's entry as mean and spread. */
export function ratingSummaryOf(
  entry: EvaluationResult | readonly EvaluationResult[] | RatingSummary,
): RatingSummary {
  if (isSummary(entry)) return entry;
  const runs = runsOf(entry as EvaluationResult | readonly EvaluationResult[]);
  const mae = meanSpread(runs.map((r) => r.mae));
  const rmse = meanSpread(runs.map((r) => r.rmse));
  return {
    mae: { mean: mae.mean, spread: mae.spread },
    rmse: { mean: rmse.mean, spread: rmse.spread },
  };
}

/**
 * MAE and RMSE as grouped bars (one colour per model), value labels on the
 * bars, error bars where a spread is known. A model without rating
 * predictions (`NaN`) gets no bar and says so in its legend entry.
 *
 * @example
 * ```ts
 * import { ratingMetricsFigure } from "./rating_bars.ts";
 * const fig = ratingMetricsFigure({ DReX: [seed0, seed1, seed2], GlobalMean: result });
 * ```
 */
export function ratingMetricsFigure(
  input: RatingMetricsInput,
  options: RatingMetricsOptions = {},
): PlotlyFigure {
  const {
    title = "Rating accuracy on the test set (lower is better)",
    colors = {},
    digits = 3,
    height = 420,
  } = options;
  const palette = assignColors(Object.keys(input), colors);
  const data: PlotlyTrace[] = [];
  for (const [model, entry] of Object.entries(input)) {
    const summary = ratingSummaryOf(entry);
    const values = [summary.mae, summary.rmse];
    const y = values.map((v) => finiteOrNull(v.mean));
    const spreads = values.map((v) => finiteOrNull(v.spread));
    const none = y.every((v) => v === null);
    const label = (v: MeanWithSpread): string => {
      if (!Number.isFinite(v.mean)) return "";
      const s = finiteOrNull(v.spread);
      return s === null
        ? v.mean.toFixed(digits)
        : `${v.mean.toFixed(digits)} ± ${s.toFixed(digits)}`;
    };
    const name = plotlyText(model) + (none ? " (no rating predictions)" : "");
    const trace: PlotlyTrace = {
      type: "bar",
      name,
      x: ["MAE", "RMSE"],
      y,
      // Bars carry the mean; the spread is the error bar and is in the hover text.
      text: values.map((v) => Number.isFinite(v.mean) ? v.mean.toFixed(digits) : ""),
      customdata: values.map(label),
      textposition: "outside",
      cliponaxis: false,
      marker: { color: palette[model] },
      hovertemplate: `${plotlyText(model)}<br>%{x} %{customdata}<extra></extra>`,
    };
    if (spreads.some((s) => s !== null)) {
      trace.error_y = {
        type: "data",
        array: spreads,
        visible: true,
        thickness: 1.5,
        width: 6,
        color: "#333333",
      };
    }
    data.push(trace);
  }
  const layout = baseLayout(title, height);
  layout.barmode = "group";
  layout.bargap = 0.25;
  layout.xaxis = axis("metric", { type: "category" });
  layout.yaxis = axis("error (rating points)", { rangemode: "tozero" });
  return { data, layout };
}
