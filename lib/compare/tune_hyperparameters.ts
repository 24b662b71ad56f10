/**
 * Hyperparameter search as in the paper's section 4.4, made fair: each model
 * has its own search space (the paper's learning rate × lambda × d for the
 * models trained by gradient steps, the two shrinkages for the bias model,
 * whatever keys a model lists), and every model gets the same budget of
 * settings on the same split (its full grid when that fits, else a seeded
 * random sample of the grid; see `search_space.ts`), plus the model's own
 * defaults when the grid lacks them, so that tuning never picks a setting
 * worse on validation than the defaults it replaces. Each setting is trained
 * with several seeds (early stopping on validation, as always) and scored on
 * the validation interactions; the setting with the best mean score is
 * chosen. The test interactions are never looked at.
 *
 * @module
 */
import { TrainingDivergedError } from "../train/training_diverged_error.ts";
import type { DatasetSplit } from "../data/types.ts";
import { evaluate, type EvaluationResult } from "../metrics/evaluate.ts";
import { createEncoder, type EncoderSpec } from "../pipeline/create_encoder.ts";
import { extractFeatures } from "../text/extract_features.ts";
import type { PreprocessOptions } from "../text/preprocess.ts";
import type { TokenFeatures } from "../text/token_features.ts";
import { loadDataset } from "./load_dataset.ts";
import { modelEntry } from "./model_registry.ts";
import type { DatasetSpec } from "./run_comparison.ts";
import {
  budgetedSettings,
  checkSearchSpace,
  DEFAULT_BUDGET,
  PAPER_GRID,
  type SearchSpace,
  type Setting,
  type SettingValue,
  withDefaultPoint,
} from "./search_space.ts";

export { PAPER_GRID };

/**
 * The validation score a setting is chosen by: `"rmse"` or `"mae"` (lower is
 * better), or a "test-items" ranking metric on the validation items such as
 * `"ndcg@10"` or `"f1@10"` (higher is better). `"auto"` uses RMSE for models
 * that predict ratings and NDCG@10 for models that only score (DMF).
 */
export type SelectionMetric = "auto" | "rmse" | "mae" | `ndcg@${number}` | `f1@${number}`;

/** What to tune. */
export interface TuneConfig {
  /** Datasets. */
  datasets: DatasetSpec[];
  /** Model keys (see `MODEL_REGISTRY`); models with an empty search space are skipped. */
  models: string[];
  /**
   * Values for option keys, in every model whose search space has that key
   * (e.g. `{ learningRate: [0.01, 0.001] }` narrows every learning-rate model).
   * @default {} (each model's own space)
   */
  grid?: Readonly<Record<string, readonly SettingValue[] | undefined>>;
  /**
   * Per model key, values for option keys merged into (or added to) that
   * model's space, e.g. `{ bias: { userReg: [0, 10] }, drex: { dropout: [0, 0.3] } }`.
   * @default {}
   */
  spaces?: Readonly<Record<string, SearchSpace>>;
  /**
   * Settings tried per model, the same for every model: the full grid when it
   * has at most this many points, else a seeded random sample of this size.
   * @default 20 (the size of the paper's grid)
   */
  budget?: number;
  /**
   * Also try each model's defaults (read at its search keys) when the
   * settings lack them; every model alike.
   * @default true
   */
  tryDefaults?: boolean;
  /** Seed of the random sample of a grid larger than the budget. @default 1 */
  sampleSeed?: number;
  /** Seeds per setting (the paper averages three runs). @default [1, 2, 3] */
  seeds?: number[];
  /** @default "auto" */
  selectOn?: SelectionMetric;
  /** Options applied to every trial of a model key (for instance `{ maxEpochs: 30 }`). @default {} */
  modelOptions?: Record<string, Record<string, unknown>>;
  /** @default { kind: "static" } */
  encoder?: EncoderSpec;
  /** @default { maxWords: 64 } */
  preprocess?: PreprocessOptions;
}

/** One setting's outcome. */
export interface TuneTrial {
  /** Dataset name. */
  dataset: string;
  /** Model key. */
  model: string;
  /** The setting. */
  setting: Setting;
  /** The metric it was scored by. */
  metric: string;
  /** Score per seed. */
  scores: number[];
  /** Mean score. */
  mean: number;
}

