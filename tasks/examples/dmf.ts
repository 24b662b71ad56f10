/**
 * Example: DMF (deep matrix factorisation) on the synthetic fixture (or any
 * interactions file). DMF scores rather than predicts ratings, so it is
 * compared on ranking only, next to the global-mean (a random ranking: all
 * ties) and bias baselines.
 *
 * ```sh
 * deno run -A tasks/examples/dmf.ts
 * deno run -A tasks/examples/dmf.ts ../shared/data/amazon2018_All_Beauty_5.jsonl.gz --min-ratings 3
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
import { DMF } from "../../lib/baselines/dmf/dmf.ts";
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

const model = new DMF({
  hiddenDims: [128],
  latentDim: 64,
  learningRate: 0.0001,
  negativeRatio: 1,
  seed: 42,
});
const report = await model.fit({ split });
console.log(
  `DMF: best epoch ${report.bestEpoch} of ${report.history.length}, ${report.seconds.toFixed(1)} s`,
);

const models: Recommender[] = [new GlobalMean(), new UserItemBias(), model];
for (const m of models.slice(0, 2)) await m.fit({ split });
console.log("model         NDCG@5 (test items)  NDCG@10 (full)  HR@10 (full)");
for (const m of models) {
  const r = evaluate(m, split);
  console.log(
    `${m.name.padEnd(13)} ${r.ranking["test-items"]?.ndcg[5].toFixed(4).padEnd(20)} ` +
      `${r.ranking.full?.ndcg[10].toFixed(4).padEnd(15)} ${r.ranking.full?.hitRate[10].toFixed(4)}`,
  );
}
const user = 0;
console.log(`Top 5 for user ${split.users.id(user)} (cosine scores):`);
for (const rec of model.recommend(user, 5)) console.log(`  ${rec.itemId}  ${rec.score.toFixed(3)}`);
