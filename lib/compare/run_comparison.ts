/**
 * The paper's comparison as a function: every model on every dataset, with
 * several seeds, on identical splits. Each dataset is read, prepared and
 * featurised once; every model and seed trains on that same split and the
 * same training-review features.
 *
 * @module
 */
import type { PreparedDataset, PrepareOptions } from "../data/prepare.ts";
import type { RatingScale, RatingScaleInput } from "../data/rating_scale.ts";
import type { ReadInteractionsOptions } from "../data/read_interactions.ts";
import {
  evaluate,
  type EvaluateOptions,
  type EvaluationResult,
  testRatingPredictions,
} from "../metrics/evaluate.ts";
import { createEncoder, type EncoderSpec } from "../pipeline/create_encoder.ts";
import type { FitReport } from "../recommender.ts";
import { extractFeatures } from "../text/extract_features.ts";
import type { PreprocessOptions } from "../text/preprocess.ts";
import type { TokenFeatures } from "../text/token_features.ts";
import { loadDataset } from "./load_dataset.ts";
import { modelEntry } from "./model_registry.ts";

/** One dataset of a comparison. */
export interface DatasetSpec {
  /** Name used in tables. */
  name: string;
  /**
   * What the data are and what to keep in mind reading results on them (help texts, notes).
   * @default none
   */
  description?: string;
  /** The file and its reader options. */
  data: ReadInteractionsOptions & { path: string };
  /**
   * Dedupe, filter and split options (the split is the same for every model and seed).
   * @default the paper's filters, split seed 42
   */
  prepare?: PrepareOptions;
  /**
   * The rating scale, for the reader, the preparation and every model
   * (clipping, DReX's rating levels); parts left out are inferred from the
   * ratings. Takes precedence over `data.ratingScale` and `prepare.ratingScale`.
   * @default [1, 5], step inferred (1 for whole stars)
   */
  ratingScale?: RatingScaleInput;
}

/** What to compare. */
export interface ComparisonConfig {
  /** Datasets, in table order. */
  datasets: DatasetSpec[];
  /** Model keys of `MODEL_REGISTRY`, in table order. */
  models: string[];
  /**
   * Seeds; each seeded model runs once per seed (deterministic ones once).
   * @default [1, 2, 3]
   */
  seeds?: number[];
  /**
   * Token encoder for the review models.
   * @default { kind: "static" }
   */
  encoder?: EncoderSpec;
  /**
   * Review preprocessing.
   * @default { maxWords: 64 }
   */
  preprocess?: PreprocessOptions;
  /**
   * Feature cache folder, or `false`.
   * @default the default cache folder
   */
  cache?: string | false;
  /**
   * Hyperparameters per model key, for every dataset (e.g. `{ drex: { maxEpochs: 50 } }`).
   * @default {}
   */
  modelOptions?: Record<string, Record<string, unknown>>;
  /**
   * Tuned hyperparameters per dataset name and model key (what `deno task tune`
   * writes); they override `modelOptions`.
   * @default {}
   */
  settings?: Record<string, Record<string, Record<string, unknown>>>;
  /**
   * Evaluation options.
   * @default both protocols, k in {1, 2, 3, 4, 5, 10, 15, 20}
   */
  evaluation?: EvaluateOptions;
}

/** One trained model's result. */
export interface RunRecord {
  /** Dataset name. */
  dataset: string;
  /** Model key. */
  key: string;
  /** Model display name. */
  model: string;
  /** Seed (0 for deterministic models). */
  seed: number;
  /** Hyperparameters used. */
  options: Record<string, unknown>;
  /** Test metrics. */
  metrics: EvaluationResult;
  /** Training report. */
  report: FitReport;
}

/** One run's predictions for its dataset's rated test interactions (in split order). */
export interface TestPredictions {
  /** Dataset name. */
  dataset: string;
  /** Model key. */
  key: string;
  /** Model display name. */
  model: string;
  /** Seed (0 for deterministic models). */
  seed: number;
  /** Predictions, aligned with `ComparisonResult.testRatings[dataset]`. */
  values: Float32Array;
}

/** A dataset as the comparison used it. */
export interface DatasetSummary {
  /** Name. */
  name: string;
  /** File. */
  path: string;
  /** Users, items and interactions per part after preparation. */
  users: number;
  /** Items after preparation. */
  items: number;
  /** Interactions per part. */
  interactions: { train: number; validation: number; test: number };
  /** How the data were prepared (reports of each step). */
  reports: PreparedDataset["reports"];
  /** Token features: encoder id and width. */
  features: { encoder: string; dim: number } | null;
  /** The rating scale every model was given. */
  ratingScale: RatingScale;
}

