/**
 * Learning curves: training loss and validation MAE / RMSE by epoch for one
 * or several runs, side by side, with each run's best epoch marked (a star
 * on its validation MAE and a dotted vertical line in both panels).
 *
 * @module
 */
import type { EpochRecord, FitReport } from "../recommender.ts";
import type { PlotlyAnnotation, PlotlyFigure, PlotlyShape, PlotlyTrace } from "./figure.ts";
import { axis, axisId, axisKey, baseLayout, cellTitle, gridCells, plotlyText } from "./layout.ts";
import { assignColors, INK } from "./palette.ts";
import { finiteOrNull } from "./seed_summary.ts";

/** One named run's history. */
export interface LearningCurveRun {
  /** Legend name (model, seed, configuration). */
  name: string;
  /** Its per-epoch records. */
  history: readonly EpochRecord[];
  /** The epoch to mark as best; absent means the epoch with the lowest validation MAE. */
  bestEpoch?: number;
}

/**
 * What {@linkcode learningCurvesFigure} draws: one run's records, one
 * `FitReport`, a list of named runs, or runs keyed by name (records or reports).
 */
export type LearningCurveInput =
  | readonly EpochRecord[]
  | FitReport
  | readonly LearningCurveRun[]
  | Readonly<Record<string, readonly EpochRecord[] | FitReport>>;

/** Options for {@linkcode learningCurvesFigure}. */
export interface LearningCurvesOptions {
  /**
   * Figure title.
   * @default "Learning curves"
   */
  title?: string;
  /**
   * Legend name of a single unnamed run (records or one `FitReport`).
   * @default "run"
   */
  runName?: string;
  /**
   * Colour per run name; runs not listed take palette colours in order.
   * @default {}
   */
  colors?: Readonly<Record<string, string>>;
  /**
   * Draw the training loss on a log scale (useful when the first epoch dominates).
   * @default false
   */
  logLoss?: boolean;
  /**
   * Figure height in pixels.
   * @default 440
   */
  height?: number;
}

function isFitReport(value: unknown): value is FitReport {
  return typeof value === "object" && value !== null &&
    Array.isArray((value as FitReport).history) &&
    typeof (value as FitReport).bestEpoch === "number";
}

function toRun(name: string, value: readonly EpochRecord[] | FitReport): LearningCurveRun {
  return isFitReport(value)
    ? { name, history: value.history, bestEpoch: value.bestEpoch }
    : { name, history: value };
}

/** The input as a list of named runs. */
export function learningCurveRuns(input: LearningCurveInput, runName = "run"): LearningCurveRun[] {
  if (Array.isArray(input)) {
    if (input.length === 0) return [];
    const first = input[0] as Partial<EpochRecord & LearningCurveRun>;
    if (typeof first.epoch === "number") return [toRun(runName, input as EpochRecord[])];
    return (input as LearningCurveRun[]).map((run) => ({ ...run }));
  }
  if (isFitReport(input)) return [toRun(runName, input)];
  return Object.entries(input as Record<string, readonly EpochRecord[] | FitReport>).map((
    [name, value],
  ) => toRun(name, value));
}

/** The run's best epoch: the given one, else the epoch of lowest finite validation MAE, else `null`. */
export function bestEpochOf(run: LearningCurveRun): number | null {
  if (run.bestEpoch !== undefined && run.history.some((r) => r.epoch === run.bestEpoch)) {
    return run.bestEpoch;
  }
  let best: EpochRecord | null = null;
  for (const record of run.history) {
    if (!Number.isFinite(record.validationMae)) continue;
    if (best === null || record.validationMae < best.validationMae) best = record;
  }
  return best === null ? null : best.epoch;
}

/**
 * Learning curves of one or several runs: left, the training loss by epoch;
 * right, validation MAE (solid) and RMSE (dashed). Each run has one colour
 * and one legend entry; its best epoch is starred and drawn as a dotted
 * vertical line. Runs without validation ratings only get the loss curve.
 *
 * @example
 * ```ts
 * import { learningCurvesFigure } from "./learning_curves.ts";
 * const fig = learningCurvesFigure({ DReX: report.history, "DReX-MLP": reportMlp });
 * ```
 */
