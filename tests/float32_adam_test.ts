import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { averageInPlace, Float32Adam } from "../lib/drex/float32_adam.ts";
import { Rng } from "../lib/random.ts";
import { assert, assertEquals, assertThrows } from "./support/assert.ts";

/** Values of two variables after `steps` steps of TF.js's Adam, weight decay and moving average. */
function tfjsSteps(
  start: Float32Array[],
  grads: (Float32Array | null)[][],
  lr: number,
  keep: number,
  decay: number,
): { values: Float32Array[]; average: Float32Array[] } {
  const vars = start.map((s, j) => tf.variable(tf.tensor1d(s), true, `f32adam-${j}`));
  const adam = tf.train.adam(lr);
  let average: tf.Tensor[] = vars.map((v) => tf.clone(v));
  for (const step of grads) {
    const list = vars.map((v, j) => ({
      name: v.name,
      tensor: step[j] ? tf.tensor1d(step[j]!) : tf.zerosLike(v),
    }));
    adam.applyGradients(list);
    list.forEach((g) => g.tensor.dispose());
    tf.tidy(() => vars.forEach((v) => v.assign(tf.mul(v, keep))));
    const next = average.map((a, j) =>
      tf.tidy(() => tf.add(tf.mul(a, decay), tf.mul(vars[j], 1 - decay)))
    );
    average.forEach((a) => a.dispose());
    average = next;
  }
  const out = {
    values: vars.map((v) => v.dataSync() as Float32Array),
    average: average.map((a) => a.dataSync() as Float32Array),
  };
  adam.dispose();
  vars.forEach((v) => v.dispose());
  average.forEach((a) => a.dispose());
  return out;
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`Float32Adam: TF.js's Adam, decay and average bit for bit (${backend})`, async () => {
    await initBackend(backend);
    try {
      const rng = new Rng(5);
      const sizes = [37, 5];
      const start = sizes.map((n) => Float32Array.from({ length: n }, () => rng.next() - 0.5));
      // Gradients of mixed scales, some steps without one (a zero gradient).
      const grads = Array.from(
        { length: 40 },
        (_, s) =>
          sizes.map((n, j) =>
            (s + j) % 7 === 3
              ? null
              : Float32Array.from({ length: n }, () => (rng.next() - 0.5) * 10 ** rng.int(6) * 1e-3)
          ),
      );
      const lr = 0.003;
      const keep = 1 - lr * 0.5;
      const want = tfjsSteps(start, grads, lr, keep, 0.9);
      const values = start.map((s) => Float32Array.from(s));
      const average = start.map((s) => Float32Array.from(s));
      const adam = new Float32Adam(sizes, { learningRate: lr });
      for (const step of grads) {
        adam.step(values, step, [keep, keep]);
        average.forEach((a, j) => averageInPlace(a, values[j], 0.9));
      }
      assertEquals(Array.from(values[0]), Array.from(want.values[0]));
      assertEquals(Array.from(values[1]), Array.from(want.values[1]));
      assertEquals(Array.from(average[0]), Array.from(want.average[0]));
      assertEquals(Array.from(average[1]), Array.from(want.average[1]));
      assert(Math.abs(values[0][0] - start[0][0]) > 1e-3, "the values moved");
    } finally {
      await initBackend("wasm");
    }
  });
}

Deno.test("Float32Adam: rejects arrays that do not match its sizes", () => {
  const adam = new Float32Adam([3], { learningRate: 0.1 });
  assertThrows(() => adam.step([new Float32Array(3)], []), RangeError, "expected 1 arrays");
  assertThrows(
    () => adam.step([new Float32Array(2)], [null]),
    RangeError,
    "array 0 has 2 values",
  );
});
