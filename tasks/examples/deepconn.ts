/**
 * DeepCoNN end to end on the synthetic fixture: read the reviews, prepare
 * the split, extract token features of the training reviews (static wink
 * embeddings, cached on disk), train with early stopping, evaluate, and
 * recommend (the shared steps are in `review_model_example.ts`).
 *
 * ```sh
 * deno run -A tasks/examples/deepconn.ts [reviews.jsonl[.gz]]
 * ```
 *
 * With a file argument other than the fixture, the filter is relaxed to
 * users and items with at least 3 ratings, applied until stable (k-core).
 *
 * @module
 */
import { DeepConn } from "../../lib/baselines/deepconn/deepconn.ts";
import { runReviewModelExample } from "./review_model_example.ts";

await runReviewModelExample(new DeepConn({ latentDim: 64 }), (model, split) => {
  const user = 0;
  console.log(`top 5 for user ${split.users.id(user)}:`);
  for (const r of model.recommend(user, 5)) console.log(`  ${r.itemId}  ${r.score.toFixed(2)}`);
});
