/**
 * What every model example shares: read a reviews file (the synthetic
 * fixture by default), prepare the split, extract token features of the
 * training reviews when the model reads text (static wink embeddings,
 * cached on disk), train with early stopping while logging each epoch,
 * evaluate next to the global-mean and user+item bias baselines, let the
 * example show its recommendations, and free the model.
 *
 * Command line of every example:
 *
 * ```sh
 * deno run -A tasks/examples/<model>.ts [reviews.jsonl[.gz]] [--min-ratings N] [--epochs N]
 * ```
 *
 * `--min-ratings N` keeps users and items with at least N ratings, applied
 * until stable (k-core); the default is the paper's filter (20 / 5) on the
 * fixture and 3 on any other file. `--epochs N` caps training (default each
 * model's own, with early stopping).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { checkInputFile, runCli, UsageError } from "../cli_support.ts";
import { GlobalMean } from "../../lib/baselines/global_mean/global_mean.ts";
import { UserItemBias } from "../../lib/baselines/user_item_bias/user_item_bias.ts";
import { prepareDataset } from "../../lib/data/prepare.ts";
import { loadInteractions } from "../../lib/data/read_interactions.ts";
import type { DatasetSplit } from "../../lib/data/types.ts";
import { evaluate } from "../../lib/metrics/evaluate.ts";
import type { Recommender } from "../../lib/recommender.ts";
import { extractFeatures } from "../../lib/text/extract_features.ts";

const FIXTURE = new URL("../../fixtures/synthetic/reviews.jsonl", import.meta.url);

/** What an example says about its model. */
export interface ExampleModel<M extends Recommender> {
  /** The model, given the `--epochs` cap (`undefined`: the model's default). */
  make(maxEpochs: number | undefined): M;
  /** Whether the model reads review text (then token features are extracted). */
  readsReviews: boolean;
  /** Prints what the example wants to show of the trained model. */
  show(model: M, split: DatasetSplit): void;
}

function positiveInteger(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${flag} must be a positive integer, got "${text}"`);
    Deno.exit(2);
  }
  return n;
}

const cell = (x: number | undefined, width: number) =>
  (x === undefined || Number.isNaN(x) ? "—" : x.toFixed(4)).padEnd(width);

/** Runs the example described by `example` with this process's command line. */
export function runExample<M extends Recommender>(example: ExampleModel<M>): Promise<void> {
  return runCli(() => runExampleMain(example));
}

const USAGE =
  `Usage: deno run -A tasks/examples/<model>.ts [reviews.jsonl[.gz]] [--min-ratings N] [--epochs N]

Trains the example's model on the file (the synthetic fixture by default), next to the
global-mean and user+item bias baselines, and shows its recommendations.

  --min-ratings N   keep users and items with at least N ratings, until stable (k-core)
                    [the paper's 20 / 5 on the fixture, 3 on any other file]
  --epochs N        cap training at N epochs   [the model's own, with early stopping]
  -h, --help        this help`;

async function runExampleMain<M extends Recommender>(example: ExampleModel<M>): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      options: {
        "min-ratings": { type: "string" },
        epochs: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (see --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals[0] !== undefined) checkInputFile("reviews file", positionals[0]);
  const source = positionals[0] ?? FIXTURE;
  const min = positiveInteger("min-ratings", values["min-ratings"]) ??
    (positionals[0] === undefined ? undefined : 3);
  const maxEpochs = positiveInteger("epochs", values.epochs);

  const { interactions } = await loadInteractions(source);
  const { split } = prepareDataset(
    interactions,
    min === undefined ? {} : { filter: { minUserRatings: min, minItemRatings: min, kCore: true } },
  );
  console.log(
    `${split.users.size} users, ${split.items.size} items; ` +
      `${split.train.length} train / ${split.validation.length} validation / ${split.test.length} test`,
  );

  let features;
  if (example.readsReviews) {
    // Features of the training reviews only, row r = split.train[r].
    const extracted = await extractFeatures(split.train.map((it) => it.review));
    features = extracted.features;
    console.log(
      `features: ${features.encoder}, D = ${features.dim}${extracted.cacheHit ? " (cached)" : ""}`,
    );
  }

  const model = example.make(maxEpochs);
  const report = await model.fit({ split, features }, {
    progress: false,
    onEpoch: (e) =>
      console.log(
        `epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)}, ` +
          `validation MAE ${e.validationMae.toFixed(4)} (${e.seconds.toFixed(1)} s)`,
      ),
  });
  console.log(
    `${model.name}: best epoch ${report.bestEpoch} of ${report.history.length}, ` +
      `${report.seconds.toFixed(1)} s`,
  );

  const models: Recommender[] = [new GlobalMean(), new UserItemBias(), model];
  for (const m of models.slice(0, 2)) await m.fit({ split });
  console.log("model         MAE     RMSE    NDCG@5 (test items)  NDCG@10 (full)  HR@10 (full)");
  for (const m of models) {
    const r = evaluate(m, split);
    const t = r.ranking["test-items"];
    const f = r.ranking.full;
    console.log(
      `${m.name.padEnd(13)} ${cell(r.mae, 7)} ${cell(r.rmse, 7)} ${cell(t?.ndcg[5], 20)} ` +
        `${cell(f?.ndcg[10], 15)} ${cell(f?.hitRate[10], 0)}`,
    );
  }

  example.show(model, split);
  model.dispose();
}
