/**
 * `deno task tune`: the paper's hyperparameter search (section 4.4), made
 * fair: every model is searched over its own space with the same budget of
 * settings on the same split, each setting trained with several seeds and
 * scored on validation; the chosen settings are written as JSON for
 * `deno task compare --settings`. `--help` lists the options.
 *
 * @module
 */
import { join } from "node:path";
import { MODEL_REGISTRY, modelEntry } from "../lib/compare/model_registry.ts";
import type { DatasetSpec } from "../lib/compare/run_comparison.ts";
import {
  BIAS_REGULARISATION_GRID,
  DEFAULT_BUDGET,
  PAPER_GRID,
  type SettingValue,
} from "../lib/compare/search_space.ts";
import {
  type SelectionMetric,
  tuneHyperparameters,
  type TuneResult,
} from "../lib/compare/tune_hyperparameters.ts";
import { toCsv } from "../lib/io/csv_text.ts";
import { replaceDir } from "../lib/io/replace_dir.ts";
import { parseRatingScale } from "../lib/data/rating_scale.ts";
import {
  intFlag,
  listFlag,
  numberListFlag,
  outputDirFlag,
  parseFlags,
  presetByName,
  presetHelp,
  runCli,
  taskPresets,
  UsageError,
} from "./cli_support.ts";

const PRESETS = taskPresets();

const HELP = `deno task tune [options]

Searches each model's hyperparameters on validation (mean over seeds) with the
same budget of settings for every model on the same split; writes the chosen
settings for deno task compare --settings.

  --datasets LIST       presets (below)   [fixture]
  --rating-scale S      MIN:MAX:STEP, MIN:MAX or auto, for every dataset   [each preset's own]
  --models LIST         ${Object.keys(MODEL_REGISTRY).join(", ")}   [drex,drex-mlp]
  --budget N            settings per model, the same for all: the full grid when it fits,
                        else a seeded random sample of N grid points   [${DEFAULT_BUDGET}]
  --sample-seed N       seed of that sample   [1]
  --no-defaults         do not also try each model's own defaults (tried by default, for
                        every model alike, when the grid lacks them)
  --lr LIST             learning rates, for every model that has one   [${
  PAPER_GRID.learningRate.join(",")
}]
  --lambda LIST         lambdas   [${PAPER_GRID.lambda.join(",")}]
  --d LIST              latent sizes   [${PAPER_GRID.latentDim.join(",")}]
  --space SPEC          MODEL.KEY=V1,V2,... sets (or adds) one key of one model's space,
                        KEY=V1,V2,... of every model that has KEY; repeatable
                        (bias: userReg, itemReg in ${BIAS_REGULARISATION_GRID.join(",")})
  --seeds LIST          seeds per setting   [1,2,3]
  --select-on METRIC    auto | rmse | mae | ndcg@K | f1@K   [auto: rmse, or ndcg@10 for score-only models]
  --max-epochs N        epoch limit per trial (for quick searches)
  --out DIR             output folder: settings.json, trials.csv   [out/tune]; refused when it
                        holds files DReX did not write or another task's output
  --force               replace --out whatever it holds (never the current folder or one above it)
  -h, --help

Presets
${presetHelp(PRESETS)}
`;

/** A search-space value from the command line: a number, true/false, or text. */
function settingValue(text: string): SettingValue {
  if (text === "true" || text === "false") return text === "true";
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) ? n : text;
}

/** `--space` flags as per-model spaces and every-model values. */
export function parseSpaceFlags(
  specs: readonly string[],
  models: readonly string[],
): {
  grid: Record<string, SettingValue[]>;
  spaces: Record<string, Record<string, SettingValue[]>>;
} {
  const grid: Record<string, SettingValue[]> = {};
  const spaces: Record<string, Record<string, SettingValue[]>> = {};
  for (const spec of specs) {
    const m = /^(?:([\w-]+)\.)?(\w+)=(.+)$/.exec(spec.trim());
    const values = m ? listFlag(m[3])!.map(settingValue) : [];
    if (!m || values.length === 0) {
      throw new UsageError(`--space expects MODEL.KEY=V1,V2 or KEY=V1,V2, got "${spec}"`);
    }
    const [, model, key] = m;
    if (model === undefined) {
      grid[key] = values;
      continue;
    }
    if (!models.includes(model)) {
      throw new UsageError(`--space ${spec}: model "${model}" is not in --models`);
    }
    (spaces[model] ??= {})[key] = values;
  }
  return { grid, spaces };
}

