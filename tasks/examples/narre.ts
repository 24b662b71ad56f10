/**
 * NARRE end to end on the synthetic fixture: read the reviews, prepare the
 * split, extract token features of the training reviews (static wink
 * embeddings, cached on disk), train with early stopping, evaluate, and
 * recommend with the recommended items' most attended reviews as evidence.
 *
 * ```sh
 * deno run -A tasks/examples/narre.ts [reviews.jsonl[.gz]]
 * ```
 *
 * With a file argument other than the fixture, the filter is relaxed to
 * users and items with at least 3 ratings, applied until stable (k-core).
 *
 * @module
 */
import { GlobalMean } from "../../lib/baselines/global_mean/global_mean.ts";
import { Narre } from "../../lib/baselines/narre/narre.ts";
import { prepareDataset } from "../../lib/data/prepare.ts";
import { loadInteractions } from "../../lib/data/read_interactions.ts";
import { evaluate } from "../../lib/metrics/evaluate.ts";
import { extractFeatures } from "../../lib/text/extract_features.ts";

const FIXTURE = new URL("../../fixtures/synthetic/reviews.jsonl", import.meta.url);
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

const model = new Narre({ latentDim: 64 });
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

const user = 0;
console.log(`top 3 for user ${split.users.id(user)}, with the items' most attended reviews:`);
for (const r of model.recommend(user, 3)) {
  console.log(`  ${r.itemId}  predicted ${r.score.toFixed(2)}`);
  for (const ev of r.explanation?.reviews ?? []) {
    const text = ev.text.length > 90 ? `${ev.text.slice(0, 87)}...` : ev.text;
    console.log(`    [${ev.weight.toFixed(3)}] ${text}`);
  }
}
model.dispose();
