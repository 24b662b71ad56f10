import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { LazyTable } from "../lib/drex/lazy_table.ts";
import { Rng } from "../lib/random.ts";
import { assert, assertThrows } from "./support/assert.ts";

await initBackend();

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

Deno.test("LazyTable: when every row is in every batch, it is TF.js's Adam", () => {
  const rng = new Rng(3);
  const start = Float32Array.from({ length: 4 * 3 }, () => rng.next() - 0.5);
  const dense = tf.variable(tf.tensor2d(start, [4, 3]), true, "lazy-test-dense");
  const lazyVar = tf.variable(tf.tensor2d(start, [4, 3]), true, "lazy-test-lazy");
  const adam = tf.train.adam(0.01);
  const lazy = new LazyTable(lazyVar, 0.01, 0);
  const all = Int32Array.of(0, 1, 2, 3);
  lazy.beginPass();
  for (let s = 0; s < 25; s++) {
    const grad = Float32Array.from({ length: 12 }, () => rng.next() - 0.5);
    const g = tf.tensor2d(grad, [4, 3]);
    adam.applyGradients([{ name: dense.name, tensor: g }]);
    g.dispose();
    lazy.step(all, grad, s + 1);
  }
  lazy.endPass();
  const diff = maxDiff(dense.dataSync(), lazyVar.dataSync());
  // TF.js computes in float32, LazyTable in float64 (stored as float32): rounding only.
  assert(diff < 1e-5, `lazy and dense Adam differ by ${diff}`);
  assert(maxDiff(start, lazyVar.dataSync()) > 0.1, "the table moved");
  adam.dispose();
  dense.dispose();
  lazyVar.dispose();
});

Deno.test("LazyTable: rows outside a batch stay put, and the moving average catches up exactly", () => {
  const rng = new Rng(5);
  const rows = 5, d = 2, decay = 0.9;
  const start = Float32Array.from({ length: rows * d }, () => rng.next() - 0.5);
  const variable = tf.variable(tf.tensor2d(start, [rows, d]), true, "lazy-test-ema");
  const lazy = new LazyTable(variable, 0.05, decay);
  // Reference: the average stepped every step over the values as they stand after that step.
  const average = Float64Array.from(start);
  let values = Float32Array.from(start);
  lazy.beginPass();
  for (let step = 1; step <= 40; step++) {
    const batch = Int32Array.of(step % rows, (step * 3) % rows).filter((e, j, a) =>
      a.indexOf(e) === j
    );
    const grad = Float32Array.from({ length: batch.length * d }, () => rng.next() - 0.5);
    lazy.step(batch, grad, step);
    // Read the values back through rows(): untouched rows must be unchanged.
    const now = lazy.rows(Int32Array.from({ length: rows }, (_, r) => r));
    const next = now.dataSync() as Float32Array;
    now.dispose();
    for (let r = 0; r < rows; r++) {
      if (batch.includes(r)) continue;
      for (let k = 0; k < d; k++) {
        assert(next[r * d + k] === values[r * d + k], "untouched row moved");
      }
    }
    values = Float32Array.from(next);
    for (let i = 0; i < average.length; i++) {
      average[i] = decay * average[i] + (1 - decay) * values[i];
    }
  }
  // Ten more steps elsewhere (the other side's pass): the table stands still.
  lazy.endPass();
  for (let step = 41; step <= 50; step++) {
    for (let i = 0; i < average.length; i++) {
      average[i] = decay * average[i] + (1 - decay) * values[i];
    }
  }
  const caughtUp = lazy.average(50)!;
  const diff = maxDiff(caughtUp.dataSync(), average);
  assert(diff < 1e-6, `caught-up average differs by ${diff}`);
  caughtUp.dispose();
  variable.dispose();
});

Deno.test("LazyTable: refuses a vector, and steps outside a pass", () => {
  const v = tf.variable(tf.zeros([3]), true, "lazy-test-vector");
  assertThrows(() => new LazyTable(v, 0.1, 0), Error, "[rows, d]");
  v.dispose();
  const t = tf.variable(tf.zeros([3, 2]), true, "lazy-test-pass");
  const lazy = new LazyTable(t, 0.1, 0);
  assertThrows(() => lazy.rows(Int32Array.of(0)), Error, "inside a pass");
  t.dispose();
});
