/**
 * Figures (plotly JSON) for notebooks and reports: learning curves, metrics
 * at k, rating accuracy, dataset statistics, keyword overlap, critical
 * difference diagrams; notebook display helpers; the offline HTML report.
 *
 * @example
 * ```ts ignore
 * import { display, learningCurvesFigure } from "@drex/drex/plots";
 * await display(learningCurvesFigure({ DReX: model.report.history }));
 * ```
 *
 * @module
 */
export * from "../plots/figure.ts";
export * from "../plots/palette.ts";
export * from "../plots/learning_curves.ts";
export * from "../plots/metric_at_k.ts";
export * from "../plots/rating_bars.ts";
export * from "../plots/dataset_stats.ts";
export * from "../plots/keyword_overlap.ts";
export * from "../plots/cd_diagram.ts";
export * from "../plots/static_svg.ts";
export * from "../plots/display.ts";
export * from "../plots/seed_summary.ts";
export * from "../report/html_report.ts";
export * from "../report/report_summary.ts";
export * from "../report/plotly_source.ts";
export * from "../report/plot_manifest.ts";
export * from "./explanation_quality.ts";
