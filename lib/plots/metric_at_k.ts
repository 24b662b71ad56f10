/**
 * Ranking metrics against the cut-off k: one line per model for one metric
 * under one protocol, and a grid laying out every metric (rows) under every
 * protocol (columns) as subplots with one shared legend. Models given
 * several seeded runs are drawn at their mean with error bars of one
 * standard deviation.
 *
 * @module
 */
import type { ProtocolMetrics, RankingProtocol } from "../metrics/evaluate.ts";
import type { PlotlyAnnotation, PlotlyFigure, PlotlyTrace } from "./figure.ts";
import {
  axis,
  axisId,
  axisKey,
  baseLayout,
  cellTitle,
  gridCells,
  plotlyText,
  topLegend,
} from "./layout.ts";
import { assignColors, INK } from "./palette.ts";
import { finiteOrNull, meanSpread, type ModelEvaluations, runsOf } from "./seed_summary.ts";

/** A ranking metric of {@linkcode ProtocolMetrics}. */
export type RankingMetric = "ndcg" | "precision" | "recall" | "f1" | "hitRate";

/** Every ranking metric, in display order. */
export const RANKING_METRICS: readonly RankingMetric[] = Object.freeze([
  "ndcg",
  "precision",
  "recall",
  "f1",
  "hitRate",
] as RankingMetric[]);

/** Both ranking protocols, in display order. */
export const RANKING_PROTOCOLS: readonly RankingProtocol[] = Object.freeze([
  "test-items",
  "full",
] as RankingProtocol[]);

/** Display names of the ranking metrics. */
export const METRIC_LABELS: Readonly<Record<RankingMetric, string>> = Object.freeze({
  ndcg: "NDCG",
  precision: "Precision",
  recall: "Recall",
  f1: "F1",
  hitRate: "Hit rate",
});

/** Options for {@linkcode metricAtKFigure}. */
export interface MetricAtKOptions {
  /**
   * Figure title.
   * @default `<Metric>@k, protocol "<protocol>"`
   */
  title?: string;
  /**
   * Colour per model; models not listed take palette colours in order.
   * @default {}
   */
  colors?: Readonly<Record<string, string>>;
  /**
   * Figure height in pixels.
   * @default 420
   */
  height?: number;
}

/** Options for {@linkcode metricAtKGridFigure}. */
export interface MetricAtKGridOptions {
  /**
   * Figure title.
   * @default "Ranking metrics at k"
   */
  title?: string;
  /**
   * Metrics to show, one row each.
   * @default ["ndcg", "precision", "recall", "f1", "hitRate"]
   */
  metrics?: readonly RankingMetric[];
  /**
   * Protocols to show, one column each; protocols no model was evaluated under are left out.
   * @default ["test-items", "full"]
   */
  protocols?: readonly RankingProtocol[];
  /**
   * Colour per model; models not listed take palette colours in order.
   * @default {}
   */
  colors?: Readonly<Record<string, string>>;
  /**
   * Height of one row of subplots in pixels.
   * @default 230
   */
  rowHeight?: number;
}

/** The protocols at least one run of one model was evaluated under, in display order. */
export function protocolsPresent(evaluations: ModelEvaluations): RankingProtocol[] {
  return RANKING_PROTOCOLS.filter((protocol) =>
    Object.values(evaluations).some((entry) =>
      runsOf(entry).some((run) => run.ranking[protocol] !== undefined)
    )
  );
}

/** The cut-offs present in any of `runs`, ascending. */
function cutoffsOf(runs: readonly ProtocolMetrics[], metric: RankingMetric): number[] {
  const ks = new Set<number>();
  for (const run of runs) for (const k of Object.keys(run[metric])) ks.add(Number(k));
  return [...ks].sort((a, b) => a - b);
}

/** One model's line for `metric` under `protocol`, or `null` when it has no such results. */
function modelTrace(
  model: string,
  runs: readonly ProtocolMetrics[],
  metric: RankingMetric,
  protocol: RankingProtocol,
  color: string,
  xaxis: string,
  yaxis: string,
  showlegend: boolean,
): PlotlyTrace | null {
  if (runs.length === 0) return null;
  const ks = cutoffsOf(runs, metric);
  const stats = ks.map((k) => meanSpread(runs.map((run) => run[metric][k] ?? NaN)));
  const hasSpread = stats.some((s) => s.spread !== null);
  const users = meanSpread(
    runs.map((run) => metric === "ndcg" ? run.users : run.usersWithRelevant),
  );
  const name = plotlyText(model);
  const label = METRIC_LABELS[metric];
  const seeds = runs.length > 1 ? ` (mean of ${runs.length} runs)` : "";
  const trace: PlotlyTrace = {
    type: "scatter",
    mode: "lines+markers",
    name,
    legendgroup: model,
    showlegend,
    xaxis,
    yaxis,
    x: ks,
    y: stats.map((s) => finiteOrNull(s.mean)),
    line: { color, width: 2 },
    marker: { color, size: 6 },
    hovertemplate: `${name}${seeds}<br>${label}@%{x} = %{y:.4f}<br>protocol ${protocol}, ` +
      `${Math.round(users.mean)} users<extra></extra>`,
  };
  if (hasSpread) {
    trace.error_y = {
      type: "data",
      array: stats.map((s) => finiteOrNull(s.spread)),
      visible: true,
      thickness: 1.2,
      width: 3,
      color,
    };
  }
  return trace;
}

