/**
 * # DReX for Deno
 *
 * An explainable, review-aware multimodal recommender: the reference
 * TypeScript implementation of DReX (Shyam et al., 2026). Review text and
 * ratings are fused per interaction; GRUs refine global user and item
 * representations interaction by interaction; an MLP predicts ratings; the
 * attention over review words builds keyword profiles that explain each
 * recommendation. DReX-MLP starts the representations from rating vectors.
 *
 * Around the model: streaming readers (Amazon Reviews 2023, Amazon 2018
 * 5-core, CSV), deduplication, filters and a seeded split; a text pipeline
 * (wink-nlp lemmas; static or BERT token features, cached); a trainer with
 * early stopping; metrics under two ranking protocols; baselines; significance
 * tests; plots, an HTML report and notebook display.
 *
 * @example Train, evaluate, recommend with explanations
 * ```ts ignore
 * import { DrexModel, evaluate, extractFeatures, loadInteractions, prepareDataset } from "@drex/drex";
 *
 * const { interactions } = await loadInteractions("Video_Games.jsonl.gz");
 * const { split } = prepareDataset(interactions); // dedupe; users >= 20, items >= 5; 70/10/20
 * const { features } = await extractFeatures(split.train.map((it) => it.review));
 * const model = new DrexModel({ variant: "drex", latentDim: 64 });
 * await model.fit({ split, features });
 * console.log(evaluate(model, split).ranking["test-items"]?.ndcg[10]);
 * for (const r of model.recommend(0, 5)) console.log(r.itemId, r.score, r.explanation?.keywords);
 * await model.save("out/model");
 * ```
 *
 * @example Compare models and test significance
 * ```ts ignore
 * import { aggregateRuns, comparisonMetrics, runComparison, significanceTests } from "@drex/drex";
 *
 * const result = await runComparison({
 *   datasets: [{ name: "games", data: { path: "Video_Games.jsonl.gz" } }],
 *   models: ["drex", "drex-mlp", "biased-mf", "deepconn"],
 * });
 * const metrics = comparisonMetrics();
 * const table = aggregateRuns(result.runs, metrics);
 * ```
 *
 * @example Plot in a Deno Jupyter notebook
 * ```ts ignore
 * import { display, learningCurvesFigure } from "@drex/drex";
 * await display(learningCurvesFigure(model.report));
 * ```
 *
 * @module
 */

// Runtime
export * from "./lib/backend/init.ts";
export * from "./lib/random.ts";

// The model contract
export * from "./lib/recommender.ts";
export * from "./lib/train/early_stopping.ts";

// Data
export * from "./lib/data/types.ts";
export * from "./lib/data/id_map.ts";
export * from "./lib/data/errors.ts";
export * from "./lib/data/read_amazon2023.ts";
export * from "./lib/data/read_amazon2018.ts";
export * from "./lib/data/read_csv.ts";
export * from "./lib/data/read_interactions.ts";
export * from "./lib/data/dedupe.ts";
export * from "./lib/data/filter.ts";
export * from "./lib/data/split.ts";
export * from "./lib/data/stats.ts";
export * from "./lib/data/prepare.ts";
export {
  checkScaleParts,
  DEFAULT_RATING_SCALE,
  formatRatingScale,
  inferRatingScale,
  onScale,
  parseRatingScale,
  // The review models' options type is `RatingScale` too (ratingMin/ratingMax).
  type RatingScale as DatasetRatingScale,
  type RatingScaleInput,
  ratingScaleOptions,
  resolveRatingScale,
  scaleLevelCount,
  scaleParts,
} from "./lib/data/rating_scale.ts";
export * from "./lib/data/synthetic.ts";
export {
  type ByteSource,
  type Line,
  readLines,
  type ReadLinesOptions,
} from "./lib/io/line_stream.ts";

// Text
export * from "./lib/text/preprocess.ts";
export * from "./lib/text/token_encoder.ts";
export * from "./lib/text/static_encoder.ts";
export * from "./lib/text/bert_encoder.ts";
export * from "./lib/text/token_features.ts";
export * from "./lib/text/feature_cache.ts";
export * from "./lib/text/extract_features.ts";

