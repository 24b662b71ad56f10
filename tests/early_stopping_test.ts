import { runEpochLoop } from "../lib/train/early_stopping.ts";
import { TrainingDivergedError } from "../lib/train/training_diverged_error.ts";
import { assertEquals, assertRejects } from "./support/assert.ts";

function loop(losses: number[]) {
  const released: number[] = [];
  let restored = -1;
  let epochsRun = 0;
  const run = () =>
    runEpochLoop<number>({
      label: "Toy",
      maxEpochs: losses.length,
      patience: 10,
      minDelta: 0,
      metric: "rmse",
      runEpoch: (epoch) => {
        epochsRun = epoch;
        return losses[epoch - 1];
      },
      validate: () => ({ mae: 1, rmse: 1 / epochsRun }),
      snapshot: () => epochsRun,
      restore: (s) => void (restored = s),
      release: (s) => void released.push(s),
    }, { progress: false });
  return { run, state: () => ({ epochsRun, restored }) };
}

Deno.test("a non-finite training loss stops training at once with TrainingDivergedError", async () => {
  for (const bad of [Infinity, NaN, -Infinity]) {
    const toy = loop([1, 0.5, bad, 0.2]);
    const err = await assertRejects(
      () => toy.run(),
      TrainingDivergedError,
      "lower the learning rate",
    ) as TrainingDivergedError;
    assertEquals([err.model, err.epoch, Object.is(err.loss, bad)], ["Toy", 3, true]);
    // Epoch 4 never ran; the best parameters (epoch 2) were put back.
    assertEquals(toy.state(), { epochsRun: 3, restored: 2 });
  }
  const fine = loop([1, 0.5, 0.4]);
  assertEquals((await fine.run()).bestEpoch, 3);
});
