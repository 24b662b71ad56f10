/**
 * Example: DMF (deep matrix factorisation) on the synthetic fixture (or any
 * interactions file). DMF scores rather than predicts ratings, so it has no
 * MAE and is compared on ranking only, next to the global-mean (a random
 * ranking: all ties) and bias baselines.
 *
 * ```sh
 * deno run -A tasks/examples/dmf.ts
 * deno run -A tasks/examples/dmf.ts ../shared/data/amazon2018_All_Beauty_5.jsonl.gz
 * ```
 *
 * The shared steps and the command line (`[reviews.jsonl[.gz]] [--min-ratings N]
 * [--epochs N]`) are in `run_example.ts`.
 *
 * @module
 */
import { DMF } from "../../lib/baselines/dmf/dmf.ts";
import { runExample } from "./run_example.ts";

await runExample({
  make: (maxEpochs) =>
    new DMF({
      hiddenDims: [128],
      latentDim: 64,
      learningRate: 0.0001,
      negativeRatio: 1,
      seed: 42,
      maxEpochs,
    }),
  readsReviews: false,
  show: (model, split) => {
    const user = 0;
    console.log(`Top 5 for user ${split.users.id(user)} (cosine scores):`);
    for (const rec of model.recommend(user, 5)) {
      console.log(`  ${rec.itemId}  ${rec.score.toFixed(3)}`);
    }
  },
});