/** Every trial as CSV: one column per option key any model searched (empty where a model has none). */
export function trialsCsv(result: TuneResult): string {
  const keys = [...new Set(result.trials.flatMap((t) => Object.keys(t.setting)))];
  return toCsv(result.trials.map((t) => ({
    dataset: t.dataset,
    model: t.model,
    ...Object.fromEntries(keys.map((k) => [k, t.setting[k]])),
    metric: t.metric,
    mean: t.mean,
    scores: t.scores.join(" "),
  })));
}

if (import.meta.main) {
  await runCli(async () => {
    const v = parseFlags(Deno.args, {
      help: { type: "boolean", short: "h" },
      datasets: { type: "string" },
      "rating-scale": { type: "string" },
      models: { type: "string" },
      budget: { type: "string" },
      "sample-seed": { type: "string" },
      "no-defaults": { type: "boolean" },
      lr: { type: "string" },
      lambda: { type: "string" },
      d: { type: "string" },
      space: { type: "string", multiple: true },
      seeds: { type: "string" },
      "select-on": { type: "string" },
      "max-epochs": { type: "string" },
      out: { type: "string" },
      force: { type: "boolean" },
    });
    if (v.help) {
      console.log(HELP);
      return;
    }
    let datasets: DatasetSpec[] = (listFlag(v.datasets) ?? ["fixture"]).map((n) =>
      presetByName(PRESETS, n)
    );
    if (v["rating-scale"] !== undefined) {
      const ratingScale = parseRatingScale(v["rating-scale"]);
      datasets = datasets.map((d) => ({ ...d, ratingScale }));
    }
    const models = listFlag(v.models) ?? ["drex", "drex-mlp"];
    models.forEach((m) => modelEntry(m));
    const selectOn = (v["select-on"] ?? "auto") as SelectionMetric;
    if (!/^(auto|rmse|mae|ndcg@\d+|f1@\d+)$/.test(selectOn)) {
      throw new UsageError(
        `--select-on must be auto, rmse, mae, ndcg@K or f1@K, got "${selectOn}"`,
      );
    }
    const budget = intFlag("budget", v.budget);
    if (budget !== undefined && budget < 1) {
      throw new UsageError(`--budget expects a positive integer, got "${v.budget}"`);
    }
    const maxEpochs = intFlag("max-epochs", v["max-epochs"]);
    const { grid, spaces } = parseSpaceFlags(v.space ?? [], models);
    const force = v.force === true;
    const out = await outputDirFlag(v.out, "out/tune", "tune", force);
    const result = await tuneHyperparameters({
      datasets,
      models,
      grid: {
        learningRate: numberListFlag("lr", v.lr),
        lambda: numberListFlag("lambda", v.lambda),
        latentDim: numberListFlag("d", v.d),
        ...grid,
      },
      spaces,
      budget,
      tryDefaults: !v["no-defaults"],
      sampleSeed: intFlag("sample-seed", v["sample-seed"]),
      seeds: numberListFlag("seeds", v.seeds),
      selectOn,
      modelOptions: maxEpochs === undefined ? {} : Object.fromEntries(
        models.filter((m) => modelEntry(m).seeded).map((m) => [m, { maxEpochs }]),
      ),
    }, { log: (m) => console.error(`[tune] ${m}`) });
    await replaceDir(
      out,
      async (tmp) => {
        await Deno.writeTextFile(
          join(tmp, "settings.json"),
          JSON.stringify(result, null, 2) + "\n",
        );
        await Deno.writeTextFile(join(tmp, "trials.csv"), trialsCsv(result));
      },
      "--out",
      { kind: "tune", force },
    );
    console.log(JSON.stringify(result.settings, null, 2));
    for (const [model, b] of Object.entries(result.budgets)) {
      console.error(
        `[tune] ${model}: ${b.settings} settings (${b.gridSize}-point grid${
          b.sampled ? ", sampled" : ""
        }${b.defaults === "added" ? ", and its defaults" : ""}) × ${b.runsPerSetting} runs`,
      );
    }
    console.error(`[tune] wrote settings.json and trials.csv to ${out}`);
  });
}
