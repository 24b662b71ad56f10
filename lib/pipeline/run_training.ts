/**
 * The whole DReX job as one function: read a dataset, dedupe, filter, split,
 * extract token features of the training reviews (cached), train DReX (and
 * the global-mean and bias baselines for context), evaluate everything under
 * both ranking protocols, and collect explanations. `deno task train` and the
 * notebooks call this.
 *
 * @module
 */
import { dirname, join } from "node:path";
import type { DatasetSplit } from "../data/types.ts";
import {
  type ExplanationQuality,
  explanationQuality,
  type ExplanationQualityOptions,
  type PlantedTruth,
} from "../explain/explanation_quality.ts";
import { Preprocessor } from "../text/preprocess.ts";
import { ProgressBar } from "../util/progress_bar.ts";
import { GlobalMean } from "../baselines/global_mean/global_mean.ts";
import { UserItemBias } from "../baselines/user_item_bias/user_item_bias.ts";
import { prepareDataset, type PreparedDataset, type PrepareOptions } from "../data/prepare.ts";
import { ratingScaleOptions } from "../data/rating_scale.ts";
import { loadInteractions, type ReadInteractionsOptions } from "../data/read_interactions.ts";
import { DrexModel } from "../drex/drex_model.ts";
import type { Keyword } from "../drex/keyword_profiles.ts";
import type { DrexOptions } from "../drex/options.ts";
import { evaluate, type EvaluateOptions, type EvaluationResult } from "../metrics/evaluate.ts";
import type { EpochRecord, FitReport, Recommender } from "../recommender.ts";
import { extractFeatures } from "../text/extract_features.ts";
import { compactFeatures } from "../text/compact_features.ts";
import type { PreprocessOptions } from "../text/preprocess.ts";
import { createEncoder, type EncoderSpec } from "./create_encoder.ts";

/** Everything a training run needs; every part but `data.path` has defaults. */
export interface TrainingConfig {
  /** The dataset: a path plus reader options (format, CSV columns, title handling, error policy). */
  data: ReadInteractionsOptions & { path: string };
  /**
   * Dedupe, filter and split options, and the rating scale DReX is given
   * (`prepare.ratingScale`, else the reader's `data.ratingScale`).
   * @default the paper's filters (users >= 20 ratings, items >= 5), seed 42, 70/10/20
   */
  prepare?: PrepareOptions;
  /**
   * The token encoder.
   * @default { kind: "static" }
   */
  encoder?: EncoderSpec;
  /**
   * Review preprocessing.
   * @default { maxWords: 64 }
   */
  preprocess?: PreprocessOptions;
  /**
   * Feature cache: folder, or `false` to disable.
   * @default the default cache folder
   */
  cache?: string | false;
  /**
   * Store per-token (BERT) features as int8 rows with a scale each
   * (`compactFeatures`): a quarter of the memory, and DReX's pooling reads
   * them in place; static features are small and stay as they are. The
   * cache keeps the float features.
   * @default false
   */
  compactFeatures?: boolean;
  /**
   * Leave per-token (BERT) features in their feature-cache file and read
   * them batch by batch (`perTokenFile`), so that they take no memory of the
   * process: 3.1 GB for 31k reviews at D = 384 otherwise. Needs the cache.
   * With `compactFeatures`, the int8 rows are made from the file review by
   * review, so the float features are never all in memory. Static features
   * are small and stay in memory.
   * @default false
   */
  featuresInFile?: boolean;
  /**
   * DReX hyperparameters (including the variant); `ratingMin`, `ratingMax`
   * and `ratingStep` default to the prepared dataset's rating scale.
   * @default {} (see DrexOptions)
   */
  model?: DrexOptions;
  /**
   * Also train the global-mean and user+item bias baselines for comparison.
   * @default true
   */
  baselines?: boolean;
  /**
   * Evaluation options.
   * @default both protocols, k in {1, 2, 3, 4, 5, 10, 15, 20}
   */
  evaluation?: EvaluateOptions;
  /**
   * How many users' recommendations (with explanations) are collected: the
   * most active ones (most training interactions), after `explainUserIds`.
   * @default 3
   */
  explainUsers?: number;
  /**
   * Users (dataset ids) whose recommendations are collected first.
   * @default []
   */
  explainUserIds?: string[];
  /**
   * Measure explanation quality (`explanationQuality`): `false` to skip, or
   * options. Plausibility is measured when a synthetic dataset's
   * `truth.json` lies beside the data file.
   * @default true
   */
  explanationQuality?: boolean | ExplanationQualityOptions;
  /**
   * Recommendations collected per explained user.
   * @default 5
   */
  explainItems?: number;
}

/** Hooks to watch a run. */
export interface TrainingHooks {
  /** Progress messages (one line each). @default undefined */
  log?: (message: string) => void;
  /** DReX's per-epoch records, as they happen. @default undefined */
  onEpoch?: (record: EpochRecord) => void;
  /**
   * Show progress on standard error: a bar on a terminal, plain lines
   * elsewhere (feature extraction, and one line per training epoch).
   * @default true
   */
  progress?: boolean;
}

