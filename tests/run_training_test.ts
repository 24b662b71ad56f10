import { join } from "node:path";
import { runTraining } from "../lib/pipeline/run_training.ts";
import { writeTrainingOutputs } from "../lib/pipeline/write_training_outputs.ts";
import { renderTrainingReport } from "../lib/pipeline/training_report.ts";
import { DrexModel } from "../lib/drex/drex_model.ts";
import { repoPath } from "./support/shared.ts";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "./support/assert.ts";

const logged: string[] = [];
const run = await runTraining({
  data: { path: repoPath("fixtures", "synthetic", "reviews.jsonl") },
  model: { maxEpochs: 2 },
  explainUsers: 2,
  explainItems: 3,
  explainUserIds: ["U0042"],
  explanationQuality: { faithfulnessPairs: 30 },
}, { progress: false, log: (m) => logged.push(m) });

Deno.test("runTraining says what dedupe and the filter removed, and measures the explanations", () => {
  const text = logged.join("\n");
  assertStringIncludes(text, "dedupe: 3289 → ");
  assertStringIncludes(text, "filter (users ≥ 20, items ≥ 5): removed ");
  assertStringIncludes(text, "explanation quality at k = 5");
  const q = run.explanationQuality!;
  assertEquals(Object.keys(q.metrics.faithfulness), [
    "attention",
    "attention-effect",
    "frequency",
    "tfidf",
    "random",
  ]);
  // The fixture's truth.json lies beside its reviews: plausibility is measured.
  assert(q.metrics.plausibility !== undefined);
  assertEquals(q.pairs.faithfulness, 30);
});

Deno.test("runTraining explains the users asked for, then the most active ones", () => {
  assertEquals(run.explanations.map((e) => e.userId)[0], "U0042");
  const split = run.prepared.split;
  const activity = new Map<number, number>();
  for (const it of split.train) activity.set(it.user, (activity.get(it.user) ?? 0) + 1);
  const second = split.users.get(run.explanations[1].userId)!;
  const most = Math.max(...activity.values());
  assertEquals(activity.get(second), most);
});

Deno.test("skipped lines are logged with their line numbers and reasons", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "some_bad.jsonl");
    const good = (await Deno.readTextFile(repoPath("fixtures", "synthetic", "reviews.jsonl")))
      .split("\n").slice(0, 400);
    good.splice(3, 0, '{"user_id":"a","rating":4}');
    await Deno.writeTextFile(path, good.join("\n"));
    const lines: string[] = [];
    await runTraining({
      data: { path, onError: "skip" },
      prepare: { filter: { minUserRatings: 1, minItemRatings: 1 } },
      model: { maxEpochs: 1 },
      baselines: false,
      explanationQuality: false,
    }, { progress: false, log: (m) => lines.push(m) });
    const text = lines.join("\n");
    assertStringIncludes(text, "skipped 1 malformed lines (1 missing-item); the first:");
    assertStringIncludes(text, 'some_bad.jsonl:4: field "parent_asin"');
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

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
    // config.json holds what was asked for and every hyperparameter DReX ran with.
    const config = JSON.parse(await Deno.readTextFile(join(dir, "run", "config.json")));
    assertEquals(config.model, { maxEpochs: 2 });
    assertEquals(config.resolved.weightDecay, 1);
    assertEquals(config.resolved.profileVotes, 5);
    assertEquals(typeof config.resolved.biasUserReg, "number");
    const quality = JSON.parse(
      await Deno.readTextFile(join(dir, "run", "explanation_quality.json")),
    );
    assertEquals(Object.keys(quality).slice(0, 2), ["k", "metrics"]);
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
