import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { makeSequenceBatch } from "../lib/drex/sequence_batches.ts";
import { runningMeanStates } from "../lib/drex/state_readout.ts";
import { Rng } from "../lib/random.ts";
import { assertAlmostEquals, assertEquals } from "./support/assert.ts";

await initBackend("wasm");

// Three sequences of lengths 4, 2 and 1 in the kernel's time-major layout.
const batch = makeSequenceBatch([0, 1, 2], [
  Int32Array.of(0, 1, 2, 3),
  Int32Array.of(4, 5),
  Int32Array.of(6),
]);
const d = 3;
const M = batch.order.length;
const B = batch.entities.length;

/** The running means written with plain TF.js ops, row by row: the reference. */
function reference(both: tf.Tensor2D): tf.Tensor2D {
  const rowsOf: number[][] = Array.from({ length: B }, () => []);
  let row = 0;
  for (let t = 0; t < batch.active.length; t++) {
    for (let b = 0; b < batch.active[t]; b++) rowsOf[b].push(row++);
  }
  const out: tf.Tensor[] = new Array(M + B);
  for (let b = 0; b < B; b++) {
    rowsOf[b].forEach((r, t) => {
      out[r] = tf.mean(tf.gather(both, rowsOf[b].slice(0, t + 1)), 0);
    });
    out[M + b] = tf.mean(tf.gather(both, [...rowsOf[b], M + b]), 0);
  }
  return tf.stack(out) as tf.Tensor2D;
}

function input(seed: number): tf.Tensor2D {
  const rng = new Rng(seed);
  return tf.tensor2d(Float32Array.from({ length: (M + B) * d }, () => rng.normal()), [M + B, d]);
}

Deno.test("running-mean readout: every row is the mean of its sequence's states so far", () => {
  const x = input(1);
  const got = runningMeanStates(x, batch.active).arraySync();
  const want = reference(x).arraySync();
  assertEquals(got.length, M + B);
  got.forEach((row, r) => row.forEach((v, k) => assertAlmostEquals(v, want[r][k], 1e-6)));
  // The first row of each sequence is its initial state itself.
  const xs = x.arraySync();
  for (let b = 0; b < B; b++) xs[b].forEach((v, k) => assertAlmostEquals(got[b][k], v, 1e-6));
});

Deno.test("running-mean readout: gradient equals TF.js autodiff of the reference", () => {
  const x = input(2);
  const w = input(3);
  const loss = (f: (t: tf.Tensor2D) => tf.Tensor2D) => (t: tf.Tensor) =>
    tf.sum(tf.mul(f(t as tf.Tensor2D), w));
  const got = tf.grad(loss((t) => runningMeanStates(t, batch.active)))(x).arraySync() as number[][];
  const want = tf.grad(loss(reference))(x).arraySync() as number[][];
  got.forEach((row, r) => row.forEach((v, k) => assertAlmostEquals(v, want[r][k], 1e-5)));
});
