/**
 * The ablation study behind DReX's defaults: the paper preset, the library's
 * defaults, and the defaults with each addition switched off (or a candidate
 * switched on), each trained with several seeds on the same split and scored
 * on validation (what the choice was made on) and test (reported, never used
 * to choose). Two rows isolate what the inputs carry: ratings only (every
 * review hidden) and reviews only (every interaction's own rating hidden from
 * the encoder; still a target).
 *
 * @module
 */
import type { DrexOptions } from "../drex/options.ts";
import { evaluate } from "../metrics/evaluate.ts";
import { createEncoder, type EncoderSpec } from "../pipeline/create_encoder.ts";
import { extractFeatures } from "../text/extract_features.ts";
import type { PreprocessOptions } from "../text/preprocess.ts";
import type { TokenFeatures } from "../text/token_features.ts";
import { loadDataset } from "./load_dataset.ts";
import { modelEntry } from "./model_registry.ts";
import type { DatasetSpec } from "./run_comparison.ts";
import { validationView } from "./tune_hyperparameters.ts";

/** One row of the study: a named change to the defaults. */
export interface AblationSetting {
  /** Short id used on the command line (`"no-biases"`). */
  id: string;
  /** What the row changes, in words. */
  label: string;
  /** DReX options applied over the defaults. */
  options: DrexOptions;
  /** Only meaningful for this variant (DReX-MLP's vector holdout). @default both */
  variant?: "drex" | "drex-mlp";
}

/** The study's rows, in table order. */
export const ABLATION_SETTINGS: readonly AblationSetting[] = Object.freeze([
  { id: "paper", label: "paper preset (spec.md exactly)", options: { preset: "paper" } },
  { id: "default", label: "library defaults", options: {} },
  { id: "no-biases", label: "− per-entity biases", options: { biases: false } },
  {
    id: "fixed-bias-penalty",
    label: "− bias penalties chosen on validation (5 and 5)",
    options: { chooseBiasPenalties: false },
  },
  { id: "train-biases", label: "biases trained, not fixed", options: { trainBiases: true } },
  { id: "last-state", label: "− running-mean readout (last state)", options: { readout: "last" } },
  { id: "no-dropout", label: "− state dropout", options: { stateDropout: 0 } },
  { id: "no-ema", label: "− weight average (EMA)", options: { emaDecay: 0 } },
  { id: "clip", label: "+ gradient clipping (norm 1)", options: { clipNorm: 1 } },
  {
    id: "no-holdout",
    label: "− vector holdout (leaky rating vectors)",
    options: { vectorHoldout: 0 },
    variant: "drex-mlp",
  },
  {
    id: "long-term",
    label: "+ long-term term h0_u · h0_i",
    options: { longTerm: true },
  },
  {
    id: "long-term-fast-tables",
    label: "+ long-term term, tables at learning rate 0.05",
    options: { longTerm: true, tableLearningRate: 0.05 },
    variant: "drex",
  },
  { id: "no-weight-decay", label: "− weight decay", options: { weightDecay: 0 } },
  {
    id: "no-decay-paper-lambda",
    label: "− weight decay, paper's lambda 0.001",
    options: { weightDecay: 0, lambda: 0.001 },
  },
  {
    id: "modality-dropout",
    label: "+ modality dropout 0.3 (own rating hidden)",
    options: { ratingInputDropout: 0.3 },
  },
  {
    id: "ratings-only",
    label: "inputs: ratings only (reviews hidden)",
    options: { hideReviews: 1 },
  },
  {
    id: "reviews-only",
    label: "inputs: reviews only (own rating hidden from the encoder)",
    options: { ratingInputDropout: 1 },
  },
]);

