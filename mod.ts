/**
 * # DReX for Deno
 *
 * An explainable, review-aware multimodal recommender: the reference
 * TypeScript implementation of DReX (Shyam et al., 2026). Review text and
 * ratings are fused per interaction; GRUs refine global user and item
 * representations interaction by interaction; an MLP predicts ratings; the
 * attention over review words builds keyword profiles that explain each
 * recommendation (and `explanationQuality` measures how faithful and plausible those
 * explanations are). DReX-MLP starts the representations from rating vectors.
 *
 * Around the model: streaming readers (Amazon Reviews 2023, Amazon 2018
 * 5-core, CSV), deduplication, filters and a seeded split; a text pipeline
 * (wink-nlp lemmas; static or BERT token features, cached); a trainer with
 * early stopping; metrics under two ranking protocols; baselines; significance
 * tests; plots, an HTML report and notebook display.
 *
 * This module exports what a typical script needs: the model, loading and
 * preparing data, token features, evaluation, the two simple baselines,
 * notebook display, and the errors worth catching. The rest lives in named
 * entry points: `@drex/drex/data` (readers, filters, split, statistics),
 * `@drex/drex/text` (preprocessing, encoders, feature cache),
 * `@drex/drex/baselines` (every baseline, and the shell for your own model),
 * `@drex/drex/compare` (metrics, comparisons, tuning, ablations, significance
 * tests, the training job) and `@drex/drex/plots` (figures and reports).
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
 * import { aggregateRuns, comparisonMetrics, runComparison } from "@drex/drex/compare";
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
 * import { display } from "@drex/drex";
 * import { learningCurvesFigure } from "@drex/drex/plots";
 * await display(learningCurvesFigure(model.report));
 * ```
 *
 * @module
 */

// Runtime
export { type BackendName, initBackend } from "./lib/backend/init.ts";

// The model contract
export type {
  EpochRecord,
  Explanation,
  FitHooks,
  FitReport,
  ModelInput,
  RatingPredictor,
  Recommendation,
  Recommender,
} from "./lib/recommender.ts";

// DReX
export { DrexModel } from "./lib/drex/drex_model.ts";
export {
  DREX_DEFAULTS,
  DREX_PAPER_PRESET,
  type DrexOptions,
  type DrexPreset,
  type DrexVariant,
  type ResolvedDrexOptions,
  type StateReadout,
  type StoppingMetric,
} from "./lib/drex/options.ts";
export { type Keyword, keywordOverlap, type KeywordProfiles } from "./lib/drex/keyword_profiles.ts";

// Explanation quality
export {
  type ByExplainer,
  type ExplanationQuality,
  explanationQuality,
  type ExplanationQualityOptions,
  type PairExplainer,
  type PlantedTruth,
  type QualityMetrics,
} from "./lib/explain/explanation_quality.ts";
export {
  effectRankedWords,
  type EffectRankingOptions,
  type Pair,
  type PairEffects,
  pairKey,
  type WordEffect,
} from "./lib/explain/effect_ranking.ts";

// Data
export type { DatasetSplit, IndexedInteraction, Interaction } from "./lib/data/types.ts";
export { IdMap } from "./lib/data/id_map.ts";
export {
  type InteractionFormat,
  type LoadedInteractions,
  loadInteractions,
  type ReadInteractionsOptions,
} from "./lib/data/read_interactions.ts";
export { prepareDataset, type PreparedDataset, type PrepareOptions } from "./lib/data/prepare.ts";

// Text
export {
  extractFeatures,
  type ExtractFeaturesOptions,
  type ExtractFeaturesResult,
} from "./lib/text/extract_features.ts";
export type { Int8PerTokenFeatures, TokenFeatures } from "./lib/text/token_features.ts";
export { compactFeatures } from "./lib/text/compact_features.ts";
export {
  type PerTokenFile,
  PerTokenFileReader,
  writePerTokenFile,
} from "./lib/text/per_token_file.ts";
export type { ResidentInt8Rows } from "./lib/kernels/resident_rows.ts";
export {
  moveIntoResidentRows,
  type ResidentFloatOptions,
  type ResidentFloatRows,
  type ResidentFloatShard,
} from "./lib/kernels/resident_float_rows.ts";
export { createEncoder, type EncoderSpec } from "./lib/pipeline/create_encoder.ts";

// Evaluation
export {
  evaluate,
  type EvaluateOptions,
  type EvaluationResult,
  type RankingProtocol,
} from "./lib/metrics/evaluate.ts";

// The simple baselines every result is read against
export { GlobalMean } from "./lib/baselines/global_mean/global_mean.ts";
export {
  UserItemBias,
  type UserItemBiasOptions,
} from "./lib/baselines/user_item_bias/user_item_bias.ts";

// Notebooks
export {
  display,
  displayable,
  displayMarkdown,
  JUPYTER_DISPLAY,
  markdownTable,
} from "./lib/plots/display.ts";

// Errors worth catching
export { DataError } from "./lib/data/errors.ts";
export { InputFileError } from "./lib/data/input_file_error.ts";
export { EmptyFilterError } from "./lib/data/filter.ts";
export { OutputDirError } from "./lib/io/output_dir.ts";
export { TrainingDivergedError } from "./lib/train/training_diverged_error.ts";

// Types the exports above refer to
export type { SplitOptions } from "./lib/data/split.ts";
export type { SplitPart, SplitReport } from "./lib/data/types.ts";
export type { CsvColumns, CsvReaderOptions } from "./lib/data/read_csv.ts";
export type {
  DataErrorReason,
  ErrorPolicy,
  ReaderOptions,
  ReadSummary,
  SkipExample,
  SkipReport,
  TimestampUnit,
} from "./lib/data/errors.ts";
export type { ByteSource } from "./lib/io/line_stream.ts";
export type { DedupeOptions, DedupeReport, RepeatPolicy } from "./lib/data/dedupe.ts";
export type { FilterCounts, FilterOptions, FilterReport } from "./lib/data/filter.ts";
export type { RatingScale, RatingScaleInput } from "./lib/data/rating_scale.ts";
export type { PrepareReports, PrepareStats } from "./lib/data/prepare.ts";
export type { EncodeOptions, EncodeProgress, TokenEncoder } from "./lib/text/token_encoder.ts";
export type { CountSummary, DatasetStats, RatingCount, SplitStats } from "./lib/data/stats.ts";
export type {
  PreprocessOptions,
  Preprocessor,
  PreprocessProgress,
  ProcessAllOptions,
  ResolvedPreprocessOptions,
} from "./lib/text/preprocess.ts";
export type { ExtractProgress, ExtractStage } from "./lib/text/extract_features.ts";
export type { MetricsAtK, ProtocolMetrics } from "./lib/metrics/evaluate.ts";
export type * from "./lib/plots/figure.ts";
export type { DisplayableFigure, DisplayOptions, PlotlyMimeBundle } from "./lib/plots/display.ts";
