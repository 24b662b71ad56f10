/**
 * `deno task train`: the whole DReX job from the command line. With no
 * arguments it runs on the bundled synthetic dataset; `--help` lists the
 * options.
 *
 * @module
 */
import type { InteractionFormat } from "../lib/data/read_interactions.ts";
import type { CsvColumns } from "../lib/data/read_csv.ts";
import { looksLikePath } from "../lib/text/bert_encoder.ts";
import { formatPeakMemory } from "../lib/util/peak_memory.ts";
import { parseRatingScale } from "../lib/data/rating_scale.ts";
import { type DrexOptions, resolveDrexOptions } from "../lib/drex/options.ts";
import type { EncoderSpec } from "../lib/pipeline/create_encoder.ts";
import { runTraining, type TrainingConfig } from "../lib/pipeline/run_training.ts";
import { runSummary, writeTrainingOutputs } from "../lib/pipeline/write_training_outputs.ts";
import { renderTrainingReport } from "../lib/pipeline/training_report.ts";
import {
  checkInputFile,
  choiceFlag,
  intFlag,
  numberFlag,
  outputDirFlag,
  parseFlags,
  repoFile,
  runCli,
  UsageError,
  userPath,
} from "./cli_support.ts";

const HELP = `deno task train [options]

Runs the whole DReX job: read, dedupe, filter, split, extract review token
features (cached), train DReX (and the global-mean and bias baselines),
evaluate under both ranking protocols, explain, and write everything to --out.

Data
  --data PATH              dataset file (gzip or plain)   [fixtures/synthetic/reviews.jsonl]
  --format FORMAT          auto | amazon2023 | amazon2018 | csv   [auto]
  --columns MAP            CSV column mapping, e.g. user=userId,item=movieId,rating=stars,review=text,timestamp=ts
  --timestamp-unit UNIT    CSV timestamps: ms | s | iso   [ms]
  --separator C            CSV field separator, one character, or tab   [,]
  --no-header              the CSV has no header row: --columns names columns by
                           position, e.g. user=1,item=2,rating=3
  --rating-scale S         MIN:MAX:STEP (MovieLens: 0.5:5:0.5), MIN:MAX (step from the data)
                           or auto; the reader, the split and DReX's rating levels use it
                           [1:5, step from the data]
  --include-title          put the review title/summary in front of its text
  --skip-bad-lines         skip malformed lines (counted and reported) instead of stopping
Filters and split
  --collapse-copied-reviews  count a user's identical review on several items once
                           (Amazon 5-core files copy reviews onto product variants)
  --min-user-ratings N     drop users with fewer ratings   [20]
  --min-item-ratings N     drop items with fewer ratings   [5]
  --k-core                 repeat the filter until nothing changes
  --split-seed N           seed of the per-user 70/10/20 split   [42]
Text
  --encoder KIND           static | bert   [static]
  --bert-model PATH|ID     BERT-family model folder or hub id (with --encoder bert)
  --max-words N            words kept per review   [64]
  --no-cache               do not read or write the feature cache
  --compact-features       keep per-token (BERT) features as int8 rows with a scale each: a
                           quarter of the memory; costs accuracy (fixture: test RMSE +0.009
                           on average over 3 seeds, see docs/MODEL.md)
  --features-in-file       leave per-token (BERT) features in their feature-cache file and read
                           them batch by batch: they take no memory of the process (needs
                           the cache; same results)
  --cache-dir DIR          feature cache folder   [.cache/drex/features]
Model
  --variant V              drex | drex-mlp   [drex]
  --preset P               default | paper (the paper's model exactly: no biases, last-state
                           readout, no dropout, averaging or clipping)   [default]
  --d N                    latent size   [64]
  --lr X                   Adam learning rate   [0.005]
  --lambda X               Frobenius penalty weight   [0.1; paper 0.001]
  --stop-on METRIC         early-stopping metric: rmse | mae   [rmse]
  --batch-size N           users or items per mini-batch   [16]
  --max-epochs N           epoch limit   [100]
  --patience N             early-stopping patience   [10]
  --seed N                 model seed   [42]
  --hide-reviews F         hide this fraction of training reviews   [0]
  --hide-ratings F         hide this fraction of training ratings   [0]
  --lazy-tables            train the representation tables with lazy Adam (a row moves only
                           in its own batches) instead of dense Adam; fixture test RMSE
                           +0.004 on average over 3 seeds (see docs/MODEL.md#speed)
  --threads N              threads of the training kernels: 1 or 2 (2 is up to 30% faster
                           on 2 cores; floats are summed in another order, so results
                           differ slightly from 1's)   [1]
  --no-baselines           skip the global-mean and bias baselines
Explanations
  --explain-user ID        show this user's recommendations and explanations (repeatable);
                           the most active users fill up to 3
  --no-explanation-quality skip measuring explanations (faithfulness, plausibility on a
                           synthetic dataset, held-out agreement; explanation_quality.json)
Output
  --out DIR                output folder (replaced as a whole)   [out/train]; refused when it
                           holds files DReX did not write or another task's output
  --force                  replace --out whatever it holds (never the current folder or one
                           above it)
  --no-report              do not write report.html
  -h, --help               this help
`;