/** Everything a comparison produced. */
export interface ComparisonResult {
  /** The configuration (with defaults filled in). */
  config: ComparisonConfig;
  /** The datasets. */
  datasets: DatasetSummary[];
  /** Every run, in the order they ran. */
  runs: RunRecord[];
  /**
   * Test predictions of every run of a model that predicts ratings, for
   * paired comparisons (every seed shares its dataset's split, so the
   * predictions of all runs on a dataset align). Large: not for JSON.
   */
  testPredictions: TestPredictions[];
  /** Per dataset name: the ratings of the rated test interactions, in split order. */
  testRatings: Record<string, Float32Array>;
}

/** Hooks to follow a comparison. */
export interface ComparisonHooks {
  /** Progress messages. @default undefined */
  log?: (message: string) => void;
  /** Called after each run. @default undefined */
  onRun?: (run: RunRecord) => void;
}

/** Runs the comparison described by `config` (see the module doc). */
export async function runComparison(
  config: ComparisonConfig,
  hooks: ComparisonHooks = {},
): Promise<ComparisonResult> {
  const log = hooks.log ?? (() => {});
  const seeds = config.seeds ?? [1, 2, 3];
  if (seeds.length === 0) throw new RangeError("runComparison: seeds is empty");
  const entries = config.models.map((key) => [key, modelEntry(key)] as const);
  const runs: RunRecord[] = [];
  const datasets: DatasetSummary[] = [];
  const testPredictions: TestPredictions[] = [];
  const testRatings: Record<string, Float32Array> = {};
  for (const ds of config.datasets) {
    const prepared = await loadDataset(ds);
    const split = prepared.split;
    log(
      `${ds.name}: ${split.users.size} users, ${split.items.size} items, ` +
        `train/validation/test ${split.train.length}/${split.validation.length}/${split.test.length}`,
    );
    let features: TokenFeatures | undefined;
    if (entries.some(([, e]) => e.needsFeatures)) {
      features = (await extractFeatures(split.train.map((it) => it.review), {
        encoder: await createEncoder(config.encoder ?? { kind: "static" }),
        preprocess: config.preprocess,
        cache: config.cache !== false,
        cacheDir: typeof config.cache === "string" ? config.cache : undefined,
        onWarning: log,
      })).features;
    }
    datasets.push({
      name: ds.name,
      path: ds.data.path,
      users: split.users.size,
      items: split.items.size,
      interactions: {
        train: split.train.length,
        validation: split.validation.length,
        test: split.test.length,
      },
      reports: prepared.reports,
      features: features ? { encoder: features.encoder, dim: features.dim } : null,
      ratingScale: prepared.ratingScale,
    });
    testRatings[ds.name] = Float32Array.from(
      split.test.filter((it) => it.rating !== undefined),
      (it) => it.rating as number,
    );
    for (const [key, entry] of entries) {
      const options = {
        ...entry.scaleOptions(prepared.ratingScale),
        ...config.modelOptions?.[key],
        ...config.settings?.[ds.name]?.[key],
      };
      for (const seed of entry.seeded ? seeds : [0]) {
        const model = entry.create(options, seed);
        try {
          const report = await model.fit({ split, features }, { progress: false });
          const metrics = evaluate(model, split, config.evaluation);
          const run: RunRecord = {
            dataset: ds.name,
            key,
            model: entry.name,
            seed,
            options,
            metrics,
            report,
          };
          runs.push(run);
          if (model.predictsRatings !== false) {
            const values = testRatingPredictions(model, split);
            testPredictions.push({ dataset: ds.name, key, model: entry.name, seed, values });
          }
          const mae = model.predictsRatings === false ? "— (ranks only)" : metrics.mae.toFixed(4);
          log(
            `${ds.name} · ${entry.name}${entry.seeded ? ` · seed ${seed}` : ""}: MAE ${mae}, ` +
              `${report.history.length} epochs, ${report.seconds.toFixed(1)} s`,
          );
          hooks.onRun?.(run);
        } finally {
          model.dispose();
        }
      }
    }
  }
  return { config: { ...config, seeds }, datasets, runs, testPredictions, testRatings };
}
