/**
 * NARRE end to end on the synthetic fixture: read the reviews, prepare the
 * split, extract token features of the training reviews (static wink
 * embeddings, cached on disk), train with early stopping, evaluate, and
 * recommend with the recommended items' most attended reviews as evidence
 * (the shared steps are in `review_model_example.ts`).
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
import { Narre } from "../../lib/baselines/narre/narre.ts";
import { runReviewModelExample } from "./review_model_example.ts";

await runReviewModelExample(new Narre({ latentDim: 64 }), (model, split) => {
  const user = 0;
  console.log(`top 3 for user ${split.users.id(user)}, with the items' most attended reviews:`);
  for (const r of model.recommend(user, 3)) {
    console.log(`  ${r.itemId}  predicted ${r.score.toFixed(2)}`);
    for (const ev of r.explanation?.reviews ?? []) {
      const text = ev.text.length > 90 ? `${ev.text.slice(0, 87)}...` : ev.text;
      console.log(`    [${ev.weight.toFixed(3)}] ${text}`);
    }
  }
});