/** How much of its space a model was searched. */
export interface ModelBudget {
  /** The budget every model was given. */
  budget: number;
  /** Settings tried (the budget, or the whole grid when smaller, plus the defaults when added). */
  settings: number;
  /** Points in the model's full grid. */
  gridSize: number;
  /** Whether the settings are a random sample of the grid. */
  sampled: boolean;
  /** Training runs per setting (seeds for a seeded model, 1 otherwise). */
  runsPerSetting: number;
  /**
   * The model's defaults at its search keys, when they were tried: `"added"`
   * (the grid lacked them), `"in-grid"`, or `"not-tried"` (switched off, or a
   * key has no default).
   */
  defaults: "added" | "in-grid" | "not-tried";
}

/** The chosen settings and every trial. */
export interface TuneResult {
  /** `settings[dataset][model]`: the chosen hyperparameters (what `deno task compare --settings` reads). */
  settings: Record<string, Record<string, Setting>>;
  /** Every trial, in the order run. */
  trials: TuneTrial[];
  /** Per model key: its budget and how much of its grid it covered. */
  budgets: Record<string, ModelBudget>;
  /** The configuration, with defaults filled in (datasets by name). */
  config: {
    spaces: Record<string, SearchSpace>;
    budget: number;
    tryDefaults: boolean;
    sampleSeed: number;
    seeds: number[];
    selectOn: SelectionMetric;
    datasets: string[];
    models: string[];
  };
}

/** Hooks to follow tuning. */
export interface TuneHooks {
  /** Progress messages. @default undefined */
  log?: (message: string) => void;
}

/** The split seen from validation: its validation interactions become the "test" part scored. */
export function validationView(split: DatasetSplit): DatasetSplit {
  return { ...split, validation: [], test: split.validation };
}

/** Reads a selection metric from an evaluation on the validation view; returns the score and whether lower is better. */
export function selectionScore(
  result: EvaluationResult,
  metric: Exclude<SelectionMetric, "auto">,
): number {
  if (metric === "rmse") return result.rmse;
  if (metric === "mae") return result.mae;
  const [name, k] = metric.split("@");
  const values = result.ranking["test-items"]?.[name === "ndcg" ? "ndcg" : "f1"];
  return values?.[Number(k)] ?? NaN;
}

function lowerIsBetter(metric: string): boolean {
  return metric === "rmse" || metric === "mae";
}

/**
 * The space searched for model `key`: its registry space, with `grid`'s
 * values for the keys it has, then `space`'s keys merged in.
 */
export function modelSearchSpace(
  key: string,
  grid: TuneConfig["grid"] = {},
  space: SearchSpace = {},
): SearchSpace {
  const out: Record<string, readonly SettingValue[]> = { ...modelEntry(key).searchSpace };
  for (const [k, values] of Object.entries(grid)) {
    if (values !== undefined && k in out) out[k] = values;
  }
  Object.assign(out, space);
  checkSearchSpace(out, `tune: model "${key}"`);
  return out;
}

