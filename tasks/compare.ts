/**
 * `deno task compare`: the paper's comparison on your data. Models × datasets
 * × seeds on identical splits; a results table like the paper's Table 4
 * (mean ± spread (rank) per metric) as Markdown, CSV and JSON; Friedman and
 * Nemenyi tests over datasets (Table 5) with critical-difference diagrams.
 * `--help` lists the options.
 *
 * @module
 */
import { join } from "node:path";
import { aggregateRuns } from "../lib/compare/aggregate_runs.ts";
import { cdDiagramFigures } from "../lib/compare/comparison_figures.ts";
import { comparisonMetrics, metricById } from "../lib/compare/comparison_metrics.ts";
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
import {
  pairedComparisons,
  pairedComparisonsCsv,
  pairedComparisonsTable,
} from "../lib/compare/paired_comparisons.ts";
import { replaceDir } from "../lib/io/replace_dir.ts";
import { figureToSvg } from "../lib/plots/static_svg.ts";
import { writeHtmlReport } from "../lib/report/html_report.ts";
import {
  choiceFlag,
  intFlag,
  listFlag,
  numberFlag,
  outputDirFlag,
  parseFlags,
  presetByName,
  presetHelp,
  runCli,
  taskPresets,
  UsageError,
} from "./cli_support.ts";
import { DEFAULT_CUTOFFS } from "../lib/metrics/evaluate.ts";
import { parseRatingScale } from "../lib/data/rating_scale.ts";

