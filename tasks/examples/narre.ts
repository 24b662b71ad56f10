/**
 * Example: NARRE on the synthetic fixture (or any interactions file), with
 * the recommended items' most attended reviews as evidence, next to the
 * global-mean and bias baselines.
 *
 * ```sh
 * deno run -A tasks/examples/narre.ts
 * deno run -A tasks/examples/narre.ts ../shared/data/amazon2018_All_Beauty_5.jsonl.gz
 * ```
 *
 * The shared steps and the command line (`[reviews.jsonl[.gz]] [--min-ratings N]
 * [--epochs N]`) are in `run_example.ts`.
 *
 * @module
 */
import { Narre } from "../../lib/baselines/narre/narre.ts";
import { runExample } from "./run_example.ts";

await runExample({
  make: (maxEpochs) => new Narre({ latentDim: 64, maxEpochs }),
  readsReviews: true,
  show: (model, split) => {
    const user = 0;
    console.log(`top 3 for user ${split.users.id(user)}, with the items' most attended reviews:`);
    for (const r of model.recommend(user, 3)) {
      console.log(`  ${r.itemId}  predicted ${r.score.toFixed(2)}`);
      for (const ev of r.explanation?.reviews ?? []) {
        const text = ev.text.length > 90 ? `${ev.text.slice(0, 87)}...` : ev.text;
        console.log(`    [${ev.weight.toFixed(3)}] ${text}`);
      }
    }
  },
});