/** Per model, the runs that have results under `protocol`. */
function protocolRuns(
  evaluations: ModelEvaluations,
  protocol: RankingProtocol,
): [string, ProtocolMetrics[]][] {
  return Object.entries(evaluations).map(([model, entry]) => [
    model,
    runsOf(entry).map((run) => run.ranking[protocol]).filter((m): m is ProtocolMetrics =>
      m !== undefined
    ),
  ]);
}

function cutoffAxisTicks(
  evaluations: ModelEvaluations,
  metric: RankingMetric,
  protocol: RankingProtocol,
): number[] {
  const all = protocolRuns(evaluations, protocol).flatMap(([, runs]) => runs);
  return cutoffsOf(all, metric);
}

/**
 * One ranking metric at every cut-off k, one line per model, under one
 * protocol. Models without results under the protocol are left out.
 *
 * @example
 * ```ts
 * import { metricAtKFigure } from "./metric_at_k.ts";
 * const fig = metricAtKFigure({ DReX: resultDrex, BiasedMF: [seed0, seed1, seed2] }, "ndcg", "full");
 * ```
 */
export function metricAtKFigure(
  evaluations: ModelEvaluations,
  metric: RankingMetric,
  protocol: RankingProtocol,
  options: MetricAtKOptions = {},
): PlotlyFigure {
  const label = METRIC_LABELS[metric];
  const {
    title = `${label}@k, protocol "${protocol}"`,
    colors = {},
    height = 420,
  } = options;
  const palette = assignColors(Object.keys(evaluations), colors);
  const data: PlotlyTrace[] = [];
  for (const [model, runs] of protocolRuns(evaluations, protocol)) {
    const trace = modelTrace(model, runs, metric, protocol, palette[model], "x", "y", true);
    if (trace !== null) data.push(trace);
  }
  const layout = baseLayout(title, height);
  layout.xaxis = axis("cut-off k", { tickvals: cutoffAxisTicks(evaluations, metric, protocol) });
  layout.yaxis = axis(`${label}@k`, { rangemode: "tozero" });
  if (data.length === 0) layout.annotations = [noDataNote(`no "${protocol}" results`)];
  return { data, layout };
}

function noDataNote(text: string): PlotlyAnnotation {
  return {
    text,
    x: 0.5,
    y: 0.5,
    xref: "paper",
    yref: "paper",
    showarrow: false,
    font: { color: INK.muted, size: 14 },
  };
}

/**
 * Every ranking metric (rows) under every protocol (columns) as a grid of
 * subplots, one line per model, one legend for all. Protocols no model was
 * evaluated under are dropped.
 *
 * @example
 * ```ts
 * import { metricAtKGridFigure } from "./metric_at_k.ts";
 * const fig = metricAtKGridFigure({ DReX: resultDrex, "DReX-MLP": resultMlp });
 * ```
 */
export function metricAtKGridFigure(
  evaluations: ModelEvaluations,
  options: MetricAtKGridOptions = {},
): PlotlyFigure {
  const {
    title = "Ranking metrics at k",
    metrics = RANKING_METRICS,
    colors = {},
    rowHeight = 230,
  } = options;
  const present = new Set(protocolsPresent(evaluations));
  const protocols = (options.protocols ?? RANKING_PROTOCOLS).filter((p) => present.has(p));
  const palette = assignColors(Object.keys(evaluations), colors);
  const rows = Math.max(1, metrics.length);
  const columns = Math.max(1, protocols.length);
  const plotHeight = rows * rowHeight;
  const cells = gridCells(rows, columns, 0.1, Math.min(0.12, 60 / plotHeight));
  const layout = baseLayout(title, plotHeight + 170);
  layout.margin = { l: 70, r: 30, t: 120, b: 60 };
  layout.legend = topLegend(plotHeight + 170);
  const data: PlotlyTrace[] = [];
  const annotations: PlotlyAnnotation[] = [];
  const legendShown = new Set<string>();
  for (const cell of cells) {
    const metric = metrics[cell.row];
    const protocol = protocols[cell.column];
    const x = axisId("x", cell.index);
    const y = axisId("y", cell.index);
    const label = metric === undefined ? "" : METRIC_LABELS[metric];
    layout[axisKey("x", cell.index)] = axis(cell.row === rows - 1 ? "cut-off k" : "", {
      domain: cell.xDomain,
      anchor: y,
      ...(metric && protocol ? { tickvals: cutoffAxisTicks(evaluations, metric, protocol) } : {}),
    });
    layout[axisKey("y", cell.index)] = axis(cell.column === 0 ? `${label}@k` : "", {
      domain: cell.yDomain,
      anchor: x,
      rangemode: "tozero",
    });
    if (metric === undefined || protocol === undefined) continue;
    annotations.push(cellTitle(cell, `${label}@k, ${protocol}`));
    for (const [model, runs] of protocolRuns(evaluations, protocol)) {
      const show = !legendShown.has(model);
      const trace = modelTrace(model, runs, metric, protocol, palette[model], x, y, show);
      if (trace === null) continue;
      legendShown.add(model);
      data.push(trace);
    }
  }
  if (data.length === 0) annotations.push(noDataNote("no ranking results"));
  layout.annotations = annotations;
  return { data, layout };
}
