import { DrexModel } from "../lib/drex/drex_model.ts";
import type { DrexOptions } from "../lib/drex/options.ts";
import { evaluate } from "../lib/metrics/evaluate.ts";
import { fixtureFeatures, fixtureSplit } from "./support/fixture.ts";
import { assert } from "./support/assert.ts";

// Fixture metrics of commit 02ccd5f, the last before the speed work of issue 12 (compact features,
// the helper thread, chunked state passes, lazy tables): the speed work must not change training.
// They were equal to the last bit until the representation tables were trained row by row
// (`row_wise_table.ts`, the same Adam to float rounding); the tolerance allows for float rounding only.
// The paper preset sits where float rounding picks between two outcomes: commit 867808f gave the
// first on one thread and the second on two (summation order alone); row-wise tables give the
// second, to 1e-8.
interface Outcome {
  rmse: number;
  mae: number;
  predictions: number[];
}
const BEFORE_SPEED_WORK: Record<string, Outcome & { alternative?: Outcome }> = {
  drex: {
    rmse: 0.990050666107234,
    mae: 0.7718608897196222,
    predictions: [3.2234296798706055, 3.040362596511841, 3.2421751022338867, 3.9918594360351562],
  },
  "drex-mlp": {
    rmse: 1.0347179026378552,
    mae: 0.8427928231240758,
    predictions: [3.4771528244018555, 3.5022308826446533, 3.3794565200805664, 3.5325639247894287],
  },
  "drex-paper": {
    rmse: 1.075507680764907,
    mae: 0.882897857806981,
    predictions: [3.4167320728302, 3.564826250076294, 3.635798454284668, 3.1667563915252686],
    alternative: {
      rmse: 1.075460943780739,
      mae: 0.8828336448151601,
      predictions: [3.417253017425537, 3.563258409500122, 3.636207342147827, 3.167738437652588],
    },
  },
};

const CONFIGS: Record<string, DrexOptions> = {
  drex: { variant: "drex", maxEpochs: 4, seed: 1 },
  "drex-mlp": { variant: "drex-mlp", maxEpochs: 4, seed: 1 },
  "drex-paper": { variant: "drex", preset: "paper", maxEpochs: 4, seed: 1 },
};

const split = await fixtureSplit();
const features = await fixtureFeatures();

for (const [name, options] of Object.entries(CONFIGS)) {
  Deno.test(`${name}: fixture metrics and predictions equal those from before the speed work`, async () => {
    const model = new DrexModel(options);
    await model.fit({ split, features }, { progress: false });
    const metrics = evaluate(model, split);
    const predictions = model.predict(Int32Array.of(0, 1, 2, 3), Int32Array.of(0, 1, 2, 3));
    model.dispose();
    const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol;
    const matches = (want: Outcome) =>
      close(metrics.rmse, want.rmse, 1e-6) && close(metrics.mae, want.mae, 1e-6) &&
      want.predictions.every((p, j) => close(predictions[j], p, 1e-5));
    const want = BEFORE_SPEED_WORK[name];
    assert(
      matches(want) || (want.alternative !== undefined && matches(want.alternative)),
      `RMSE ${metrics.rmse}, MAE ${metrics.mae}, predictions ${predictions.join(", ")}; ` +
        `before: ${want.rmse}, ${want.mae}, ${want.predictions.join(", ")}`,
    );
  });
}
