import { MODEL_REGISTRY } from "../lib/compare/model_registry.ts";
import { gridSize, PAPER_GRID } from "../lib/compare/search_space.ts";
import {
  modelSearchSpace,
  selectionScore,
  tuneHyperparameters,
  validationView,
} from "../lib/compare/tune_hyperparameters.ts";
import type { EvaluationResult } from "../lib/metrics/evaluate.ts";
import { fixtureSplit } from "./support/fixture.ts";
import { repoPath } from "./support/shared.ts";
import { assert, assertEquals, assertThrows } from "./support/assert.ts";

Deno.test("every model with a search space has a grid; the bias model tunes its shrinkages", () => {
  for (const [key, entry] of Object.entries(MODEL_REGISTRY)) {
    if (key === "global-mean") assertEquals(entry.searchSpace, {});
    else assert(gridSize(entry.searchSpace) > 1, `${key} has something to tune`);
  }
  assertEquals(Object.keys(MODEL_REGISTRY.bias.searchSpace), ["userReg", "itemReg"]);
  assertEquals(MODEL_REGISTRY.drex.searchSpace, PAPER_GRID);
});

Deno.test("modelSearchSpace: grid values replace keys a model has; spaces add keys to one model", () => {
  assertEquals(modelSearchSpace("biased-mf", { learningRate: [0.01], userReg: [1] }), {
    ...PAPER_GRID,
    learningRate: [0.01],
  });
  assertEquals(modelSearchSpace("bias", { learningRate: [0.01] }, { userReg: [0, 1] }), {
    ...MODEL_REGISTRY.bias.searchSpace,
    userReg: [0, 1],
  });
  assertEquals(Object.keys(modelSearchSpace("drex", {}, { dropout: [0, 0.3] })), [
    "learningRate",
    "lambda",
    "latentDim",
    "dropout",
  ]);
  assertThrows(() => modelSearchSpace("bias", {}, { userReg: [] }), RangeError, '"userReg"');
});

Deno.test("tuneHyperparameters: every model gets the same budget on the same split, recorded", async () => {
  const result = await tuneHyperparameters({
    datasets: [{
      name: "fixture",
      data: { path: repoPath("fixtures", "synthetic", "reviews.jsonl") },
    }],
    models: ["global-mean", "bias", "biased-mf"],
    budget: 3,
    seeds: [1],
    modelOptions: { "biased-mf": { maxEpochs: 2 } },
  });
  assertEquals(Object.keys(result.budgets), ["bias", "biased-mf"]);
  // The seeded sample of 3 lacks both models' defaults, so each also tries them, first.
  assertEquals(result.budgets.bias, {
    budget: 3,
    settings: 4,
    gridSize: 100,
    sampled: true,
    runsPerSetting: 1,
    defaults: "added",
  });
  assertEquals(result.budgets["biased-mf"].settings, 4);
  assertEquals(result.budgets["biased-mf"].gridSize, 20);
  const biasTrials = result.trials.filter((t) => t.model === "bias");
  assertEquals(biasTrials.length, 4);
  assertEquals(biasTrials[0].setting, { userReg: 5, itemReg: 5 });
  assertEquals(result.trials.filter((t) => t.model === "biased-mf")[0].setting, {
    learningRate: 0.01,
    lambda: 0.1,
    latentDim: 64,
  });
  assertEquals(Object.keys(result.settings.fixture).sort(), ["bias", "biased-mf"]);
  assert("userReg" in result.settings.fixture.bias && "itemReg" in result.settings.fixture.bias);
  assertEquals(result.config.budget, 3);
  assertEquals(result.config.tryDefaults, true);
  // The chosen setting is the best validation score among all tried, defaults included.
  const best = Math.min(...biasTrials.map((t) => t.mean));
  assertEquals(biasTrials.find((t) => t.mean === best)!.setting, result.settings.fixture.bias);
  await assertRejectsRange(() =>
    tuneHyperparameters({ datasets: [], models: ["bias"], budget: 0 })
  );
});

async function assertRejectsRange(f: () => Promise<unknown>): Promise<void> {
  let error: unknown;
  try {
    await f();
  } catch (e) {
    error = e;
  }
  assert(error instanceof RangeError && error.message.includes("budget"), String(error));
}

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

Deno.test("tuneHyperparameters: tryDefaults false keeps to the budget; defaults in the grid are not tried twice", async () => {
  const dataset = {
    name: "fixture",
    data: { path: repoPath("fixtures", "synthetic", "reviews.jsonl") },
  };
  const off = await tuneHyperparameters({
    datasets: [dataset],
    models: ["bias"],
    budget: 3,
    tryDefaults: false,
  });
  assertEquals(off.budgets.bias.settings, 3);
  assertEquals(off.budgets.bias.defaults, "not-tried");
  const full = await tuneHyperparameters({
    datasets: [dataset],
    models: ["bias"],
    spaces: { bias: { userReg: [0, 5], itemReg: [5] } },
  });
  assertEquals(full.budgets.bias.defaults, "in-grid");
  assertEquals(full.trials.map((t) => t.setting), [
    { userReg: 0, itemReg: 5 },
    { userReg: 5, itemReg: 5 },
  ]);
});

Deno.test("every registry entry's defaults name a value for each key of its search space", () => {
  for (const [key, entry] of Object.entries(MODEL_REGISTRY)) {
    for (const k of Object.keys(entry.searchSpace)) {
      assert(entry.defaults[k] !== undefined, `${key} has a default for ${k}`);
    }
  }
  assertEquals(MODEL_REGISTRY["drex-paper"].defaults.lambda, 0.001);
  assertEquals(MODEL_REGISTRY.drex.defaults.learningRate, 0.005);
});
