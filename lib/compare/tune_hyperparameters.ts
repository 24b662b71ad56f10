/**
 * Hyperparameter search as in the paper's section 4.4: a grid over learning
 * rate, lambda and latent size for each model and dataset; each setting is
 * trained with several seeds (early stopping on validation, as always) and
 * scored on the validation interactions; the setting with the best mean
 * score is chosen. The test interactions are never looked at.
 *
 * The paper's grid lost its numbers in extraction; its Table 3 reports
 * learning rates in {0.1, 0.01, 0.001, 0.0001} and lambdas in {0, 0.0001,
 * 0.001, 0.01, 0.1}, and its comparison fixes d = 64 for every model, so
 * those are the defaults here.
 *
 * @module
 */
import { prepareDataset, type PreparedDataset } from "../data/prepare.ts";
import { loadInteractions } from "../data/read_interactions.ts";
import type { DatasetSplit } from "../data/types.ts";
import { evaluate, type EvaluationResult } from "../metrics/evaluate.ts";
import { createEncoder, type EncoderSpec } from "../pipeline/create_encoder.ts";
import { extractFeatures } from "../text/extract_features.ts";
import type { PreprocessOptions } from "../text/preprocess.ts";
import type { TokenFeatures } from "../text/token_features.ts";
import { modelEntry } from "./model_registry.ts";
import type { DatasetSpec } from "./run_comparison.ts";

/** Values to try per hyperparameter (only those a model lists as tunable are varied). */
export interface TuneGrid {
  /** @default [0.1, 0.01, 0.001, 0.0001] */
  learningRate?: number[];
  /** @default [0, 0.0001, 0.001, 0.01, 0.1] */
  lambda?: number[];
  /** @default [64] (the paper fixes d = 64 for its comparison) */
  latentDim?: number[];
}

/** The paper's grid. */
export const PAPER_GRID: Readonly<Required<TuneGrid>> = Object.freeze({
  learningRate: [0.1, 0.01, 0.001, 0.0001],
  lambda: [0, 0.0001, 0.001, 0.01, 0.1],
  latentDim: [64],
});

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
  /** Model keys (see `MODEL_REGISTRY`); models with nothing tunable are skipped. */
  models: string[];
  /** @default PAPER_GRID */
  grid?: TuneGrid;
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

/** One grid point's outcome. */
export interface TuneTrial {
  /** Dataset name. */
  dataset: string;
  /** Model key. */
  model: string;
  /** The setting. */
  setting: Record<string, number>;
  /** The metric it was scored by. */
  metric: string;
  /** Score per seed. */
  scores: number[];
  /** Mean score. */
  mean: number;
}

/** The chosen settings and every trial. */
export interface TuneResult {
  /** `settings[dataset][model]`: the chosen hyperparameters (what `deno task compare --settings` reads). */
  settings: Record<string, Record<string, Record<string, number>>>;
  /** Every trial, in the order run. */
  trials: TuneTrial[];
  /** The configuration, with defaults filled in (datasets by name). */
  config: {
    grid: Required<TuneGrid>;
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

/** Every combination of the grid's values for `tunable` parameters. */
export function gridPoints(
  grid: Required<TuneGrid>,
  tunable: readonly string[],
): Record<string, number>[] {
  let points: Record<string, number>[] = [{}];
  for (const key of ["learningRate", "lambda", "latentDim"] as const) {
    if (!tunable.includes(key)) continue;
    points = points.flatMap((p) => grid[key].map((v) => ({ ...p, [key]: v })));
  }
  return points;
}

/** Runs the search described by `config` (see the module doc). */
export async function tuneHyperparameters(
  config: TuneConfig,
  hooks: TuneHooks = {},
): Promise<TuneResult> {
  const log = hooks.log ?? (() => {});
  const given = Object.entries(config.grid ?? {}).filter(([, values]) => values !== undefined);
  const grid: Required<TuneGrid> = { ...PAPER_GRID, ...Object.fromEntries(given) };
  for (const [key, values] of Object.entries(grid)) {
    if (!Array.isArray(values) || values.length === 0) {
      throw new RangeError(`tune: grid "${key}" is empty`);
    }
  }
  const seeds = config.seeds ?? [1, 2, 3];
  const selectOn = config.selectOn ?? "auto";
  const settings: TuneResult["settings"] = {};
  const trials: TuneTrial[] = [];
  for (const ds of config.datasets) {
    const { interactions } = await loadInteractions(ds.data.path, ds.data);
    const prepared: PreparedDataset = prepareDataset(interactions, ds.prepare);
    const { split } = prepared;
    if (!split.validation.some((it) => it.rating !== undefined)) {
      throw new Error(`${ds.name}: no validation ratings to tune on`);
    }
    const view = validationView(split);
    let features: TokenFeatures | undefined;
    settings[ds.name] = {};
    for (const key of config.models) {
      const entry = modelEntry(key);
      if (entry.tunable.length === 0) continue;
      if (entry.needsFeatures && !features) {
        features = (await extractFeatures(split.train.map((it) => it.review), {
          encoder: await createEncoder(config.encoder ?? { kind: "static" }),
          preprocess: config.preprocess,
          onWarning: log,
        })).features;
      }
      let best: TuneTrial | undefined;
      for (const setting of gridPoints(grid, entry.tunable)) {
        const scores: number[] = [];
        let metric = selectOn;
        for (const seed of entry.seeded ? seeds : [0]) {
          const model = entry.create({ ...config.modelOptions?.[key], ...setting }, seed);
          try {
            await model.fit({ split, features }, { progress: false });
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
    config: {
      grid,
      seeds,
      selectOn,
      datasets: config.datasets.map((d) => d.name),
      models: config.models,
    },
  };
}
