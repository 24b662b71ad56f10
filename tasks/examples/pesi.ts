/**
 * Example: PESI (disentangled rating/review features with a contrastive
 * objective) on the synthetic fixture (or any interactions file), next to
 * the global-mean and bias baselines, with review-based explanations of its
 * recommendations.
 *
 * ```sh
 * deno run -A tasks/examples/pesi.ts
 * deno run -A tasks/examples/pesi.ts ../shared/data/amazon2018_All_Beauty_5.jsonl.gz --epochs 20
 * ```
 *
 * The shared steps and the command line (`[reviews.jsonl[.gz]] [--min-ratings N]
 * [--epochs N]`) are in `run_example.ts`.
 *
 * @module
 */
import { Pesi } from "../../lib/baselines/pesi/pesi.ts";
import { runExample } from "./run_example.ts";

await runExample({
  make: (maxEpochs) => new Pesi({ latentDim: 64, seed: 42, maxEpochs }),
  readsReviews: true,
  show: (model, split) => {
    const user = 0;
    console.log(`Top 3 for user ${split.users.id(user)}, with the item's best-matching reviews:`);
    for (const rec of model.recommend(user, 3)) {
      const words = rec.explanation?.keywords?.map((k) => k.word).join(", ") ?? "";
      console.log(`  ${rec.itemId}  ${rec.score.toFixed(2)}  keywords: ${words}`);
      for (const r of rec.explanation?.reviews ?? []) {
        console.log(`    (${r.weight.toFixed(2)}) ${r.text.slice(0, 100)}`);
      }
    }
  },
});
