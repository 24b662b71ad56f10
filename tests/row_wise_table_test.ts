import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { RowWiseTable } from "../lib/drex/row_wise_table.ts";
import { Rng } from "../lib/random.ts";
import { assert, assertThrows } from "./support/assert.ts";

await initBackend();

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

Deno.test("RowWiseTable: when every row is in every batch, it is TF.js's Adam", () => {
  const rng = new Rng(3);
  const start = Float32Array.from({ length: 4 * 3 }, () => rng.next() - 0.5);
  const dense = tf.variable(tf.tensor2d(start, [4, 3]), true, "lazy-test-dense");
  const lazyVar = tf.variable(tf.tensor2d(start, [4, 3]), true, "lazy-test-lazy");
  const adam = tf.train.adam(0.01);
  const lazy = new RowWiseTable(lazyVar, { learningRate: 0.01 });
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
  // TF.js computes in float32, RowWiseTable in float64 (stored as float32): rounding only.
  assert(diff < 1e-5, `lazy and dense Adam differ by ${diff}`);
  assert(maxDiff(start, lazyVar.dataSync()) > 0.1, "the table moved");
  adam.dispose();
  dense.dispose();
  lazyVar.dispose();
});

Deno.test("RowWiseTable without drift (lazy Adam): rows outside a batch stay put, and the moving average catches up exactly", () => {
  const rng = new Rng(5);
  const rows = 5, d = 2, decay = 0.9;
  const start = Float32Array.from({ length: rows * d }, () => rng.next() - 0.5);
  const variable = tf.variable(tf.tensor2d(start, [rows, d]), true, "lazy-test-ema");
  const lazy = new RowWiseTable(variable, { learningRate: 0.05, emaDecay: decay, drift: false });
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

Deno.test("RowWiseTable: refuses a vector, and steps outside a pass", () => {
  const v = tf.variable(tf.zeros([3]), true, "lazy-test-vector");
  assertThrows(() => new RowWiseTable(v, { learningRate: 0.1 }), Error, "[rows, d]");
  v.dispose();
  const t = tf.variable(tf.zeros([3, 2]), true, "lazy-test-pass");
  const lazy = new RowWiseTable(t, { learningRate: 0.1 });
  assertThrows(() => lazy.rows(Int32Array.of(0)), Error, "inside a pass");
  t.dispose();
});

/** A table's sparse training: each step's batch rows and their gradient rows. */
type SparseSteps = { batch: Int32Array; grad: Float32Array }[];

/** Each step's gradient over the whole table (zero outside the batch). */
function fullGradient(step: SparseSteps[number], rows: number, d: number): Float32Array {
  const full = new Float32Array(rows * d);
  step.batch.forEach((e, j) => full.set(step.grad.subarray(j * d, (j + 1) * d), e * d));
  return full;
}

/**
 * Dense Adam and the moving average stepped over every row at every step,
 * in float64: the exact maths of TF.js's dense training, without float32
 * rounding.
 */
function denseExact(
  start: Float32Array,
  d: number,
  steps: SparseSteps,
  lr: number,
  decay: number,
): { values: Float64Array; average: Float64Array } {
  const rows = start.length / d;
  const p = Float64Array.from(start);
  const m = new Float64Array(p.length);
  const v = new Float64Array(p.length);
  const average = Float64Array.from(start);
  steps.forEach((step, j) => {
    const g = fullGradient(step, rows, d);
    const c1 = 1 - Math.pow(0.9, j + 1);
    const c2 = 1 - Math.pow(0.999, j + 1);
    for (let i = 0; i < p.length; i++) {
      m[i] = 0.9 * m[i] + 0.1 * g[i];
      v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
      p[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-7);
      average[i] = decay * average[i] + (1 - decay) * p[i];
    }
  });
  return { values: p, average };
}

/** TF.js's Adam over the whole table, as dense training ran it: its values at the end. */
function denseTfjs(start: Float32Array, d: number, steps: SparseSteps, lr: number): Float32Array {
  const rows = start.length / d;
  const variable = tf.variable(tf.tensor2d(start, [rows, d]), true, "drift-test-tfjs");
  const adam = tf.train.adam(lr);
  for (const step of steps) {
    const g = tf.tensor2d(fullGradient(step, rows, d), [rows, d]);
    adam.applyGradients([{ name: variable.name, tensor: g }]);
    g.dispose();
  }
  const values = Float32Array.from(variable.dataSync() as Float32Array);
  adam.dispose();
  variable.dispose();
  return values;
}

Deno.test("RowWiseTable with drift: equals dense Adam and its moving average over sparse batches", () => {
  const rng = new Rng(11);
  // Two passes of 300 steps over 40 rows; each row is in one batch of four
  // per pass, so most rows drift for hundreds of steps (past DRIFT_STEPS),
  // and one batch's gradients are tiny (the step-by-step path for small moments).
  const rows = 40, d = 5, decay = 0.9, lr = 0.01;
  const start = Float32Array.from({ length: rows * d }, () => rng.next() - 0.5);
  const steps: SparseSteps = [];
  for (let pass = 0; pass < 2; pass++) {
    for (let s = 0; s < 300; s++) {
      const batch = s % 30 === 0 && s / 30 < 10
        ? Int32Array.from({ length: 4 }, (_, j) => (s / 30) * 4 + j)
        : new Int32Array(0);
      const scale = s === 60 ? 1e-9 : 1;
      const grad = Float32Array.from(
        { length: batch.length * d },
        () => (rng.next() - 0.5) * scale,
      );
      steps.push({ batch, grad });
    }
  }
  const variable = tf.variable(tf.tensor2d(start, [rows, d]), true, "drift-test");
  const table = new RowWiseTable(variable, { learningRate: lr, emaDecay: decay });
  table.beginPass();
  steps.forEach(({ batch, grad }, j) => {
    if (j === 300) {
      // Between passes the values go back to the variable, every row caught up.
      table.endPass();
      table.beginPass();
    }
    if (batch.length > 0) table.rows(batch).dispose();
    table.step(batch, grad, j + 1);
  });
  table.endPass();
  const average = table.average(steps.length)!;
  const exact = denseExact(start, d, steps, lr, decay);
  const valueDiff = maxDiff(variable.dataSync(), exact.values);
  const averageDiff = maxDiff(average.dataSync(), exact.average);
  assert(valueDiff < 3e-7, `values differ from dense Adam by ${valueDiff}`);
  assert(averageDiff < 3e-7, `averages differ from dense Adam's by ${averageDiff}`);
  // TF.js rounds each of its 600 steps to float32: a few ulps more.
  const tfjsDiff = maxDiff(variable.dataSync(), denseTfjs(start, d, steps, lr));
  assert(tfjsDiff < 1e-5, `values differ from TF.js's dense Adam by ${tfjsDiff}`);
  // Drift is real: the rows moved far more than one step each.
  assert(maxDiff(exact.values, start) > 0.05, "the table moved");
  average.dispose();
  variable.dispose();
});
