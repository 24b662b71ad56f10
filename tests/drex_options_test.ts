import { DrexModel } from "../lib/drex/drex_model.ts";
import {
  DREX_DEFAULTS,
  DREX_PAPER_PRESET,
  ratingLevel,
  ratingLevels,
  resolveDrexOptions,
} from "../lib/drex/options.ts";
import { fixtureFeatures, fixtureSplit } from "./support/fixture.ts";
import { assertAlmostEquals, assertEquals, assertThrows } from "./support/assert.ts";

Deno.test("the paper preset turns every addition off; explicit options still override it", () => {
  const paper = resolveDrexOptions({ preset: "paper" });
  assertEquals(paper.biases, false);
  assertEquals(paper.readout, "last");
  assertEquals(paper.stateDropout, 0);
  assertEquals(paper.emaDecay, 0);
  assertEquals(paper.clipNorm, 0);
  assertEquals(paper.vectorHoldout, 0);
  assertEquals(paper.weightDecay, 0);
  assertEquals(paper.ratingInputDropout, 0);
  // The penalty the paper tunes keeps the library's earlier default in the preset.
  assertEquals(paper.lambda, 0.001);
  // Everything the spec fixes is the same in both.
  for (const k of ["latentDim", "learningRate", "batchSize", "maxEpochs"] as const) {
    assertEquals(paper[k], DREX_DEFAULTS[k]);
  }
  assertEquals(resolveDrexOptions({ preset: "paper", readout: "mean" }).readout, "mean");
  assertEquals(resolveDrexOptions().preset, "default");
  assertEquals(Object.keys(DREX_PAPER_PRESET).every((k) => k in DREX_DEFAULTS), true);
});

Deno.test("half-star scales: levels and the nearest level of a rating", () => {
  const o = resolveDrexOptions({ ratingMin: 0.5, ratingMax: 5, ratingStep: 0.5 });
  assertEquals(ratingLevels(o), 10);
  assertEquals(ratingLevel(o, 0.5), 0);
  assertEquals(ratingLevel(o, 3.5), 6);
  assertEquals(ratingLevel(o, 5), 9);
  assertEquals(ratingLevels(resolveDrexOptions()), 5);
});

Deno.test("new options are checked, naming the option", () => {
  const bad: [Record<string, unknown>, string][] = [
    [{ preset: "fast" }, "preset"],
    [{ stateDropout: 1 }, "stateDropout"],
    [{ emaDecay: -0.1 }, "emaDecay"],
    [{ clipNorm: -1 }, "clipNorm"],
    [{ readout: "max" }, "readout"],
    [{ vectorHoldout: 1 }, "vectorHoldout"],
    [{ biases: "yes" }, "biases"],
    [{ ratingStep: 0.3 }, "ratingStep"],
    [{ biasUserReg: NaN }, "biasUserReg"],
  ];
  for (const [options, name] of bad) {
    assertThrows(() => resolveDrexOptions(options as never), RangeError, name);
  }
});

// Predictions of the first six fixture test pairs after 3 epochs (seed 5), computed
// with the library before the additions existed: the paper preset must still give them.
const BEFORE_ADDITIONS = {
  "drex": [
    4.136868953704834,
    4.086814880371094,
    3.822866201400757,
    3.6329193115234375,
    4.223841667175293,
    3.5832748413085938,
  ],
  "drex-mlp": [
    4.190279483795166,
    3.770998954772949,
    3.725282669067383,
    3.553677797317505,
    4.329768657684326,
    3.673678398132324,
  ],
};

Deno.test("the paper preset trains exactly as the library did before the additions", async () => {
  const split = await fixtureSplit();
  const features = await fixtureFeatures();
  const test = split.test.slice(0, 6);
  for (const variant of ["drex", "drex-mlp"] as const) {
    const model = new DrexModel({ variant, preset: "paper", maxEpochs: 3, seed: 5 });
    await model.fit({ split, features }, { progress: false });
    const got = model.predict(
      Int32Array.from(test, (it) => it.user),
      Int32Array.from(test, (it) => it.item),
    );
    // Float tolerance: since the speed work the pooling kernel projects the pooled reviews
    // itself, summing in another order than TF.js's matMul. DReX moved by at most 5e-7;
    // DReX-MLP's paper recipe (its rating vectors hold the ratings it predicts) amplifies
    // rounding and moved by at most 2.7e-4.
    const tolerance = variant === "drex" ? 1e-5 : 1e-3;
    BEFORE_ADDITIONS[variant].forEach((v, j) => assertAlmostEquals(got[j], v, tolerance));
    model.dispose();
  }
});

Deno.test("threads: 2 trains to the predictions of one thread, up to float summation order", async () => {
  const split = await fixtureSplit();
  const features = await fixtureFeatures();
  const test = split.test.slice(0, 20);
  const users = Int32Array.from(test, (it) => it.user);
  const items = Int32Array.from(test, (it) => it.item);
  const predictions = async (threads: number) => {
    const model = new DrexModel({ maxEpochs: 3, seed: 5, threads });
    await model.fit({ split, features }, { progress: false });
    const p = model.predict(users, items);
    model.dispose();
    return p;
  };
  const one = await predictions(1);
  const two = await predictions(2);
  one.forEach((v, j) => assertAlmostEquals(two[j], v, 1e-3));
  assertThrows(() => new DrexModel({ threads: 4 }), RangeError, '"threads"');
});