/** The keys `--columns` accepts (the fields of `CsvColumns`). */
const CSV_COLUMN_KEYS = ["user", "item", "rating", "review", "title", "timestamp"];

/** The flag that sets each DReX option, for messages about bad values. */
const MODEL_FLAGS: Record<string, string> = {
  variant: "--variant",
  preset: "--preset",
  latentDim: "--d",
  learningRate: "--lr",
  lambda: "--lambda",
  batchSize: "--batch-size",
  maxEpochs: "--max-epochs",
  patience: "--patience",
  stoppingMetric: "--stop-on",
  seed: "--seed",
  hideReviews: "--hide-reviews",
  hideRatings: "--hide-ratings",
  threads: "--threads",
};

/** Checks the model options now, before any data is read; a bad value names its flag. */
function checkModelFlags(model: DrexOptions): void {
  try {
    resolveDrexOptions(model);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new UsageError(
      err.message.replace(/^DReX option "(\w+)"/, (whole, k: string) => MODEL_FLAGS[k] ?? whole),
    );
  }
}

/** `--separator`: one character, or `tab` / `\t` for TSV. */
function separatorFlag(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v === "tab" || v === "\\t") return "\t";
  if ([...v].length !== 1) {
    throw new UsageError(`--separator expects one character or "tab", got "${v}"`);
  }
  return v;
}

function columns(v: string | undefined): CsvColumns | undefined {
  if (v === undefined) return undefined;
  const map: Record<string, string> = {};
  for (const part of v.split(",")) {
    const [key, value] = part.split("=");
    if (!key || !value) {
      throw new UsageError(`--columns expects key=column pairs separated by commas, got "${part}"`);
    }
    if (!CSV_COLUMN_KEYS.includes(key.trim())) {
      throw new UsageError(
        `--columns: unknown key "${key.trim()}" (known: ${CSV_COLUMN_KEYS.join(", ")})`,
      );
    }
    map[key.trim()] = value.trim();
  }
  if (!map.user || !map.item) {
    throw new UsageError("--columns needs at least user=... and item=...");
  }
  return map as unknown as CsvColumns;
}

