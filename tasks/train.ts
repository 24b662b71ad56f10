/**
 * `deno task train`: the whole DReX job from the command line. With no
 * arguments it runs on the bundled synthetic dataset; `--help` lists the
 * options.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { DataError } from "../lib/data/errors.ts";
import { EmptyFilterError } from "../lib/data/filter.ts";
import type { InteractionFormat } from "../lib/data/read_interactions.ts";
import type { CsvColumns } from "../lib/data/read_csv.ts";
import type { DrexOptions } from "../lib/drex/options.ts";
import type { EncoderSpec } from "../lib/pipeline/create_encoder.ts";
import { runTraining, type TrainingConfig } from "../lib/pipeline/run_training.ts";
import { runSummary, writeTrainingOutputs } from "../lib/pipeline/write_training_outputs.ts";
import { renderTrainingReport } from "../lib/pipeline/training_report.ts";

const HELP = `deno task train [options]

Runs the whole DReX job: read, dedupe, filter, split, extract review token
features (cached), train DReX (and the global-mean and bias baselines),
evaluate under both ranking protocols, explain, and write everything to --out.

Data
  --data PATH              dataset file (gzip or plain)   [fixtures/synthetic/reviews.jsonl]
  --format FORMAT          auto | amazon2023 | amazon2018 | csv   [auto]
  --columns MAP            CSV column mapping, e.g. user=userId,item=movieId,rating=stars,review=text,timestamp=ts
  --timestamp-unit UNIT    CSV timestamps: ms | s | iso   [ms]
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
  --cache-dir DIR          feature cache folder   [.cache/drex/features]
Model
  --variant V              drex | drex-mlp   [drex]
  --d N                    latent size   [64]
  --lr X                   Adam learning rate   [0.005]
  --lambda X               Frobenius penalty weight   [0.001]
  --stop-on METRIC         early-stopping metric: rmse | mae   [rmse]
  --batch-size N           users or items per mini-batch   [16]
  --max-epochs N           epoch limit   [100]
  --patience N             early-stopping patience   [10]
  --seed N                 model seed   [42]
  --hide-reviews F         hide this fraction of training reviews   [0]
  --hide-ratings F         hide this fraction of training ratings   [0]
  --no-baselines           skip the global-mean and bias baselines
Output
  --out DIR                output folder (replaced as a whole)   [out/train]
  --no-report              do not write report.html
  -h, --help               this help
`;

/** A command-line mistake: printed without a stack trace. */
class UsageError extends Error {}

function int(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new UsageError(`--${flag} expects an integer, got "${v}"`);
  return n;
}

function num(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${flag} expects a number, got "${v}"`);
  return n;
}

function columns(v: string | undefined): CsvColumns | undefined {
  if (v === undefined) return undefined;
  const map: Record<string, string> = {};
  for (const part of v.split(",")) {
    const [key, value] = part.split("=");
    if (!key || !value) {
      throw new UsageError(`--columns expects key=column pairs separated by commas, got "${part}"`);
    }
    map[key.trim()] = value.trim();
  }
  if (!map.user || !map.item) {
    throw new UsageError("--columns needs at least user=... and item=...");
  }
  return map as unknown as CsvColumns;
}

function oneOf<T extends string>(
  flag: string,
  v: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (v === undefined) return undefined;
  if (!allowed.includes(v as T)) {
    throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}, got "${v}"`);
  }
  return v as T;
}

/** Turns command-line arguments into a training configuration and an output folder. */
export function parseTrainArgs(
  args: string[],
): { config: TrainingConfig; out: string; report: boolean } | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: "boolean", short: "h" },
        data: { type: "string" },
        format: { type: "string" },
        columns: { type: "string" },
        "timestamp-unit": { type: "string" },
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
        "no-baselines": { type: "boolean" },
        out: { type: "string" },
        "no-report": { type: "boolean" },
      },
    });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : err} (see --help)`);
  }
  const v = parsed.values;
  if (v.help) return "help";
  const encoderKind = oneOf("encoder", v.encoder, ["static", "bert"] as const) ?? "static";
  if (encoderKind === "bert" && !v["bert-model"]) {
    throw new UsageError("--encoder bert needs --bert-model PATH|ID");
  }
  if (encoderKind === "static" && v["bert-model"]) {
    throw new UsageError("--bert-model needs --encoder bert");
  }
  const encoder: EncoderSpec = encoderKind === "bert"
    ? { kind: "bert", model: v["bert-model"]! }
    : { kind: "static" };
  const csvColumns = columns(v.columns);
  const model: DrexOptions = {
    variant: oneOf("variant", v.variant, ["drex", "drex-mlp"] as const),
    latentDim: int("d", v.d),
    learningRate: num("lr", v.lr),
    lambda: num("lambda", v.lambda),
    batchSize: int("batch-size", v["batch-size"]),
    maxEpochs: int("max-epochs", v["max-epochs"]),
    patience: int("patience", v.patience),
    stoppingMetric: oneOf("stop-on", v["stop-on"], ["rmse", "mae"] as const),
    seed: int("seed", v.seed),
    hideReviews: num("hide-reviews", v["hide-reviews"]),
    hideRatings: num("hide-ratings", v["hide-ratings"]),
  };
  const config: TrainingConfig = {
    data: {
      path: v.data ?? "fixtures/synthetic/reviews.jsonl",
      format: oneOf("format", v.format, ["auto", "amazon2023", "amazon2018", "csv"] as const) as
        | InteractionFormat
        | "auto"
        | undefined,
      columns: csvColumns,
      timestampUnit: oneOf("timestamp-unit", v["timestamp-unit"], ["ms", "s", "iso"] as const),
      includeTitle: v["include-title"] ?? false,
      onError: v["skip-bad-lines"] ? "skip" : "error",
    },
    prepare: {
      dedupe: { sameTextAcrossItems: v["collapse-copied-reviews"] ?? false },
      filter: {
        minUserRatings: int("min-user-ratings", v["min-user-ratings"]),
        minItemRatings: int("min-item-ratings", v["min-item-ratings"]),
        kCore: v["k-core"] ?? false,
      },
      split: { seed: int("split-seed", v["split-seed"]) },
    },
    encoder,
    preprocess: { maxWords: int("max-words", v["max-words"]) },
    cache: v["no-cache"] ? false : v["cache-dir"],
    model: Object.fromEntries(Object.entries(model).filter(([, x]) => x !== undefined)),
    baselines: !v["no-baselines"],
  };
  return { config, out: v.out ?? "out/train", report: !v["no-report"] };
}

if (import.meta.main) {
  try {
    const parsed = parseTrainArgs(Deno.args);
    if (parsed === "help") {
      console.log(HELP);
      Deno.exit(0);
    }
    const log = (m: string) => console.error(`[train] ${m}`);
    const run = await runTraining(parsed.config, { log });
    const html = parsed.report ? await renderTrainingReport(run) : undefined;
    const files = await writeTrainingOutputs(parsed.out, run, html);
    log(`wrote ${files.join(", ")} to ${parsed.out}`);
    console.log(runSummary(run));
  } catch (err) {
    // Mistakes in the input get one clear line; anything else is a bug and keeps its stack.
    if (
      err instanceof UsageError || err instanceof DataError || err instanceof RangeError ||
      err instanceof EmptyFilterError || err instanceof Deno.errors.NotFound
    ) {
      console.error(`error: ${err.message}`);
      Deno.exit(2);
    }
    throw err;
  }
}
