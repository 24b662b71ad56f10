/**
 * Evaluation and comparison: rating and ranking metrics under both protocols,
 * multi-seed comparisons over datasets, tuning with a shared budget,
 * ablations, paired bootstrap, Friedman and Nemenyi tests, and the whole
 * training job behind `deno task train`.
 *
 * @example
 * ```ts ignore
 * import { aggregateRuns, comparisonMetrics, runComparison } from "@drex/drex/compare";
 * const result = await runComparison({
 *   datasets: [{ name: "games", data: { path: "Video_Games.jsonl.gz" } }],
 *   models: ["drex", "drex-mlp", "biased-mf", "narre"],
 * });
 * const table = aggregateRuns(result.runs, comparisonMetrics());
 * ```
 *
 * @module
 */
export * from "../metrics/rating_metrics.ts";
export * from "../metrics/ranking_metrics.ts";
export * from "../metrics/rank_items.ts";
export * from "../metrics/evaluate.ts";
export * from "../stats/distributions.ts";
export * from "../stats/friedman.ts";
export * from "../stats/nemenyi.ts";
export * from "../stats/paired_bootstrap.ts";
export * from "../stats/ridge_biases.ts";
export * from "../compare/model_registry.ts";
export * from "../compare/run_comparison.ts";
export * from "../compare/comparison_metrics.ts";
export * from "../compare/aggregate_runs.ts";
export * from "../compare/significance_tests.ts";
export * from "../compare/format_comparison.ts";
export * from "../compare/dataset_presets.ts";
export * from "../compare/load_dataset.ts";
export * from "../compare/paired_comparisons.ts";
export * from "../compare/search_space.ts";
export * from "../compare/run_ablation.ts";
export * from "../compare/format_ablation.ts";
export * from "../pipeline/create_encoder.ts";
export * from "../pipeline/run_training.ts";
export * from "../pipeline/summary_table.ts";
export * from "../pipeline/write_training_outputs.ts";
export * from "../io/csv_text.ts";
export * from "../pipeline/training_report.ts";