export function learningCurvesFigure(
  input: LearningCurveInput,
  options: LearningCurvesOptions = {},
): PlotlyFigure {
  const {
    title = "Learning curves",
    runName = "run",
    colors = {},
    logLoss = false,
    height = 440,
  } = options;
  const runs = learningCurveRuns(input, runName);
  const palette = assignColors(runs.map((r) => r.name), colors);
  const cells = gridCells(1, 2, 0.14);
  const data: PlotlyTrace[] = [];
  const shapes: PlotlyShape[] = [];
  let maxEpoch = 1;
  let anyValidation = false;

  for (const run of runs) {
    const color = palette[run.name];
    const name = plotlyText(run.name);
    const epochs = run.history.map((r) => r.epoch);
    maxEpoch = Math.max(maxEpoch, ...epochs);
    const common = { legendgroup: run.name, xaxis: "x", yaxis: "y" };
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name,
      ...common,
      x: epochs,
      y: run.history.map((r) => finiteOrNull(r.trainLoss)),
      line: { color, width: 2 },
      marker: { color, size: 5 },
      hovertemplate: `${name}<br>epoch %{x}<br>training loss %{y:.4f}<extra></extra>`,
    });
    const hasValidation = run.history.some((r) => Number.isFinite(r.validationMae));
    if (hasValidation) {
      anyValidation = true;
      for (const [metric, dash] of [["MAE", "solid"], ["RMSE", "dash"]] as const) {
        data.push({
          type: "scatter",
          mode: "lines+markers",
          name: `${name} · validation ${metric}`,
          legendgroup: run.name,
          showlegend: false,
          xaxis: "x2",
          yaxis: "y2",
          x: epochs,
          y: run.history.map((r) =>
            finiteOrNull(metric === "MAE" ? r.validationMae : r.validationRmse)
          ),
          line: { color, width: 2, dash },
          marker: { color, size: 5 },
          hovertemplate: `${name}<br>epoch %{x}<br>validation ${metric} %{y:.4f}<extra></extra>`,
        });
      }
    }
    const best = bestEpochOf(run);
    if (best === null) continue;
    const record = run.history.find((r) => r.epoch === best) as EpochRecord;
    for (const [xref, yref] of [["x", "y domain"], ["x2", "y2 domain"]]) {
      shapes.push({
        type: "line",
        xref,
        yref,
        x0: best,
        x1: best,
        y0: 0,
        y1: 1,
        line: { color, width: 1.5, dash: "dot" },
      });
    }
    const starOn = hasValidation
      ? { xaxis: "x2", yaxis: "y2", y: finiteOrNull(record.validationMae) }
      : { xaxis: "x", yaxis: "y", y: finiteOrNull(record.trainLoss) };
    data.push({
      type: "scatter",
      mode: "markers",
      name: `${name} · best epoch ${best}`,
      legendgroup: run.name,
      showlegend: false,
      xaxis: starOn.xaxis,
      yaxis: starOn.yaxis,
      x: [best],
      y: [starOn.y],
      marker: { color, size: 15, symbol: "star", line: { color: "#ffffff", width: 1 } },
      hovertemplate: `${name}<br>best epoch %{x}<br>value %{y:.4f}<extra></extra>`,
    });
  }

  const annotations: PlotlyAnnotation[] = [
    cellTitle(cells[0], "Training loss"),
    cellTitle(cells[1], "Validation MAE (solid), RMSE (dashed)"),
  ];
  if (!anyValidation) {
    annotations.push({
      text: runs.length === 0 ? "no runs" : "no validation ratings",
      x: (cells[1].xDomain[0] + cells[1].xDomain[1]) / 2,
      y: 0.5,
      xref: "paper",
      yref: "paper",
      showarrow: false,
      font: { color: INK.muted, size: 14 },
    });
  }
  const epochAxis = { tickformat: "d", ...(maxEpoch <= 12 ? { dtick: 1 } : {}) };
  const layout = baseLayout(title, height);
  cells.forEach((cell, i) => {
    layout[axisKey("x", i)] = axis("epoch", {
      domain: cell.xDomain,
      anchor: axisId("y", i),
      ...epochAxis,
    });
  });
  layout.yaxis = axis("training loss", {
    domain: cells[0].yDomain,
    anchor: "x",
    ...(logLoss ? { type: "log" as const } : {}),
  });
  layout.yaxis2 = axis("validation error", { domain: cells[1].yDomain, anchor: "x2" });
  layout.shapes = shapes;
  layout.annotations = annotations;
  return { data, layout };
}
