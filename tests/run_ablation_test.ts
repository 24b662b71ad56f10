import { ablationMarkdown, ablationRows } from "../lib/compare/format_ablation.ts";
import { ablationSettings, runAblation } from "../lib/compare/run_ablation.ts";
import { repoPath } from "./support/shared.ts";
import { assert, assertEquals, assertStringIncludes, assertThrows } from "./support/assert.ts";

const fixture = {
  name: "fixture",
  data: { path: repoPath("fixtures", "synthetic", "reviews.jsonl") },
};

Deno.test("runAblation trains each setting with each seed on one split and tables them against the defaults", async () => {
  const runs = await runAblation({
    datasets: [fixture],
    variants: ["drex", "drex-mlp"],
    settings: ["paper", "default", "no-holdout"],
    seeds: [1, 2],
    options: { maxEpochs: 1 },
  });
  // no-holdout only exists for DReX-MLP: 2 × 2 + 3 × 2 runs.
  assertEquals(runs.length, 10);
  assert(runs.every((r) => Number.isFinite(r.validationRmse) && Number.isFinite(r.testRmse)));
  const rows = ablationRows(runs);
  assertEquals(rows.length, 5);
  assertEquals(rows[0].runs, 2);
  const md = ablationMarkdown(runs);
  assertStringIncludes(md, "### fixture · DReX-MLP");
  assertStringIncludes(md, "| library defaults |");
  assertStringIncludes(md, "− vector holdout");
  // The paper row's change against the defaults is its difference in mean validation RMSE.
  const paper = rows.find((r) => r.variant === "drex" && r.setting === "paper")!;
  const base = rows.find((r) => r.variant === "drex" && r.setting === "default")!;
  const delta = paper.validationRmse.mean - base.validationRmse.mean;
  assertStringIncludes(md, `${delta >= 0 ? "+" : ""}${delta.toFixed(4)}`);
});

Deno.test("ablation settings: unknown ids are named", () => {
  assertEquals(ablationSettings(["paper"]).length, 1);
  assertThrows(() => ablationSettings(["nope"]), RangeError, '"nope"');
});

Deno.test("deno task ablate rejects bad flags before any work, naming the flag", async () => {
  for (
    const [args, text] of [
      [["--variants", "narre"], "--variants"],
      [["--settings", "nope"], "--settings"],
      [["--datasets", "nope"], "--datasets"],
      [["--max-epochs", "0"], "--max-epochs"],
    ] as const
  ) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", repoPath("tasks", "ablate.ts"), ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(out.code, 2);
    assertStringIncludes(new TextDecoder().decode(out.stderr), text);
  }
});