/** Turns command-line arguments into a training configuration and an output folder. */
export function parseTrainArgs(
  args: string[],
): { config: TrainingConfig; out: string; report: boolean; force: boolean } | "help" {
  const v = parseFlags(args, {
    help: { type: "boolean", short: "h" },
    data: { type: "string" },
    format: { type: "string" },
    columns: { type: "string" },
    "timestamp-unit": { type: "string" },
    separator: { type: "string" },
    "no-header": { type: "boolean" },
    "rating-scale": { type: "string" },
    "include-title": { type: "boolean" },
    "skip-bad-lines": { type: "boolean" },
    "min-user-ratings": { type: "string" },
    "min-item-ratings": { type: "string" },
    "k-core": { type: "boolean" },
    "collapse-copied-reviews": { type: "boolean" },
    "split-seed": { type: "string" },
    encoder: { type: "string" },
    "bert-model": { type: "string" },
    "max-words": { type: "string" },
    "no-cache": { type: "boolean" },
    "compact-features": { type: "boolean" },
    "features-in-file": { type: "boolean" },
    "cache-dir": { type: "string" },
    variant: { type: "string" },
    d: { type: "string" },
    lr: { type: "string" },
    lambda: { type: "string" },
    "batch-size": { type: "string" },
    "max-epochs": { type: "string" },
    patience: { type: "string" },
    "stop-on": { type: "string" },
    seed: { type: "string" },
    "hide-reviews": { type: "string" },
    "hide-ratings": { type: "string" },
    preset: { type: "string" },
    "no-baselines": { type: "boolean" },
    "lazy-tables": { type: "boolean" },
    threads: { type: "string" },
    "explain-user": { type: "string", multiple: true },
    "no-explanation-quality": { type: "boolean" },
    out: { type: "string" },
    force: { type: "boolean" },
    "no-report": { type: "boolean" },
  });
  if (v.help) return "help";
  const encoderKind = choiceFlag("encoder", v.encoder, ["static", "bert"] as const) ?? "static";
  if (encoderKind === "bert" && !v["bert-model"]) {
    throw new UsageError("--encoder bert needs --bert-model PATH|ID");
  }
  if (encoderKind === "static" && v["bert-model"]) {
    throw new UsageError("--bert-model needs --encoder bert");
  }
  // A folder (from the caller's folder) is used as one; a path that is none is an error; else a hub id.
  const bertModel = v["bert-model"];
  let bertFolder: string | undefined;
  if (bertModel !== undefined) {
    try {
      if (Deno.statSync(userPath(bertModel)).isDirectory) bertFolder = userPath(bertModel);
    } catch { /* not a folder here */ }
    if (!bertFolder && looksLikePath(bertModel)) {
      throw new UsageError(`--bert-model ${bertModel}: no such folder`);
    }
  }
  const encoder: EncoderSpec = encoderKind === "bert"
    ? { kind: "bert", model: bertFolder ?? bertModel! }
    : { kind: "static" };
  const csvColumns = columns(v.columns);
  const ratingScale = v["rating-scale"] === undefined
    ? undefined
    : parseRatingScale(v["rating-scale"]);
  const model: DrexOptions = {
    variant: choiceFlag("variant", v.variant, ["drex", "drex-mlp"] as const),
    preset: choiceFlag("preset", v.preset, ["default", "paper"] as const),
    latentDim: intFlag("d", v.d),
    learningRate: numberFlag("lr", v.lr),
    lambda: numberFlag("lambda", v.lambda),
    batchSize: intFlag("batch-size", v["batch-size"]),
    maxEpochs: intFlag("max-epochs", v["max-epochs"]),
    patience: intFlag("patience", v.patience),
    stoppingMetric: choiceFlag("stop-on", v["stop-on"], ["rmse", "mae"] as const),
    seed: intFlag("seed", v.seed),
    hideReviews: numberFlag("hide-reviews", v["hide-reviews"]),
    hideRatings: numberFlag("hide-ratings", v["hide-ratings"]),
    ...(v["lazy-tables"] ? { lazyTables: true } : {}),
    threads: intFlag("threads", v.threads),
  };
  checkModelFlags(model);
  if (v["features-in-file"] && v["no-cache"]) {
    throw new UsageError(
      "--features-in-file keeps the features in the feature cache; it cannot go with --no-cache",
    );
  }
  const format = choiceFlag(
    "format",
    v.format,
    ["auto", "amazon2023", "amazon2018", "csv"] as const,
  );
  const dataPath = v.data === undefined
    ? repoFile("fixtures/synthetic/reviews.jsonl")
    : userPath(v.data);
  const isCsv = format === "csv" ||
    ((format ?? "auto") === "auto" && /\.(csv|tsv)(\.gz)?$/i.test(dataPath));
  checkInputFile("--data", dataPath);
  if (isCsv && !csvColumns) {
    throw new UsageError(
      `--data ${dataPath} is CSV: pass --columns to name its columns, ` +
        `e.g. --columns user=userId,item=movieId,rating=rating`,
    );
  }
  const config: TrainingConfig = {
    data: {
      path: dataPath,
      format: format as InteractionFormat | "auto" | undefined,
      columns: csvColumns,
      timestampUnit: choiceFlag("timestamp-unit", v["timestamp-unit"], ["ms", "s", "iso"] as const),
      separator: separatorFlag(v.separator),
      header: v["no-header"] ? false : undefined,
      includeTitle: v["include-title"] ?? false,
      onError: v["skip-bad-lines"] ? "skip" : "error",
      ratingScale,
    },
    prepare: {
      dedupe: { sameTextAcrossItems: v["collapse-copied-reviews"] ?? false },
      filter: {
        minUserRatings: intFlag("min-user-ratings", v["min-user-ratings"]),
        minItemRatings: intFlag("min-item-ratings", v["min-item-ratings"]),
        kCore: v["k-core"] ?? false,
      },
      split: { seed: intFlag("split-seed", v["split-seed"]) },
      ratingScale,
    },
    encoder,
    preprocess: { maxWords: intFlag("max-words", v["max-words"]) },
    cache: v["no-cache"]
      ? false
      : v["cache-dir"] === undefined
      ? undefined
      : userPath(v["cache-dir"]),
    compactFeatures: v["compact-features"] === true,
    featuresInFile: v["features-in-file"] === true,
    model: Object.fromEntries(Object.entries(model).filter(([, x]) => x !== undefined)),
    baselines: !v["no-baselines"],
    explainUserIds: v["explain-user"] ?? [],
    explanationQuality: !v["no-explanation-quality"],
  };
  return { config, out: v.out ?? "out/train", report: !v["no-report"], force: v.force === true };
}

if (import.meta.main) {
  await runCli(async () => {
    const parsed = parseTrainArgs(Deno.args);
    if (parsed === "help") {
      console.log(HELP);
      return;
    }
    parsed.out = await outputDirFlag(parsed.out, "out/train", "train", parsed.force);
    const log = (m: string) => console.error(`[train] ${m}`);
    const run = await runTraining(parsed.config, { log });
    const html = parsed.report ? await renderTrainingReport(run) : undefined;
    const files = await writeTrainingOutputs(parsed.out, run, html, { force: parsed.force });
    log(`wrote ${files.join(", ")} to ${parsed.out}`);
    log(`memory: ${formatPeakMemory()}`);
    console.log(runSummary(run));
  });
}