/** One trained model's outcome. */
export interface ModelOutcome {
  /** The model, trained. */
  model: Recommender;
  /** Its training report. */
  report: FitReport;
  /** Its test metrics. */
  metrics: EvaluationResult;
}

/** A recommended item with its explanation, by id. */
export interface ExplainedRecommendation {
  /** Item id. */
  itemId: string;
  /** Predicted rating. */
  score: number;
  /** The item's top-K keywords. */
  itemProfile: Keyword[];
  /** Shared keywords, strongest first. */
  overlap: Keyword[];
}

/** A user's profile and top recommendations, for reports. */
export interface ExplainedUser {
  /** User id. */
  userId: string;
  /** The user's top-K keywords. */
  userProfile: Keyword[];
  /** Top recommendations with explanations. */
  recommendations: ExplainedRecommendation[];
}

/** Everything a run produced. */
export interface TrainingRun {
  /** The resolved configuration. */
  config: TrainingConfig;
  /** The prepared data (split, reports, statistics). */
  prepared: PreparedDataset;
  /** The format read and the reader's summary (skipped lines, if any). */
  read: { format: string; lines: number; skipped: number };
  /** The features' encoder id, width, vocabulary size, and whether they came from the cache. */
  features: {
    encoder: string;
    dim: number;
    vocabulary: number;
    cacheHit: boolean;
    seconds: number;
  };
  /** Outcomes by model name, DReX first. */
  models: Record<string, ModelOutcome>;
  /** DReX's name in `models` ("DReX" or "DReX-MLP"). */
  drexName: string;
  /** Explained recommendations for a few users. */
  explanations: ExplainedUser[];
  /** Explanation quality (unless turned off). */
  explanationQuality?: ExplanationQuality;
}

