import { benchFeatures, formatFeatureBench, readReviewTexts } from "../tasks/bench/features.ts";
import {
  assert,
  assertEquals,
  assertGreater,
  assertRejects,
  assertStringIncludes,
} from "./support/assert.ts";
import { hasShared, sharedPath } from "./support/shared.ts";

const DATA = sharedPath("data", "amazon2018_All_Beauty_5.jsonl.gz");

const readTest = "readReviewTexts reads the non-blank reviewText values of a gzip JSON-lines file";
Deno.test({
  name: readTest,
  ignore: !hasShared(readTest, "data", "amazon2018_All_Beauty_5.jsonl.gz"),
  async fn() {
    const texts = await readReviewTexts(DATA);
    assertGreater(texts.length, 5000);
    assert(texts.every((t) => typeof t === "string" && t.trim() !== ""));
  },
});

Deno.test("readReviewTexts names the line of a broken record", async () => {
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  try {
    await Deno.writeTextFile(path, '{"reviewText":"ok"}\n\n{"reviewText": "  "}\n{oops\n');
    await assertRejects(() => readReviewTexts(path), Error, ":4:");
    await Deno.writeTextFile(path, '{"reviewText":"ok"}\n{"summary":"x"}\n');
    assertEquals(await readReviewTexts(path), ["ok"]);
  } finally {
    await Deno.remove(path);
  }
});

const benchTest = "benchFeatures measures preprocessing and a BERT encoder on a small sample";
Deno.test({
  name: benchTest,
  ignore: !hasShared(benchTest, "data", "amazon2018_All_Beauty_5.jsonl.gz") ||
    !hasShared(benchTest, "models", "tiny-random-bert"),
  async fn() {
    const result = await benchFeatures({
      preprocessReviews: 40,
      staticReviews: 0,
      bertReviews: 12,
      bertModel: sharedPath("models", "tiny-random-bert"),
      batchSize: 4,
      passes: 1,
      bertPasses: 1,
    });
    assertEquals(result.preprocess.reviews, 40);
    assertGreater(result.preprocess.reviewsPerSecond, 0);
    assertGreater(result.avgWordsPerReview, 1);
    assertEquals(result.static, undefined);
    assertEquals(result.bert?.runtime, "onnxruntime-node");
    assertGreater(result.bert!.avgWordPiecesPerReview, result.bert!.avgWordsPerReview * 0.99);
    const table = formatFeatureBench(result);
    assertStringIncludes(table, "preprocess (wink-nlp)");
    assertStringIncludes(table, "tiny-random-bert");
    await assertRejects(
      () => benchFeatures({ preprocessReviews: 0 }),
      RangeError,
      "preprocessReviews",
    );
  },
});
