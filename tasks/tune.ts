/**
 * `deno task tune`: the paper's hyperparameter search (section 4.4). For each
 * model and dataset, every grid point is trained with several seeds and
 * scored on validation; the chosen settings are written as JSON for
 * `deno task compare --settings`. `--help` lists the options.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { datasetPresets } from "../lib/compare/dataset_presets.ts";
import { MODEL_REGISTRY, modelEntry } from "../lib/compare/model_registry.ts";
import type { DatasetSpec } from "../lib/compare/run_comparison.ts";
import {
  PAPER_GRID,
  type SelectionMetric,
  tuneHyperparameters,
} from "../lib/compare/tune_hyperparameters.ts";
import { replaceDir } from "../lib/io/replace_dir.ts";
import {
  intFlag,
  listFlag,
  numberListFlag,
  parseFlags,
  runCli,
  UsageError,
} from "./cli_support.ts";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const SHARED = Deno.env.get("DREX_SHARED") ?? resolve(REPO, "..", "shared");
const PRESETS = datasetPresets(REPO, SHARED);

const HELP = `deno task tune [options]

Grid search over learning rate, lambda and latent size for each model and
dataset, scored on validation (mean over seeds); writes the chosen settings.

  --datasets LIST       presets: ${Object.keys(PRESETS).join(", ")}   [fixture]
  --models LIST         ${Object.keys(MODEL_REGISTRY).join(", ")}   [drex,drex-mlp]
  --lr LIST             learning rates   [${PAPER_GRID.learningRate.join(",")}]
  --lambda LIST         lambdas   [${PAPER_GRID.lambda.join(",")}]
  --d LIST              latent sizes   [${PAPER_GRID.latentDim.join(",")}]
  --seeds LIST          seeds per setting   [1,2,3]
  --select-on METRIC    auto | rmse | mae | ndcg@K | f1@K   [auto: rmse, or ndcg@10 for score-only models]
  --max-epochs N        epoch limit per trial (for quick searches)
  --out DIR             output folder: settings.json, trials.csv   [out/tune]
  -h, --help
`;

if (import.meta.main) {
  await runCli(async () => {
    const v = parseFlags(Deno.args, {
      help: { type: "boolean", short: "h" },
      datasets: { type: "string" },
      models: { type: "string" },
      lr: { type: "string" },
      lambda: { type: "string" },
      d: { type: "string" },
      seeds: { type: "string" },
      "select-on": { type: "string" },
      "max-epochs": { type: "string" },
      out: { type: "string" },
    });
    if (v.help) {
      console.log(HELP);
      return;
    }
    const datasets: DatasetSpec[] = (listFlag(v.datasets) ?? ["fixture"]).map((n) => {
      const p = PRESETS[n.trim()];
      if (!p) {
        throw new UsageError(
          `--datasets: unknown preset "${n}" (known: ${Object.keys(PRESETS).join(", ")})`,
        );
      }
      return p;
    });
    const models = listFlag(v.models) ?? ["drex", "drex-mlp"];
    models.forEach((m) => modelEntry(m));
    const selectOn = (v["select-on"] ?? "auto") as SelectionMetric;
    if (!/^(auto|rmse|mae|ndcg@\d+|f1@\d+)$/.test(selectOn)) {
      throw new UsageError(
        `--select-on must be auto, rmse, mae, ndcg@K or f1@K, got "${selectOn}"`,
      );
    }
    const maxEpochs = intFlag("max-epochs", v["max-epochs"]);
    const result = await tuneHyperparameters({
      datasets,
      models,
      grid: {
        learningRate: numberListFlag("lr", v.lr),
        lambda: numberListFlag("lambda", v.lambda),
        latentDim: numberListFlag("d", v.d),
      },
      seeds: numberListFlag("seeds", v.seeds),
      selectOn,
      modelOptions: maxEpochs === undefined
        ? {}
        : Object.fromEntries(models.map((m) => [m, { maxEpochs }])),
    }, { log: (m) => console.error(`[tune] ${m}`) });
    const out = v.out ?? "out/tune";
    const csv = ["dataset,model,learningRate,lambda,latentDim,metric,mean,scores"];
    for (const t of result.trials) {
      csv.push([
        t.dataset,
        t.model,
        t.setting.learningRate ?? "",
        t.setting.lambda ?? "",
        t.setting.latentDim ?? "",
        t.metric,
        t.mean,
        `"${t.scores.join(" ")}"`,
      ].join(","));
    }
    await replaceDir(out, async (tmp) => {
      await Deno.writeTextFile(join(tmp, "settings.json"), JSON.stringify(result, null, 2) + "\n");
      await Deno.writeTextFile(join(tmp, "trials.csv"), csv.join("\n") + "\n");
    });
    console.log(JSON.stringify(result.settings, null, 2));
    console.error(`[tune] wrote settings.json and trials.csv to ${out}`);
  });
}
