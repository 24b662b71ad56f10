import {
  gridPoints,
  PAPER_GRID,
  selectionScore,
  validationView,
} from "../lib/compare/tune_hyperparameters.ts";
import { modelEntry } from "../lib/compare/model_registry.ts";
import type { EvaluationResult } from "../lib/metrics/evaluate.ts";
import { fixtureSplit } from "./support/fixture.ts";
import { assertEquals } from "./support/assert.ts";

Deno.test("gridPoints varies only what a model can tune", () => {
  const grid = { learningRate: [0.1, 0.01], lambda: [0, 0.1], latentDim: [32, 64] };
  assertEquals(gridPoints(grid, ["learningRate", "lambda", "latentDim"]).length, 8);
  assertEquals(gridPoints(grid, ["lambda"]), [{ lambda: 0 }, { lambda: 0.1 }]);
  assertEquals(gridPoints(grid, []), [{}]);
  assertEquals(gridPoints(PAPER_GRID, modelEntry("drex").tunable).length, 4 * 5 * 1);
});

Deno.test("validationView scores validation interactions and never the test ones", async () => {
  const split = await fixtureSplit();
  const view = validationView(split);
  assertEquals(view.test, split.validation);
  assertEquals(view.validation, []);
  assertEquals(view.train, split.train);
});

Deno.test("selectionScore reads the chosen metric", () => {
  const r: EvaluationResult = {
    mae: 0.5,
    rmse: 0.7,
    ratedTestInteractions: 3,
    ranking: {
      "test-items": {
        users: 1,
        usersWithRelevant: 1,
        ndcg: { 10: 0.9 },
        precision: {},
        recall: {},
        f1: { 5: 0.4 },
        hitRate: {},
      },
    },
  };
  assertEquals(selectionScore(r, "rmse"), 0.7);
  assertEquals(selectionScore(r, "mae"), 0.5);
  assertEquals(selectionScore(r, "ndcg@10"), 0.9);
  assertEquals(selectionScore(r, "f1@5"), 0.4);
  assertEquals(Number.isNaN(selectionScore(r, "f1@10")), true);
});
