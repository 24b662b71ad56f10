/**
 * Example: biased matrix factorisation on the synthetic fixture (or any
 * interactions file), next to the global-mean and bias baselines.
 *
 * ```sh
 * deno run -A tasks/examples/biased_mf.ts
 * deno run -A tasks/examples/biased_mf.ts ../shared/data/amazon2018_All_Beauty_5.jsonl.gz --min-ratings 3
 * ```
 *
 * `--min-ratings N` filters users and items with fewer than N ratings until
 * nothing changes (k-core); without it the paper's filter (20 / 5) is used.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { GlobalMean } from "../../lib/baselines/global_mean/global_mean.ts";
import { UserItemBias } from "../../lib/baselines/user_item_bias/user_item_bias.ts";
import { BiasedMF } from "../../lib/baselines/biased_mf/biased_mf.ts";
import { loadInteractions } from "../../lib/data/read_interactions.ts";
import { prepareDataset } from "../../lib/data/prepare.ts";
import { evaluate } from "../../lib/metrics/evaluate.ts";
import type { Recommender } from "../../lib/recommender.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: { "min-ratings": { type: "string" } },
  allowPositionals: true,
});
const path = positionals[0] ??
  fileURLToPath(new URL("../../fixtures/synthetic/reviews.jsonl", import.meta.url));
const min = values["min-ratings"] === undefined ? undefined : Number(values["min-ratings"]);

const { interactions } = await loadInteractions(path);
const { split } = prepareDataset(
  interactions,
  min === undefined ? {} : { filter: { minUserRatings: min, minItemRatings: min, kCore: true } },
);
console.log(
  `${path}: ${split.users.size} users, ${split.items.size} items, ` +
    `${split.train.length} / ${split.validation.length} / ${split.test.length} train / validation / test`,
);

const model = new BiasedMF({ latentDim: 64, learningRate: 0.01, lambda: 0.1, seed: 42 });
const report = await model.fit({ split });
console.log(
  `BiasedMF: best epoch ${report.bestEpoch} of ${report.history.length}, ` +
    `${report.seconds.toFixed(1)} s`,
);

const models: Recommender[] = [new GlobalMean(), new UserItemBias(), model];
for (const m of models.slice(0, 2)) await m.fit({ split });
console.log("model         MAE     RMSE    NDCG@5 (test items)  NDCG@10 (full)");
for (const m of models) {
  const r = evaluate(m, split);
  console.log(
    `${m.name.padEnd(13)} ${r.mae.toFixed(4)}  ${r.rmse.toFixed(4)}  ` +
      `${r.ranking["test-items"]?.ndcg[5].toFixed(4).padEnd(20)} ` +
      `${r.ranking.full?.ndcg[10].toFixed(4)}`,
  );
}
const user = 0;
console.log(`Top 5 for user ${split.users.id(user)}:`);
for (const rec of model.recommend(user, 5)) console.log(`  ${rec.itemId}  ${rec.score.toFixed(2)}`);
