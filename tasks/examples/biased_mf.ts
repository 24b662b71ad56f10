/**
 * Example: biased matrix factorisation on the synthetic fixture (or any
 * interactions file), next to the global-mean and bias baselines.
 *
 * ```sh
 * deno run -A tasks/examples/biased_mf.ts
 * deno run -A tasks/examples/biased_mf.ts ../shared/data/amazon2018_All_Beauty_5.jsonl.gz
 * ```
 *
 * The shared steps and the command line (`[reviews.jsonl[.gz]] [--min-ratings N]
 * [--epochs N]`) are in `run_example.ts`.
 *
 * @module
 */
import { BiasedMF } from "../../lib/baselines/biased_mf/biased_mf.ts";
import { runExample } from "./run_example.ts";

await runExample({
  make: (maxEpochs) =>
    new BiasedMF({ latentDim: 64, learningRate: 0.01, lambda: 0.1, seed: 42, maxEpochs }),
  readsReviews: false,
  show: (model, split) => {
    const user = 0;
    console.log(`Top 5 for user ${split.users.id(user)}:`);
    for (const rec of model.recommend(user, 5)) {
      console.log(`  ${rec.itemId}  ${rec.score.toFixed(2)}`);
    }
  },
});
