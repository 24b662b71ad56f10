/**
 * Example: EMF (explainable matrix factorisation) on the synthetic fixture
 * (or any interactions file), next to the global-mean and bias baselines,
 * with neighbour-based explanations of its recommendations.
 *
 * ```sh
 * deno run -A tasks/examples/emf.ts
 * deno run -A tasks/examples/emf.ts ../shared/data/amazon2018_All_Beauty_5.jsonl.gz
 * ```
 *
 * The shared steps and the command line (`[reviews.jsonl[.gz]] [--min-ratings N]
 * [--epochs N]`) are in `run_example.ts`.
 *
 * @module
 */
import { EMF } from "../../lib/baselines/emf/emf.ts";
import { runExample } from "./run_example.ts";

await runExample({
  make: (maxEpochs) =>
    new EMF({ neighbours: 20, threshold: 0, explainabilityWeight: 0.3, seed: 42, maxEpochs }),
  readsReviews: false,
  show: (model, split) => {
    const user = 0;
    console.log(`Top 5 for user ${split.users.id(user)}, with explanations:`);
    for (const rec of model.recommend(user, 5)) {
      const why = rec.explanation?.reviews?.[0]?.text ?? "none of your neighbours rated it";
      console.log(`  ${rec.itemId}  ${rec.score.toFixed(2)}  ${why}`);
    }
  },
});
