/**
 * The part of the review-model examples (`deepconn.ts`, `narre.ts`) that is
 * the same for every model: read the reviews, prepare the split, extract
 * token features of the training reviews (static wink embeddings, cached on
 * disk), train with early stopping while logging each epoch, and evaluate
 * next to the global mean. Each example then shows its own recommendations.
 *
 * With a file argument other than the fixture, the filter is relaxed to
 * users and items with at least 3 ratings, applied until stable (k-core).
 *
 * @module
 */
import { GlobalMean } from "../../lib/baselines/global_mean/global_mean.ts";
import { prepareDataset } from "../../lib/data/prepare.ts";
import { loadInteractions } from "../../lib/data/read_interactions.ts";
import type { DatasetSplit } from "../../lib/data/types.ts";
import { evaluate } from "../../lib/metrics/evaluate.ts";
import type { Recommender } from "../../lib/recommender.ts";
import { extractFeatures } from "../../lib/text/extract_features.ts";

const FIXTURE = new URL("../../fixtures/synthetic/reviews.jsonl", import.meta.url);

/**
 * Runs the example for `model` on the file named by the first command-line
 * argument (the synthetic fixture by default), then calls `show` with the
 * trained model and the split, and frees the model.
 */
export async function runReviewModelExample<M extends Recommender>(
  model: M,
  show: (model: M, split: DatasetSplit) => void,
): Promise<void> {
  const source = Deno.args[0] ?? FIXTURE;
  const relaxed = Deno.args[0] !== undefined;

  const { interactions } = await loadInteractions(source);
  const { split } = prepareDataset(
    interactions,
    relaxed ? { filter: { minUserRatings: 3, minItemRatings: 3, kCore: true } } : {},
  );
  console.log(
    `${split.users.size} users, ${split.items.size} items; ` +
      `${split.train.length} train / ${split.validation.length} validation / ${split.test.length} test`,
  );

  // Features of the training reviews only, row r = split.train[r].
  const { features, cacheHit } = await extractFeatures(split.train.map((it) => it.review));
  console.log(`features: ${features.encoder}, D = ${features.dim}${cacheHit ? " (cached)" : ""}`);

  const report = await model.fit({ split, features }, {
    onEpoch: (e) =>
      console.log(
        `epoch ${e.epoch}: train MSE ${e.trainLoss.toFixed(4)}, ` +
          `validation MAE ${e.validationMae.toFixed(4)} (${e.seconds.toFixed(1)} s)`,
      ),
  });
  console.log(
    `best epoch ${report.bestEpoch} of ${report.history.length}, ${report.seconds.toFixed(1)} s`,
  );

  const baseline = new GlobalMean();
  await baseline.fit({ split });
  for (const m of [baseline, model]) {
    const r = evaluate(m, split);
    const t = r.ranking["test-items"]!;
    const f = r.ranking.full!;
    console.log(
      `${m.name.padEnd(10)} MAE ${r.mae.toFixed(4)}  RMSE ${r.rmse.toFixed(4)}  ` +
        `NDCG@5 ${t.ndcg[5].toFixed(4)}  NDCG@10 ${t.ndcg[10].toFixed(4)}  ` +
        `full NDCG@10 ${f.ndcg[10].toFixed(4)}`,
    );
  }

  show(model, split);
  model.dispose();
}
