/**
 * Example: DeepCoNN on the synthetic fixture (or any interactions file):
 * token features of the training reviews (static wink embeddings, cached on
 * disk), training with early stopping, evaluation next to the global-mean
 * and bias baselines, and recommendations.
 *
 * ```sh
 * deno run -A tasks/examples/deepconn.ts
 * deno run -A tasks/examples/deepconn.ts ../shared/data/amazon2018_All_Beauty_5.jsonl.gz
 * ```
 *
 * The shared steps and the command line (`[reviews.jsonl[.gz]] [--min-ratings N]
 * [--epochs N]`) are in `run_example.ts`.
 *
 * @module
 */
import { DeepConn } from "../../lib/baselines/deepconn/deepconn.ts";
import { runExample } from "./run_example.ts";

await runExample({
  make: (maxEpochs) => new DeepConn({ latentDim: 64, maxEpochs }),
  readsReviews: true,
  show: (model, split) => {
    const user = 0;
    console.log(`top 5 for user ${split.users.id(user)}:`);
    for (const r of model.recommend(user, 5)) console.log(`  ${r.itemId}  ${r.score.toFixed(2)}`);
  },
});
