import { RowOptimizer } from "../lib/baselines/common/row_optimizer.ts";
import { assertAlmostEquals, assertEquals } from "./support/assert.ts";

Deno.test("RowOptimizer: Adam's steps match the textbook update on the touched row only", () => {
  const table = { values: Float64Array.of(1, 2, 3, 4), dim: 2 };
  const opt = new RowOptimizer([table], { learningRate: 0.1 });
  const g = [0.5, -2];
  // Reference Adam for row 1 over three steps with the same gradient.
  const ref = [3, 4];
  const m = [0, 0];
  const v = [0, 0];
  for (let t = 1; t <= 3; t++) {
    opt.touch(0, 1);
    opt.touch(0, 1); // touching twice counts once
    opt.grads[0][2] += g[0];
    opt.grads[0][3] += g[1];
    opt.step();
    for (let k = 0; k < 2; k++) {
      m[k] = 0.9 * m[k] + 0.1 * g[k];
      v[k] = 0.999 * v[k] + 0.001 * g[k] * g[k];
      const mHat = m[k] / (1 - 0.9 ** t);
      const vHat = v[k] / (1 - 0.999 ** t);
      ref[k] -= 0.1 * mHat / (Math.sqrt(vHat) + 1e-8);
    }
  }
  assertAlmostEquals(table.values[2], ref[0], 1e-12);
  assertAlmostEquals(table.values[3], ref[1], 1e-12);
  assertEquals(Array.from(table.values.subarray(0, 2)), [1, 2]);
  assertEquals(Array.from(opt.grads[0]), [0, 0, 0, 0]);
  assertEquals(opt.steps, 3);
});

Deno.test("RowOptimizer: SGD moves by learningRate × gradient, per table", () => {
  const a = { values: Float64Array.of(1, 1), dim: 1 };
  const b = { values: Float64Array.of(0, 0, 0), dim: 3 };
  const opt = new RowOptimizer([a, b], { kind: "sgd", learningRate: 0.5 });
  opt.touch(0, 1);
  opt.grads[0][1] = 2;
  opt.touch(1, 0);
  opt.grads[1].set([1, -1, 4]);
  opt.step();
  assertEquals(Array.from(a.values), [1, 0]);
  assertEquals(Array.from(b.values), [-0.5, 0.5, -2]);
});

Deno.test("RowOptimizer: lazy Adam leaves a row alone in steps that do not touch it", () => {
  const table = { values: Float64Array.of(1, 1), dim: 1 };
  const opt = new RowOptimizer([table], { learningRate: 0.1 });
  opt.touch(0, 0);
  opt.grads[0][0] = 1;
  opt.step();
  const afterFirst = table.values[0];
  assertAlmostEquals(afterFirst, 0.9, 1e-6); // Adam's first step is lr · sign(g)
  opt.touch(0, 1);
  opt.grads[0][1] = -1;
  opt.step();
  assertEquals(table.values[0], afterFirst); // row 0's momentum does not move it
  // Row 1's first update uses the global step (2) for bias correction, as LazyAdam does.
  const expected = 1 + 0.1 * (0.1 / (1 - 0.9 ** 2)) / Math.sqrt(0.001 / (1 - 0.999 ** 2));
  assertAlmostEquals(table.values[1], expected, 1e-7);
});