/** Runs the whole job described by `config`. */
export async function runTraining(
  config: TrainingConfig,
  hooks: TrainingHooks = {},
): Promise<TrainingRun> {
  const log = hooks.log ?? (() => {});
  if (config.featuresInFile && config.cache === false) {
    throw new TypeError(
      "featuresInFile keeps the features in the feature cache, which is turned off (cache: false)",
    );
  }
  const loaded = await loadInteractions(config.data.path, config.data);
  log(
    `read ${loaded.interactions.length} interactions (${loaded.format}) from ${config.data.path}`,
  );
  const skipped = loaded.summary.skipped;
  if (skipped.total > 0) {
    const reasons = Object.entries(skipped.byReason).map(([r, n]) => `${n} ${r}`).join(", ");
    log(`skipped ${skipped.total} malformed lines (${reasons}); the first:`);
    for (const e of skipped.examples) log(`  ${e.message}`);
  }
  const prepared = prepareDataset(loaded.interactions, {
    ...config.prepare,
    ratingScale: config.prepare?.ratingScale ?? config.data.ratingScale,
  });
  const { split } = prepared;
  const { dedupe, filter } = prepared.reports;
  log(
    `dedupe: ${dedupe.input} → ${dedupe.output} interactions (${dedupe.exactDuplicates} exact ` +
      `duplicates, ${dedupe.repeatsDropped} repeated user–item pairs, ${dedupe.sameTextDropped} ` +
      `copied reviews removed)`,
  );
  log(
    `filter (users ≥ ${filter.minUserRatings}, items ≥ ${filter.minItemRatings}${
      filter.kCore ? ", k-core" : ""
    }): removed ${filter.droppedUsers} users, ${filter.droppedItems} items, ` +
      `${filter.droppedInteractions} interactions`,
  );
  if (split.train.every((it) => !it.review)) {
    log(
      "warning: no training interaction has review text; DReX learns from the ratings alone " +
        "and its keyword explanations are empty",
    );
  }
  log(
    `split: ${split.users.size} users, ${split.items.size} items; ` +
      `train ${split.train.length} / validation ${split.validation.length} / test ${split.test.length}`,
  );

  const started = performance.now();
  const encoderSpec = config.encoder ?? { kind: "static" };
  // Encoding with BERT takes long (about an hour per 30k reviews for bert-base): show progress.
  const bars = new Map<string, ProgressBar>();
  const extracted = await extractFeatures(split.train.map((it) => it.review), {
    encoder: await createEncoder(encoderSpec),
    preprocess: config.preprocess,
    cache: config.cache !== false,
    cacheDir: typeof config.cache === "string" ? config.cache : undefined,
    perToken: config.featuresInFile ? "file" : "memory",
    onWarning: log,
    onProgress: hooks.progress === false ? undefined : (stage, done, total) => {
      let bar = bars.get(stage);
      if (!bar) {
        bars.set(
          stage,
          bar = new ProgressBar(`features: ${stage}`, Deno.stderr, { plainEvery: 10 }),
        );
      }
      bar.update({ done, total });
      if (done >= total) bar.finish();
    },
  });
  const features = config.compactFeatures
    ? compactFeatures(extracted.features)
    : extracted.features;
  const featureSeconds = (performance.now() - started) / 1000;
  log(
    `features: ${features.encoder}, D = ${features.dim}, ${features.vocab.length} lemmas` +
      (features.perTokenInt8
        ? ", int8 per token "
        : features.perTokenFile
        ? `, read from ${features.perTokenFile.path} `
        : " ") +
      `(${extracted.cacheHit ? "cache hit" : "computed"}, ${featureSeconds.toFixed(1)} s)`,
  );

  const models: Record<string, ModelOutcome> = {};
  const drex = new DrexModel({
    ...ratingScaleOptions(prepared.ratingScale, true),
    ...config.model,
  } as DrexOptions);
  log(`training ${drex.name}`);
  const report = await drex.fit({ split, features }, {
    onEpoch: hooks.onEpoch,
    progress: hooks.progress,
  });
  log(
    `${drex.name}: best epoch ${report.bestEpoch} of ${report.history.length} (${
      report.seconds.toFixed(1)
    } s)`,
  );
  models[drex.name] = { model: drex, report, metrics: evaluate(drex, split, config.evaluation) };

  if (config.baselines ?? true) {
    for (const model of [new GlobalMean(), new UserItemBias()]) {
      const r = await model.fit({ split });
      models[model.name] = { model, report: r, metrics: evaluate(model, split, config.evaluation) };
    }
  }

  const explanations: ExplainedUser[] = [];
  for (const u of usersToExplain(split, config.explainUserIds ?? [], config.explainUsers ?? 3)) {
    explanations.push({
      userId: split.users.id(u),
      userProfile: drex.userProfile(u),
      recommendations: drex.recommend(u, config.explainItems ?? 5).map((r) => ({
        itemId: r.itemId,
        score: r.score,
        itemProfile: drex.itemProfile(r.item),
        overlap: r.explanation?.keywords ?? [],
      })),
    });
  }

  let explanationQualityResult: ExplanationQuality | undefined;
  if (config.explanationQuality !== false) {
    const started = performance.now();
    const truth = await plantedTruthBeside(config.data.path);
    explanationQualityResult = explanationQuality(drex, { split, features }, {
      truth,
      preprocessor: new Preprocessor(config.preprocess),
      ...(typeof config.explanationQuality === "object" ? config.explanationQuality : {}),
    });
    const q = explanationQualityResult;
    const line = (name: string, v?: Record<string, number>) =>
      v ? `${name}: ${Object.entries(v).map(([e, x]) => `${e} ${x.toFixed(3)}`).join(", ")}` : "";
    log(
      `explanation quality at k = ${q.k} (${
        ((performance.now() - started) / 1000).toFixed(1)
      } s): ` +
        [
          line("faithfulness", q.metrics.faithfulness),
          line("plausibility", q.metrics.plausibility),
          line("held-out", q.metrics.heldout),
        ].filter((s) => s !== "").join("; "),
    );
  }

  return {
    config: { ...config, encoder: encoderSpec },
    prepared,
    read: {
      format: loaded.format,
      lines: loaded.summary.lines,
      skipped: loaded.summary.skipped.total,
    },
    features: {
      encoder: features.encoder,
      dim: features.dim,
      vocabulary: features.vocab.length,
      cacheHit: extracted.cacheHit,
      seconds: featureSeconds,
    },
    models,
    drexName: drex.name,
    explanations,
    explanationQuality: explanationQualityResult,
  };
}

/**
 * The users whose recommendations a run shows: `ids` first (each must be a
 * user of the split), then the most active users (most training
 * interactions, ties by index) up to `count` in all.
 */
export function usersToExplain(
  split: DatasetSplit,
  ids: readonly string[],
  count: number,
): number[] {
  const chosen: number[] = [];
  for (const id of ids) {
    const u = split.users.get(id);
    if (u === undefined) {
      throw new RangeError(`explain: unknown user id "${id}" (not in the prepared data)`);
    }
    if (!chosen.includes(u)) chosen.push(u);
  }
  const activity = new Int32Array(split.users.size);
  for (const it of split.train) activity[it.user]++;
  const byActivity = Array.from({ length: split.users.size }, (_, u) => u)
    .sort((a, b) => activity[b] - activity[a] || a - b);
  for (const u of byActivity) {
    if (chosen.length >= Math.max(count, ids.length)) break;
    if (!chosen.includes(u)) chosen.push(u);
  }
  return chosen;
}

/** The planted truth of a synthetic dataset, when `truth.json` lies beside `dataPath`. */
async function plantedTruthBeside(dataPath: string): Promise<PlantedTruth | undefined> {
  try {
    const truth = JSON.parse(await Deno.readTextFile(join(dirname(dataPath), "truth.json")));
    if (typeof truth?.generator === "string" && truth.generator.startsWith("drex-synthetic")) {
      return truth as PlantedTruth;
    }
  } catch { /* no truth beside the data: plausibility is not measured */ }
  return undefined;
}
