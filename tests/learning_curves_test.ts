import { assert, assertEquals, assertStringIncludes } from "./support/assert.ts";
import type { EpochRecord, FitReport } from "../lib/recommender.ts";
import type { PlotlyTrace } from "../lib/plots/figure.ts";
import {
  bestEpochOf,
  learningCurveRuns,
  learningCurvesFigure,
} from "../lib/plots/learning_curves.ts";

function records(maes: number[]): EpochRecord[] {
  return maes.map((mae, i) => ({
    epoch: i + 1,
    trainLoss: 2 / (i + 1),
    validationMae: mae,
    validationRmse: mae + 0.3,
    seconds: 1,
  }));
}

function assertPlainJson(value: unknown): void {
  assertEquals(
    JSON.parse(JSON.stringify(value)),
    value,
    "figure must be plain JSON (no NaN, undefined)",
  );
}

Deno.test("learningCurveRuns accepts records, a FitReport, named runs and a record of runs", () => {
  const h = records([0.9, 0.8]);
  const report: FitReport = { history: h, bestEpoch: 1, stoppedEarly: false, seconds: 2 };
  assertEquals(learningCurveRuns(h).map((r) => r.name), ["run"]);
  assertEquals(learningCurveRuns(report, "DReX")[0].bestEpoch, 1);
  assertEquals(learningCurveRuns([{ name: "a", history: h }]).map((r) => r.name), ["a"]);
  assertEquals(learningCurveRuns({ a: h, b: report }).map((r) => [r.name, r.bestEpoch]), [
    ["a", undefined],
    ["b", 1],
  ]);
  assertEquals(learningCurveRuns([]), []);
});

Deno.test("bestEpochOf prefers the given epoch, else the lowest finite validation MAE", () => {
  assertEquals(bestEpochOf({ name: "r", history: records([0.9, 0.7, 0.8]) }), 2);
  assertEquals(bestEpochOf({ name: "r", history: records([0.9, 0.7, 0.8]), bestEpoch: 3 }), 3);
  assertEquals(bestEpochOf({ name: "r", history: records([NaN, NaN]) }), null);
  // A bestEpoch that is not in the history falls back to the minimum.
  assertEquals(bestEpochOf({ name: "r", history: records([0.9, 0.7]), bestEpoch: 9 }), 2);
});

Deno.test("learningCurvesFigure draws loss, MAE, RMSE and a starred best epoch per run", () => {
  const fig = learningCurvesFigure({
    DReX: records([0.9, 0.7, 0.75]),
    MLP: { history: records([1, 0.95]), bestEpoch: 2, stoppedEarly: false, seconds: 1 },
  }, { colors: { MLP: "#123456" } });
  assertPlainJson(fig);
  assertStringIncludes(fig.layout.title?.text ?? "", "Learning curves");
  // Per run: loss, MAE, RMSE, star.
  assertEquals(fig.data.length, 8);
  const loss = fig.data.filter((t) => t.yaxis === "y" && t.mode === "lines+markers");
  assertEquals(loss.map((t) => t.name), ["DReX", "MLP"]);
  assertEquals(loss[0].y, [2, 1, 2 / 3]);
  assertEquals(loss[1].line?.color, "#123456");
  const stars = fig.data.filter((t) => t.marker?.symbol === "star");
  assertEquals(stars.map((t) => [t.x, t.y]), [[[2], [0.7]], [[2], [0.95]]]);
  const rmse = fig.data.find((t) => t.line?.dash === "dash") as PlotlyTrace;
  assertEquals(rmse.y, [1.2, 1, 1.05]);
  // One dotted line per run and panel at the best epoch.
  assertEquals(fig.layout.shapes?.map((s) => s.x0), [2, 2, 2, 2]);
  assertEquals((fig.layout.xaxis2 as { title: { text: string } }).title.text, "epoch");
  // Only the loss traces have legend entries: one per run.
  assertEquals(fig.data.filter((t) => t.showlegend !== false).length, 2);
});

Deno.test("learningCurvesFigure without validation draws the loss only and says so", () => {
  const fig = learningCurvesFigure(records([NaN, NaN, NaN]), {
    runName: "BiasedMF",
    logLoss: true,
  });
  assertPlainJson(fig);
  assertEquals(fig.data.length, 1);
  assertEquals(fig.data[0].name, "BiasedMF");
  assertEquals(fig.layout.yaxis?.type, "log");
  assert(fig.layout.annotations?.some((a) => a.text === "no validation ratings"));
});