/** Runs the search described by `config` (see the module doc). */
export async function tuneHyperparameters(
  config: TuneConfig,
  hooks: TuneHooks = {},
): Promise<TuneResult> {
  const log = hooks.log ?? (() => {});
  const budget = config.budget ?? DEFAULT_BUDGET;
  if (!Number.isInteger(budget) || budget < 1) {
    throw new RangeError(`tune: budget must be a positive integer, got ${budget}`);
  }
  const sampleSeed = config.sampleSeed ?? 1;
  const tryDefaults = config.tryDefaults ?? true;
  for (const key of Object.keys(config.spaces ?? {})) {
    if (!config.models.includes(key)) {
      throw new RangeError(`tune: a search space is given for "${key}", which is not tuned`);
    }
  }
  const seeds = config.seeds ?? [1, 2, 3];
  const selectOn = config.selectOn ?? "auto";
  const spaces: Record<string, SearchSpace> = {};
  const budgets: Record<string, ModelBudget> = {};
  const plans = new Map<string, Setting[]>();
  for (const key of config.models) {
    const space = modelSearchSpace(key, config.grid, config.spaces?.[key]);
    if (Object.keys(space).length === 0) continue; // nothing to tune (global mean)
    const plan = budgetedSettings(space, budget, sampleSeed);
    const withDefaults = tryDefaults
      ? withDefaultPoint(plan.points, space, modelEntry(key).defaults)
      : { points: plan.points, added: false, defaults: undefined };
    spaces[key] = space;
    plans.set(key, withDefaults.points);
    budgets[key] = {
      budget,
      settings: withDefaults.points.length,
      gridSize: plan.gridSize,
      sampled: plan.sampled,
      runsPerSetting: modelEntry(key).seeded ? seeds.length : 1,
      defaults: withDefaults.added
        ? "added"
        : withDefaults.defaults !== undefined
        ? "in-grid"
        : "not-tried",
    };
  }
  const settings: TuneResult["settings"] = {};
  const trials: TuneTrial[] = [];
  for (const ds of config.datasets) {
    const prepared = await loadDataset(ds);
    const { split } = prepared;
    if (!split.validation.some((it) => it.rating !== undefined)) {
      throw new Error(`${ds.name}: no validation ratings to tune on`);
    }
    const view = validationView(split);
    let features: TokenFeatures | undefined;
    settings[ds.name] = {};
    for (const [key, points] of plans) {
      const entry = modelEntry(key);
      if (entry.needsFeatures && !features) {
        features = (await extractFeatures(split.train.map((it) => it.review), {
          encoder: await createEncoder(config.encoder ?? { kind: "static" }),
          preprocess: config.preprocess,
          onWarning: log,
        })).features;
      }
      const b = budgets[key];
      log(
        `${ds.name} · ${entry.name}: ${b.settings} settings (` +
          (b.sampled
            ? `a random sample, seed ${sampleSeed}, of a ${b.gridSize}-point grid`
            : `its ${b.gridSize}-point grid`) +
          (b.defaults === "added" ? ", and its defaults)" : ")"),
      );
      let best: TuneTrial | undefined;
      for (const setting of points) {
        const scores: number[] = [];
        let metric = selectOn;
        for (const seed of entry.seeded ? seeds : [0]) {
          const model = entry.create({
            ...entry.scaleOptions(prepared.ratingScale),
            ...config.modelOptions?.[key],
            ...setting,
          }, seed);
          try {
            try {
              await model.fit({ split, features }, { progress: false });
            } catch (err) {
              if (!(err instanceof TrainingDivergedError)) throw err;
              log(`${ds.name} · ${entry.name} ${JSON.stringify(setting)} seed ${seed}: diverged`);
              scores.push(NaN);
              continue;
            }
            if (metric === "auto") metric = model.predictsRatings === false ? "ndcg@10" : "rmse";
            scores.push(
              selectionScore(evaluate(model, view, { protocols: ["test-items"] }), metric),
            );
          } finally {
            model.dispose();
          }
        }
        const ok = scores.filter((s) => !Number.isNaN(s));
        const mean = ok.length > 0 ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
        const trial: TuneTrial = { dataset: ds.name, model: key, setting, metric, scores, mean };
        trials.push(trial);
        log(
          `${ds.name} · ${entry.name} ${JSON.stringify(setting)}: validation ${metric} ${
            mean.toFixed(4)
          }`,
        );
        const better = best === undefined || Number.isNaN(best.mean) ||
          (!Number.isNaN(mean) && (lowerIsBetter(metric) ? mean < best.mean : mean > best.mean));
        if (better) best = trial;
      }
      if (best) {
        settings[ds.name][key] = best.setting;
        log(
          `${ds.name} · ${entry.name}: chose ${JSON.stringify(best.setting)} (${best.metric} ${
            best.mean.toFixed(4)
          })`,
        );
      }
    }
  }
  return {
    settings,
    trials,
    budgets,
    config: {
      spaces,
      budget,
      tryDefaults,
      sampleSeed,
      seeds,
      selectOn,
      datasets: config.datasets.map((d) => d.name),
      models: config.models,
    },
  };
}
