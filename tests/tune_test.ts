import { parseSpaceFlags, trialsCsv } from "../tasks/tune.ts";
import type { TuneResult } from "../lib/compare/tune_hyperparameters.ts";
import { assertEquals, assertThrows } from "./support/assert.ts";

Deno.test("parseSpaceFlags: MODEL.KEY=values for one model, KEY=values for every model", () => {
  assertEquals(
    parseSpaceFlags(["bias.userReg=0,5,10", "learningRate=0.01", "drex.readout=mean,last"], [
      "bias",
      "drex",
    ]),
    {
      grid: { learningRate: [0.01] },
      spaces: { bias: { userReg: [0, 5, 10] }, drex: { readout: ["mean", "last"] } },
    },
  );
  assertThrows(() => parseSpaceFlags(["userReg"], ["bias"]), Error, "--space expects");
  assertThrows(() => parseSpaceFlags(["pesi.lambda=1"], ["bias"]), Error, "not in --models");
});

Deno.test("trialsCsv: one column per key any model searched", () => {
  const result = {
    trials: [
      {
        dataset: "d",
        model: "bias",
        setting: { userReg: 5, itemReg: 7 },
        metric: "rmse",
        scores: [0.9],
        mean: 0.9,
      },
      {
        dataset: "d",
        model: "emf",
        setting: { learningRate: 0.01 },
        metric: "rmse",
        scores: [1, 2],
        mean: 1.5,
      },
    ],
  } as unknown as TuneResult;
  assertEquals(
    trialsCsv(result),
    "dataset,model,userReg,itemReg,learningRate,metric,mean,scores\n" +
      "d,bias,5,7,,rmse,0.9,0.9\n" +
      "d,emf,,,0.01,rmse,1.5,1 2\n",
  );
});