const PRESETS = taskPresets();
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
and writes a results table (mean ± sd (rank)), CSV, JSON, Friedman/Nemenyi
tests and critical-difference diagrams (SVG, and an offline HTML page) to --out.

  --datasets LIST     presets: ${Object.keys(PRESETS).join(", ")}
                      [every preset whose file exists]
  --config FILE       a JSON file with { "datasets": [{ "name", "data": { "path", ... }, "prepare": {...},
                      "ratingScale": { "min", "max", "step" } }] }
                      (replaces --datasets)
  --rating-scale S    MIN:MAX:STEP (e.g. 0.5:5:0.5), MIN:MAX (step from the data) or auto,
                      for every dataset   [each preset's own; else 1:5, step from the data]
  --models LIST       ${Object.keys(MODEL_REGISTRY).join(", ")}   [all]
  --seeds LIST        seeds for seeded models   [1,2,3]
  --settings FILE     tuned hyperparameters (written by deno task tune); repeatable, a later
                      file's setting of a dataset and model replaces an earlier one's
  --max-epochs N      epoch limit for every iterative model (for quick runs)
  --encoder KIND      static | bert   [static]
  --bert-model P|ID   BERT-family model folder or hub id
  --significance LIST metric ids for the tests   [${DEFAULT_SIGNIFICANCE.join(",")}]
  --alpha X           significance level   [0.05]
  --resamples N       paired-bootstrap resamples (every model against the best by mean RMSE,
                      over test ratings, seeds pooled); 0 skips it   [10000]
  --out DIR           output folder (replaced as a whole)   [out/compare]; refused when it holds
                      files DReX did not write or another task's output
  --force             replace --out whatever it holds (never the current folder or one above it)
  -h, --help

Presets
${presetHelp(PRESETS)}
`;

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

/** Reads every `--settings` file and merges them: dataset by dataset, model by model, later files win. */
export async function mergedSettings(
  paths: string[],
): Promise<NonNullable<ComparisonConfig["settings"]>> {
  const merged: NonNullable<ComparisonConfig["settings"]> = {};
  for (const path of paths) {
    const settings = (await readJson("settings", path)).settings;
    if (typeof settings !== "object" || settings === null) {
      throw new UsageError(
        `--settings ${path}: no "settings" object (write it with deno task tune)`,
      );
    }
    for (const [dataset, models] of Object.entries(settings as Record<string, unknown>)) {
      Object.assign(merged[dataset] ??= {}, models as Record<string, Record<string, unknown>>);
    }
  }
  return merged;
}

if (import.meta.main) {
  await runCli(async () => {
    const v = parseFlags(Deno.args, {
      help: { type: "boolean", short: "h" },
      datasets: { type: "string" },
      "rating-scale": { type: "string" },
      config: { type: "string" },
      models: { type: "string" },
      seeds: { type: "string" },
      settings: { type: "string", multiple: true },
      "max-epochs": { type: "string" },
      encoder: { type: "string" },
      "bert-model": { type: "string" },
      significance: { type: "string" },
      alpha: { type: "string" },
      resamples: { type: "string" },
      out: { type: "string" },
      force: { type: "boolean" },
    });
    if (v.help) {
      console.log(HELP);
      return;
    }
    const log = (m: string) => console.error(`[compare] ${m}`);
    let datasets: DatasetSpec[];
    if (v.config) {
      datasets = (await readJson("config", v.config)).datasets as DatasetSpec[];
      if (!Array.isArray(datasets) || datasets.length === 0) {
        throw new UsageError(`--config ${v.config}: no "datasets"`);
      }
    } else {
      const names = listFlag(v.datasets) ?? Object.keys(PRESETS);
      datasets = [];
      for (const n of names) {
        const preset = presetByName(PRESETS, n);
        if (await exists(preset.data.path)) datasets.push(preset);
        else log(`skipping ${n}: ${preset.data.path} is absent`);
      }
    }
    if (v["rating-scale"] !== undefined) {
      const ratingScale = parseRatingScale(v["rating-scale"]);
      datasets = datasets.map((d) => ({ ...d, ratingScale }));
    }
    const models = listFlag(v.models) ?? Object.keys(MODEL_REGISTRY);
    models.forEach((m) => modelEntry(m));
    const seeds = (listFlag(v.seeds) ?? ["1", "2", "3"]).map((x) => intFlag("seeds", x)!);
    const modelOptions: Record<string, Record<string, unknown>> = {};
    const maxEpochs = intFlag("max-epochs", v["max-epochs"]);
    if (maxEpochs !== undefined) {
      if (maxEpochs < 1) throw new UsageError("--max-epochs expects a positive integer");
      for (const m of models) if (modelEntry(m).seeded) modelOptions[m] = { maxEpochs };
    }
    const encoder = choiceFlag("encoder", v.encoder, ["static", "bert"] as const) ?? "static";
    if (encoder === "bert" && !v["bert-model"]) {
      throw new UsageError("--encoder bert needs --bert-model");
    }
    const config: ComparisonConfig = {
      datasets,
      models,
      seeds,
      modelOptions,
      settings: v.settings ? await mergedSettings(v.settings) : undefined,
      encoder: encoder === "bert" ? { kind: "bert", model: v["bert-model"]! } : { kind: "static" },
    };
    const alpha = numberFlag("alpha", v.alpha) ?? 0.05;
    if (!(alpha > 0 && alpha < 1)) {
      throw new UsageError(`--alpha must be in (0, 1), got "${v.alpha}"`);
    }
    const resamples = intFlag("resamples", v.resamples) ?? 10000;
    if (resamples < 0) {
      throw new UsageError(`--resamples expects a non-negative integer, got "${v.resamples}"`);
    }
    const metrics = comparisonMetrics(DEFAULT_CUTOFFS);
    const testIds = (listFlag(v.significance) ?? DEFAULT_SIGNIFICANCE).map((id) =>
      metricById(metrics, id)
    );
    const force = v.force === true;
    const out = await outputDirFlag(v.out, "out/compare", "compare", force);

    const result = await runComparison(config, { log });
    const table = aggregateRuns(result.runs, metrics);
    const tests = significanceTests(table, testIds, { alpha });
    const figures = cdDiagramFigures(tests);
    const paired = resamples > 0 ? pairedComparisons(result, { resamples }) : [];
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
      "## Each model against the best, over test ratings (paired bootstrap)",
      "",
      resamples > 0
        ? `RMSE of each model minus the best model's (lowest mean RMSE) on the same test ` +
          `ratings, seeds pooled (pairs matched by seed and rating); ${resamples} resamples, ` +
          `95% percentile interval, two-sided p (twice the share of resamples whose ` +
          `difference changes sign).\n\n` + pairedComparisonsTable(paired)
        : "Skipped (--resamples 0).",
      "",
      "## Significance over datasets (Friedman, Iman–Davenport, Nemenyi)",
      "",
      tests.length > 0 ? significanceTable(tests) : "Needs at least two datasets.",
      "",
      ...(figures.length > 0
        ? [
          "Critical-difference diagrams: `cd-diagrams.html` (interactive, offline), and " +
          figures.map((f) => `[${f.title}](${f.id}.svg)`).join(", ") + ".",
          "",
        ]
        : []),
    ].join("\n");
    await replaceDir(
      out,
      async (tmp) => {
        await Deno.writeTextFile(join(tmp, "results.md"), markdown);
        await Deno.writeTextFile(join(tmp, "runs.csv"), runsCsv(result.runs, metrics));
        await Deno.writeTextFile(join(tmp, "aggregate.csv"), aggregateCsv(table));
        if (paired.length > 0) {
          await Deno.writeTextFile(join(tmp, "paired_bootstrap.csv"), pairedComparisonsCsv(paired));
        }
        const { testPredictions: _p, testRatings: _r, ...serialisable } = result;
        await Deno.writeTextFile(
          join(tmp, "results.json"),
          JSON.stringify(
            { ...serialisable, aggregate: table, significance: tests, pairedBootstrap: paired },
            null,
            1,
          ) + "\n",
        );
        for (const f of figures) {
          await Deno.writeTextFile(join(tmp, `${f.id}.svg`), figureToSvg(f.figure));
        }
        if (figures.length > 0) {
          await writeHtmlReport(join(tmp, "cd-diagrams.html"), {
            title: "Critical-difference diagrams",
            description: `Friedman test with the Iman–Davenport correction, then Nemenyi's ` +
              `critical difference (α = ${alpha}), over ${datasets.length} datasets.`,
            figures: figures.map(({ id, title, figure, caption }) => ({
              id,
              title,
              figure,
              caption,
            })),
          }, { generatedAt: null });
        }
      },
      "--out",
      { kind: "compare", force },
    );
    console.log(markdown);
    log(
      `wrote results.md, runs.csv, aggregate.csv, results.json` +
        (paired.length > 0 ? ", paired_bootstrap.csv" : "") +
        (figures.length > 0 ? `, cd-diagrams.html and ${figures.length} CD diagrams (SVG)` : "") +
        ` to ${out}`,
    );
  });
}
