import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { ParameterSteps } from "../lib/drex/parameter_steps.ts";
import { assert, assertEquals, assertThrows } from "./support/assert.ts";

await initBackend();

function setup(emaDecay: number) {
  const shared = tf.variable(tf.tensor2d([[1, 2], [3, 4]]), true, "ps-shared");
  const userOnly = tf.variable(tf.tensor1d([1, 1]), true, "ps-user");
  const itemOnly = tf.variable(tf.tensor1d([5, 5]), true, "ps-item");
  const table = tf.variable(tf.tensor2d([[0, 0]]), true, "ps-table");
  const steps = new ParameterSteps(
    [shared, userOnly, itemOnly, table],
    { user: [shared, userOnly], item: [shared, itemOnly] },
    {
      learningRate: 0.1,
      weightDecay: 0,
      emaDecay,
      clipNorm: 0,
      decayed: new Set([shared]),
      rowWise: new Set([table]),
    },
  );
  const dispose = () => {
    steps.dispose();
    [shared, userOnly, itemOnly, table].forEach((v) => v.dispose());
  };
  return { shared, userOnly, itemOnly, table, steps, dispose };
}

Deno.test("ParameterSteps: a side's step moves its parameters only, and the average follows", () => {
  const { shared, userOnly, itemOnly, steps, dispose } = setup(0.5);
  const before = tf.memory().numTensors;
  steps.beginPass();
  const g = tf.tensor1d([1, -1]);
  for (let s = 0; s < 3; s++) steps.step("user", new Map([[userOnly.name, g]]));
  g.dispose();
  // Adam moves a weight by about the learning rate per step; no gradient, no move.
  const u = userOnly.dataSync();
  assert(Math.abs(u[0] - 0.7) < 1e-3 && Math.abs(u[1] - 1.3) < 1e-3, `user weights ${u}`);
  assertEquals(Array.from(shared.dataSync()), [1, 2, 3, 4]);
  assertEquals(Array.from(itemOnly.dataSync()), [5, 5]);
  assertEquals(steps.steps, 3);
  assertEquals(tf.memory().numTensors, before, "steps leave no tensors behind");
  const average = steps.averageTensors()!;
  const a = average[1].dataSync();
  // avg ← (avg + p) / 2 after each step: between the start and the current value.
  assert(a[0] < 1 && a[0] > u[0], `average ${a}`);
  assertEquals(Array.from(average[2].dataSync()), [5, 5]);
  average.forEach((t) => t.dispose());
  dispose();
});

Deno.test("ParameterSteps: withAverage swaps the average in and the parameters back", () => {
  const { userOnly, table, steps, dispose } = setup(0.5);
  steps.beginPass();
  const g = tf.tensor1d([1, 1]);
  steps.step("user", new Map([[userOnly.name, g]]));
  g.dispose();
  steps.setAverage(table, tf.tensor2d([[7, 7]]));
  const current = Array.from(userOnly.dataSync());
  const seen = steps.withAverage(
    () => [Array.from(userOnly.dataSync()), Array.from(table.dataSync())],
  );
  assertEquals(seen[1], [7, 7]);
  assert(seen[0][0] !== current[0], "the average differs from the parameters");
  assertEquals(Array.from(userOnly.dataSync()), current);
  assertEquals(Array.from(table.dataSync()), [0, 0]);
  dispose();
});

Deno.test("ParameterSteps: misuse is refused with the parameter's name", () => {
  const { shared, steps, dispose } = setup(0);
  assertThrows(() => steps.step("user", new Map()), Error, "after beginPass");
  assertEquals(steps.averageTensors(), null);
  assert(!steps.averaging);
  const stray = tf.variable(tf.scalar(1), true, "ps-stray");
  assertThrows(
    () =>
      new ParameterSteps([shared], { user: [stray], item: [] }, {
        learningRate: 0.1,
        weightDecay: 0,
        emaDecay: 0,
        clipNorm: 0,
        decayed: new Set(),
        rowWise: new Set(),
      }),
    Error,
    "ps-stray",
  );
  stray.dispose();
  dispose();
});
