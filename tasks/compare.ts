/**
 * `deno task compare`: the paper's comparison on your data. Models × datasets
 * × seeds on identical splits; a results table like the paper's Table 4
 * (mean ± spread (rank) per metric) as Markdown, CSV and JSON; Friedman and
 * Nemenyi tests over datasets (Table 5) with critical-difference diagrams.
 * `--help` lists the options.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { aggregateRuns } from "../lib/compare/aggregate_runs.ts";
import { comparisonMetrics, metricById } from "../lib/compare/comparison_metrics.ts";
import { datasetPresets } from "../lib/compare/dataset_presets.ts";
import {
  aggregateCsv,
  datasetTable,
  metricTable,
  runsCsv,
  significanceTable,
} from "../lib/compare/format_comparison.ts";
import { MODEL_REGISTRY, modelEntry } from "../lib/compare/model_registry.ts";
import {
  type ComparisonConfig,
  type DatasetSpec,
  runComparison,
} from "../lib/compare/run_comparison.ts";
import { significanceTests } from "../lib/compare/significance_tests.ts";
import { DataError } from "../lib/data/errors.ts";
import { replaceDir } from "../lib/io/replace_dir.ts";
import { DEFAULT_CUTOFFS } from "../lib/metrics/evaluate.ts";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const SHARED = Deno.env.get("DREX_SHARED") ?? resolve(REPO, "..", "shared");
const PRESETS = datasetPresets(REPO, SHARED);
const DEFAULT_SIGNIFICANCE = [
  "test-items:ndcg@1",
  "test-items:ndcg@5",
  "test-items:ndcg@10",
  "test-items:f1@1",
  "test-items:f1@5",
  "test-items:f1@10",
  "mae",
];

const HELP = `deno task compare [options]

Trains every model on every dataset with several seeds on identical splits,
and writes a results table (mean ± sd (rank)), CSV, JSON and Friedman/Nemenyi
tests to --out.

  --datasets LIST     presets: ${Object.keys(PRESETS).join(", ")}
                      [every preset whose file exists]
  --config FILE       a JSON file with { "datasets": [{ "name", "data": { "path", ... }, "prepare": {...} }] }
                      (replaces --datasets)
  --models LIST       ${Object.keys(MODEL_REGISTRY).join(", ")}   [all]
  --seeds LIST        seeds for seeded models   [1,2,3]
  --settings FILE     tuned hyperparameters (written by deno task tune)
  --max-epochs N      epoch limit for every iterative model (for quick runs)
  --encoder KIND      static | bert   [static]
  --bert-model P|ID   BERT-family model folder or hub id
  --significance LIST metric ids for the tests   [${DEFAULT_SIGNIFICANCE.join(",")}]
  --alpha X           significance level   [0.05]
  --out DIR           output folder (replaced as a whole)   [out/compare]
  -h, --help
`;

class UsageError extends Error {}

function list(v: string | undefined): string[] | undefined {
  return v === undefined ? undefined : v.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

async function readJson(flag: string, path: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch (err) {
    throw new UsageError(`--${flag} ${path}: ${err instanceof Error ? err.message : err}`);
  }
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

if (import.meta.main) {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: Deno.args,
        strict: true,
        options: {
          help: { type: "boolean", short: "h" },
          datasets: { type: "string" },
          config: { type: "string" },
          models: { type: "string" },
          seeds: { type: "string" },
          settings: { type: "string" },
          "max-epochs": { type: "string" },
          encoder: { type: "string" },
          "bert-model": { type: "string" },
          significance: { type: "string" },
          alpha: { type: "string" },
          out: { type: "string" },
        },
      });
    } catch (err) {
      throw new UsageError(`${err instanceof Error ? err.message : err} (see --help)`);
    }
    const v = parsed.values;
    if (v.help) {
      console.log(HELP);
      Deno.exit(0);
    }
    const log = (m: string) => console.error(`[compare] ${m}`);
    let datasets: DatasetSpec[];
    if (v.config) {
      datasets = (await readJson("config", v.config)).datasets as DatasetSpec[];
      if (!Array.isArray(datasets) || datasets.length === 0) {
        throw new UsageError(`--config ${v.config}: no "datasets"`);
      }
    } else {
      const names = list(v.datasets) ?? Object.keys(PRESETS);
      datasets = [];
      for (const n of names) {
        const preset = PRESETS[n];
        if (!preset) {
          throw new UsageError(
            `--datasets: unknown preset "${n}" (known: ${Object.keys(PRESETS).join(", ")})`,
          );
        }
        if (await exists(preset.data.path)) datasets.push(preset);
        else log(`skipping ${n}: ${preset.data.path} is absent`);
      }
    }
    const models = list(v.models) ?? Object.keys(MODEL_REGISTRY);
    models.forEach((m) => modelEntry(m));
    const seeds = (list(v.seeds) ?? ["1", "2", "3"]).map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n)) throw new UsageError(`--seeds expects integers, got "${s}"`);
      return n;
    });
    const modelOptions: Record<string, Record<string, unknown>> = {};
    if (v["max-epochs"] !== undefined) {
      const n = Number(v["max-epochs"]);
      if (!Number.isInteger(n) || n < 1) {
        throw new UsageError(`--max-epochs expects a positive integer`);
      }
      for (const m of models) if (modelEntry(m).seeded) modelOptions[m] = { maxEpochs: n };
    }
    if (v.encoder === "bert" && !v["bert-model"]) {
      throw new UsageError("--encoder bert needs --bert-model");
    }
    if (v.encoder !== undefined && v.encoder !== "static" && v.encoder !== "bert") {
      throw new UsageError(`--encoder must be static or bert, got "${v.encoder}"`);
    }
    const config: ComparisonConfig = {
      datasets,
      models,
      seeds,
      modelOptions,
      settings: v.settings
        ? (await readJson("settings", v.settings)).settings as ComparisonConfig["settings"]
        : undefined,
      encoder: v.encoder === "bert"
        ? { kind: "bert", model: v["bert-model"]! }
        : { kind: "static" },
    };
    const alpha = v.alpha === undefined ? 0.05 : Number(v.alpha);
    if (!(alpha > 0 && alpha < 1)) {
      throw new UsageError(`--alpha must be in (0, 1), got "${v.alpha}"`);
    }
    const metrics = comparisonMetrics(DEFAULT_CUTOFFS);
    const testIds = (list(v.significance) ?? DEFAULT_SIGNIFICANCE).map((id) =>
      metricById(metrics, id)
    );

    const result = await runComparison(config, { log });
    const table = aggregateRuns(result.runs, metrics);
    const tests = significanceTests(table, testIds, { alpha });
    const ks = DEFAULT_CUTOFFS;
    const markdown = [
      "# Comparison",
      "",
      `Seeds ${
        seeds.join(", ")
      }; cells are mean ± sample sd over seeds (rank among models on the dataset).`,
      `Ranking protocol "test-items" ranks each user's test items (the paper's); "full" ranks every unseen item.`,
      "",
      "## Datasets",
      "",
      datasetTable(result),
      "",
      "## Rating error and NDCG@k (test-items protocol)",
      "",
      metricTable(table, metrics, ["mae", "rmse", ...ks.map((k) => `test-items:ndcg@${k}`)]),
      "",
      "## F1@k (test-items protocol)",
      "",
      metricTable(table, metrics, ks.map((k) => `test-items:f1@${k}`)),
      "",
      "## Full-ranking protocol",
      "",
      metricTable(
        table,
        metrics,
        [5, 10, 20].flatMap((k) => [`full:ndcg@${k}`, `full:f1@${k}`, `full:hitRate@${k}`]),
      ),
      "",
      "## Significance over datasets (Friedman, Iman–Davenport, Nemenyi)",
      "",
      tests.length > 0 ? significanceTable(tests) : "Needs at least two datasets.",
      "",
    ].join("\n");
    const out = v.out ?? "out/compare";
    await replaceDir(out, async (tmp) => {
      await Deno.writeTextFile(join(tmp, "results.md"), markdown);
      await Deno.writeTextFile(join(tmp, "runs.csv"), runsCsv(result.runs, metrics));
      await Deno.writeTextFile(join(tmp, "aggregate.csv"), aggregateCsv(table));
      await Deno.writeTextFile(
        join(tmp, "results.json"),
        JSON.stringify({ ...result, aggregate: table, significance: tests }, null, 1) + "\n",
      );
    });
    console.log(markdown);
    log(`wrote results.md, runs.csv, aggregate.csv, results.json to ${out}`);
  } catch (err) {
    if (err instanceof UsageError || err instanceof DataError || err instanceof RangeError) {
      console.error(`error: ${err.message}`);
      Deno.exit(2);
    }
    throw err;
  }
}