/** What to run. */
export interface AblationConfig {
  /** Datasets, in table order. */
  datasets: DatasetSpec[];
  /** Model keys: `"drex"`, `"drex-mlp"`. */
  variants: ("drex" | "drex-mlp")[];
  /** Setting ids of {@linkcode ABLATION_SETTINGS}. @default all */
  settings?: string[];
  /** Seeds; every setting runs once per seed. @default [1, 2, 3] */
  seeds?: number[];
  /** Options applied to every run (for instance `{ maxEpochs: 30 }`). @default {} */
  options?: DrexOptions;
  /** Token encoder of the review features. @default { kind: "static" } */
  encoder?: EncoderSpec;
  /** Review preprocessing. @default { maxWords: 64 } */
  preprocess?: PreprocessOptions;
}

/** One trained model's numbers. */
export interface AblationRun {
  /** Dataset name. */
  dataset: string;
  /** `"drex"` or `"drex-mlp"`. */
  variant: string;
  /** Setting id. */
  setting: string;
  /** Seed. */
  seed: number;
  /** Validation RMSE of the kept model (what choices are made on). */
  validationRmse: number;
  /** Test RMSE. */
  testRmse: number;
  /** Test MAE. */
  testMae: number;
  /** Training MSE of the kept epoch (its gap to validation shows memorisation). */
  trainMse: number;
  /** The kept epoch. */
  bestEpoch: number;
  /** Training seconds. */
  seconds: number;
}

/** Hooks to follow the study. */
export interface AblationHooks {
  /** Progress messages. @default undefined */
  log?: (message: string) => void;
}

/** Looks up setting ids, naming an unknown one. */
export function ablationSettings(ids?: readonly string[]): AblationSetting[] {
  if (!ids) return [...ABLATION_SETTINGS];
  return ids.map((id) => {
    const s = ABLATION_SETTINGS.find((x) => x.id === id);
    if (!s) {
      throw new RangeError(
        `unknown ablation setting "${id}"; known: ${ABLATION_SETTINGS.map((x) => x.id).join(", ")}`,
      );
    }
    return s;
  });
}

/** Runs the study described by `config`. */
export async function runAblation(
  config: AblationConfig,
  hooks: AblationHooks = {},
): Promise<AblationRun[]> {
  const log = hooks.log ?? (() => {});
  const settings = ablationSettings(config.settings);
  const seeds = config.seeds ?? [1, 2, 3];
  const runs: AblationRun[] = [];
  for (const ds of config.datasets) {
    const prepared = await loadDataset(ds);
    const split = prepared.split;
    const features: TokenFeatures = (await extractFeatures(split.train.map((it) => it.review), {
      encoder: await createEncoder(config.encoder ?? { kind: "static" }),
      preprocess: config.preprocess,
      onWarning: log,
    })).features;
    const validation = validationView(split);
    for (const variant of config.variants) {
      const entry = modelEntry(variant);
      for (const setting of settings) {
        if (setting.variant && setting.variant !== variant) continue;
        for (const seed of seeds) {
          const model = entry.create({
            ...entry.scaleOptions(prepared.ratingScale),
            ...config.options,
            ...setting.options,
          }, seed);
          try {
            const report = await model.fit({ split, features }, { progress: false });
            const rating = { protocols: [] } as const;
            const test = evaluate(model, split, rating);
            const run: AblationRun = {
              dataset: ds.name,
              variant,
              setting: setting.id,
              seed,
              validationRmse: evaluate(model, validation, rating).rmse,
              testRmse: test.rmse,
              testMae: test.mae,
              trainMse: report.history[report.bestEpoch - 1]?.trainLoss ?? NaN,
              bestEpoch: report.bestEpoch,
              seconds: report.seconds,
            };
            runs.push(run);
            log(
              `${ds.name} · ${entry.name} · ${setting.id} · seed ${seed}: validation RMSE ` +
                `${run.validationRmse.toFixed(4)}, test RMSE ${run.testRmse.toFixed(4)}, ` +
                `epoch ${run.bestEpoch}, ${run.seconds.toFixed(0)} s`,
            );
          } finally {
            model.dispose();
          }
        }
      }
    }
  }
  return runs;
}