// DReX
export { DrexModel } from "./lib/drex/drex_model.ts";
export * from "./lib/drex/options.ts";
export * from "./lib/drex/keyword_profiles.ts";

// Baselines
export * from "./lib/baselines/global_mean/global_mean.ts";
export * from "./lib/baselines/user_item_bias/user_item_bias.ts";
export * from "./lib/baselines/biased_mf/biased_mf.ts";
export * from "./lib/baselines/biased_mf/options.ts";
export type { FactorParams } from "./lib/baselines/common/factor_scores.ts";
export type { RowOptimizerKind } from "./lib/baselines/common/row_optimizer.ts";
export * from "./lib/baselines/emf/emf.ts";
export * from "./lib/baselines/emf/options.ts";
export type { NeighbourRating } from "./lib/baselines/emf/explainability.ts";
export * from "./lib/baselines/dmf/dmf.ts";
export * from "./lib/baselines/dmf/options.ts";
// The shell the trained baselines share (state, predictions, recommendations), and what the review models add.
export * from "./lib/baselines/common/trained_recommender.ts";
export * from "./lib/baselines/common/review_recommender.ts";
export type { PairScorer } from "./lib/baselines/common/pair_scorer.ts";
export type { RatedPairs } from "./lib/baselines/common/training_pairs.ts";
export * from "./lib/baselines/deepconn/deepconn.ts";
export * from "./lib/baselines/deepconn/options.ts";
export * from "./lib/baselines/narre/narre.ts";
export * from "./lib/baselines/narre/options.ts";
export * from "./lib/baselines/pesi/pesi.ts";
export * from "./lib/baselines/pesi/options.ts";

// Evaluation and statistics
export * from "./lib/metrics/rating_metrics.ts";
export * from "./lib/metrics/ranking_metrics.ts";
export * from "./lib/metrics/rank_items.ts";
export * from "./lib/metrics/evaluate.ts";
export * from "./lib/stats/distributions.ts";
export * from "./lib/stats/friedman.ts";
export * from "./lib/stats/nemenyi.ts";
export * from "./lib/stats/paired_bootstrap.ts";
export * from "./lib/stats/ridge_biases.ts";

// Comparison
export * from "./lib/compare/model_registry.ts";
export * from "./lib/compare/run_comparison.ts";
export * from "./lib/compare/comparison_metrics.ts";
export * from "./lib/compare/aggregate_runs.ts";
export * from "./lib/compare/significance_tests.ts";
export * from "./lib/compare/format_comparison.ts";
export * from "./lib/compare/dataset_presets.ts";
export * from "./lib/compare/load_dataset.ts";
export * from "./lib/compare/paired_comparisons.ts";
export * from "./lib/compare/search_space.ts";
export * from "./lib/compare/run_ablation.ts";
export * from "./lib/compare/format_ablation.ts";

// Whole jobs
export * from "./lib/pipeline/create_encoder.ts";
export * from "./lib/pipeline/run_training.ts";
export * from "./lib/pipeline/summary_table.ts";
export * from "./lib/pipeline/write_training_outputs.ts";
export * from "./lib/io/csv_text.ts";
export * from "./lib/pipeline/training_report.ts";

// Figures, notebooks, reports
export * from "./lib/plots/figure.ts";
export * from "./lib/plots/palette.ts";
export * from "./lib/plots/learning_curves.ts";
export * from "./lib/plots/metric_at_k.ts";
export * from "./lib/plots/rating_bars.ts";
export * from "./lib/plots/dataset_stats.ts";
export * from "./lib/plots/keyword_overlap.ts";
export * from "./lib/plots/cd_diagram.ts";
export * from "./lib/plots/static_svg.ts";
export * from "./lib/plots/display.ts";
export * from "./lib/plots/seed_summary.ts";
export * from "./lib/report/html_report.ts";
export * from "./lib/report/report_summary.ts";
export * from "./lib/report/plotly_source.ts";
export * from "./lib/report/plot_manifest.ts";
