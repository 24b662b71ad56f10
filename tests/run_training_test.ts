import { join } from "node:path";
import { runTraining } from "../lib/pipeline/run_training.ts";
import { writeTrainingOutputs } from "../lib/pipeline/write_training_outputs.ts";
import { renderTrainingReport } from "../lib/pipeline/training_report.ts";
import { DrexModel } from "../lib/drex/drex_model.ts";
import { repoPath } from "./support/shared.ts";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "./support/assert.ts";

const run = await runTraining({
  data: { path: repoPath("fixtures", "synthetic", "reviews.jsonl") },
  model: { maxEpochs: 2 },
  explainUsers: 2,
  explainItems: 3,
}, { progress: false });

Deno.test("runTraining trains DReX and the baselines and explains recommendations", () => {
  assertEquals(Object.keys(run.models), ["DReX", "GlobalMean", "UserItemBias"]);
  assertEquals(run.models.DReX.report.history.length, 2);
  assert(run.models.DReX.metrics.ranking.full !== undefined);
  assertEquals(run.explanations.length, 2);
  assertEquals(run.explanations[0].recommendations.length, 3);
  assertEquals(run.features.dim, 100);
});

Deno.test("writeTrainingOutputs writes every artefact, and the saved model predicts like the trained one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const html = await renderTrainingReport(run);
    const files = await writeTrainingOutputs(join(dir, "run"), run, html);
    for (
      const f of [
        "summary.md",
        "config.json",
        "data.json",
        "metrics.json",
        "metrics.csv",
        "history.json",
        "profiles.json",
      ]
    ) {
      assert(files.includes(f), f);
    }
    const metrics = JSON.parse(await Deno.readTextFile(join(dir, "run", "metrics.json")));
    assertEquals(Object.keys(metrics), ["DReX", "GlobalMean", "UserItemBias"]);
    assertStringIncludes(await Deno.readTextFile(join(dir, "run", "summary.md")), "| DReX |");
    assertStringIncludes(await Deno.readTextFile(join(dir, "run", "report.html")), "plot-");
    const loaded = await DrexModel.load(join(dir, "run", "model"));
    const drex = run.models.DReX.model;
    const users = Int32Array.of(0, 1, 2);
    const items = Int32Array.of(3, 4, 5);
    assertEquals(Array.from(loaded.predict(users, items)), Array.from(drex.predict(users, items)));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runTraining reports bad data with file, line and field", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "bad.jsonl");
    await Deno.writeTextFile(
      path,
      '{"user_id":"a","parent_asin":"x","rating":"five","text":"t","timestamp":1}\n',
    );
    await assertRejects(
      () => runTraining({ data: { path } }, { progress: false }),
      Error,
      'bad.jsonl:1: field "rating"',
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
