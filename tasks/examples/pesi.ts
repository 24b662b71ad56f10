/**
 * Example: PESI (disentangled rating/review features with a contrastive
 * objective) on the synthetic fixture (or any interactions file), next to
 * the global-mean and bias baselines, with review-based explanations of its
 * recommendations.
 *
 * ```sh
 * deno run -A tasks/examples/pesi.ts
 * deno run -A tasks/examples/pesi.ts ../shared/data/amazon2018_All_Beauty_5.jsonl.gz --min-ratings 3
 * ```
 *
 * `--min-ratings N` filters users and items with fewer than N ratings until
 * nothing changes (k-core); without it the paper's filter (20 / 5) is used.
 * `--epochs N` caps training (default 100, with early stopping).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { GlobalMean } from "../../lib/baselines/global_mean/global_mean.ts";
import { UserItemBias } from "../../lib/baselines/user_item_bias/user_item_bias.ts";
import { Pesi } from "../../lib/baselines/pesi/pesi.ts";
import { loadInteractions } from "../../lib/data/read_interactions.ts";
import { prepareDataset } from "../../lib/data/prepare.ts";
import { evaluate } from "../../lib/metrics/evaluate.ts";
import type { Recommender } from "../../lib/recommender.ts";
import { extractFeatures } from "../../lib/text/extract_features.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: { "min-ratings": { type: "string" }, epochs: { type: "string" } },
  allowPositionals: true,
});
const path = positionals[0] ??
  fileURLToPath(new URL("../../fixtures/synthetic/reviews.jsonl", import.meta.url));
const min = values["min-ratings"] === undefined ? undefined : Number(values["min-ratings"]);
const maxEpochs = values.epochs === undefined ? 100 : Number(values.epochs);

const { interactions } = await loadInteractions(path);
const { split } = prepareDataset(
  interactions,
  min === undefined ? {} : { filter: { minUserRatings: min, minItemRatings: min, kCore: true } },
);
console.log(
  `${path}: ${split.users.size} users, ${split.items.size} items, ` +
    `${split.train.length} / ${split.validation.length} / ${split.test.length} train / validation / test`,
);
// Token features of the training reviews only (static wink 100-d; cached on disk).
const { features } = await extractFeatures(split.train.map((it) => it.review));

const model = new Pesi({ latentDim: 64, maxEpochs, seed: 42 });
const report = await model.fit({ split, features });
console.log(
  `PESI: best epoch ${report.bestEpoch} of ${report.history.length}, ${
    report.seconds.toFixed(1)
  } s`,
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
console.log(`Top 3 for user ${split.users.id(user)}, with the item's best-matching reviews:`);
for (const rec of model.recommend(user, 3)) {
  const words = rec.explanation?.keywords?.map((k) => k.word).join(", ") ?? "";
  console.log(`  ${rec.itemId}  ${rec.score.toFixed(2)}  keywords: ${words}`);
  for (const r of rec.explanation?.reviews ?? []) {
    console.log(`    (${r.weight.toFixed(2)}) ${r.text.slice(0, 100)}`);
  }
}
model.dispose();
