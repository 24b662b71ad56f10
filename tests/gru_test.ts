import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { createDrexParams, type GruCell } from "../lib/drex/drex_params.ts";
import { projectInputs, runSequences } from "../lib/drex/gru.ts";
import { makeSequenceBatch } from "../lib/drex/sequence_batches.ts";
import { GruSequenceKernel, packSequences } from "../lib/kernels/gru_sequences.ts";
import { Rng } from "../lib/random.ts";
import { untilTwoThreads } from "./support/helper_thread.ts";
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "./support/assert.ts";

await initBackend("wasm");

/** The GRU step written with plain TF.js ops: the reference the kernel must match. */
function referenceStep(
  cell: GruCell,
  xzr: tf.Tensor2D,
  xh: tf.Tensor2D,
  h: tf.Tensor2D,
): tf.Tensor2D {
  const [n, d] = h.shape;
  const zr = tf.sigmoid(tf.add(xzr, tf.matMul(h, cell.whzr)));
  const z = tf.slice(zr, [0, 0], [n, d]);
  const r = tf.slice(zr, [0, d], [n, d]);
  const candidate = tf.tanh(tf.add(xh, tf.matMul(tf.mul(r, h), cell.whh)));
  return tf.add(h, tf.mul(z, tf.sub(candidate, h)));
}

function setup(d: number, seed: number) {
  const rng = new Rng(seed);
  const params = createDrexParams(
    {
      featureDim: 4,
      latentDim: d,
      ratingLevels: 5,
      numUsers: 3,
      numItems: 3,
      representation: "table",
      mlpHidden: 4,
      initScale: 0.5,
      biases: false,
    },
    3,
    rng,
  );
  const sequences = [Int32Array.of(0, 1), Int32Array.of(2, 3, 4, 5), Int32Array.of(6)];
  const X = tf.tensor2d(Array.from({ length: 7 * d }, () => rng.normal()), [7, d]);
  const H0 = tf.tensor2d(Array.from({ length: 3 * d }, () => rng.normal()), [3, d]);
  return {
    params,
    cell: params.userGru,
    sequences,
    X,
    H0,
    batch: makeSequenceBatch([0, 1, 2], sequences),
    rng,
  };
}

/** Every sequence run on its own with the reference step: states before each step and at the end. */
function reference(cell: GruCell, X: tf.Tensor2D, H0: tf.Tensor2D, sequences: Int32Array[]) {
  const d = H0.shape[1];
  const before = new Map<number, tf.Tensor2D>();
  const final: tf.Tensor2D[] = [];
  sequences.forEach((seq, e) => {
    let h = tf.slice(H0, [e, 0], [1, d]) as tf.Tensor2D;
    for (const n of seq) {
      before.set(n, h);
      const p = projectInputs(cell, tf.slice(X, [n, 0], [1, d]) as tf.Tensor2D);
      h = referenceStep(cell, p.zr, p.h, h);
    }
    final.push(h);
  });
  return { before, final };
}

Deno.test("the GRU kernel's states equal a plain per-sequence TF.js GRU, before and after every step", () => {
  const d = 6; // not a multiple of 4: exercises the kernel's scalar tails
  const { cell, sequences, X, H0, batch } = setup(d, 5);
  const order = tf.tensor1d(batch.order, "int32");
  const h0 = tf.gather(H0, tf.tensor1d(batch.entities, "int32")) as tf.Tensor2D;
  const { before, final } = runSequences(
    new GruSequenceKernel(),
    cell,
    projectInputs(cell, tf.gather(X, order) as tf.Tensor2D),
    h0,
    batch.active,
  );
  const ref = reference(cell, X, H0, sequences);
  const beforeRows = before.arraySync();
  Array.from(batch.order).forEach((n, pos) => {
    ref.before.get(n)!.dataSync().forEach((v, j) =>
      assertAlmostEquals(beforeRows[pos][j], v, 1e-5)
    );
  });
  const finalRows = final.arraySync();
  Array.from(batch.entities).forEach((e, row) => {
    ref.final[e].dataSync().forEach((v, j) => assertAlmostEquals(finalRows[row][j], v, 1e-5));
  });
  assertEquals(before.shape, [7, d]);
});

Deno.test("the GRU kernel's gradients (inputs, initial states, recurrent weights) equal TF.js autodiff", () => {
  const d = 5;
  const { cell, sequences, X, H0, batch, rng } = setup(d, 8);
  const wBefore = tf.tensor2d(Array.from({ length: 7 * d }, () => rng.normal()), [7, d]);
  const wFinal = tf.tensor2d(Array.from({ length: 3 * d }, () => rng.normal()), [3, d]);
  const kernel = new GruSequenceKernel();
  const order = tf.tensor1d(batch.order, "int32");
  const entities = tf.tensor1d(batch.entities, "int32");
  // The same scalar loss both ways: weighted sums of every before-state and every final state.
  const viaKernel = (x: tf.Tensor, h0: tf.Tensor) => {
    const s = runSequences(
      kernel,
      cell,
      projectInputs(cell, tf.gather(x, order) as tf.Tensor2D),
      tf.gather(h0, entities) as tf.Tensor2D,
      batch.active,
    );
    return tf.add(
      tf.sum(tf.mul(s.before, tf.gather(wBefore, order))),
      tf.sum(tf.mul(s.final, tf.gather(wFinal, entities))),
    ) as tf.Scalar;
  };
  const viaReference = (x: tf.Tensor, h0: tf.Tensor) => {
    const ref = reference(cell, x as tf.Tensor2D, h0 as tf.Tensor2D, sequences);
    let total = tf.scalar(0);
    for (const [n, h] of ref.before) {
      total = tf.add(total, tf.sum(tf.mul(h, tf.slice(wBefore, [n, 0], [1, d]))));
    }
    ref.final.forEach((
      h,
      e,
    ) => (total = tf.add(total, tf.sum(tf.mul(h, tf.slice(wFinal, [e, 0], [1, d]))))));
    return total as tf.Scalar;
  };
  const vars = [cell.whzr, cell.whh, cell.wxzr, cell.bzr];
  const a = tf.variableGrads(() => viaKernel(X, H0), vars);
  const b = tf.variableGrads(() => viaReference(X, H0), vars);
  assertAlmostEquals(a.value.dataSync()[0], b.value.dataSync()[0], 1e-4);
  for (const v of vars) {
    const ga = a.grads[v.name].dataSync();
    const gb = b.grads[v.name].dataSync();
    let norm = 0;
    ga.forEach((x, j) => {
      assertAlmostEquals(x, gb[j], 2e-4 * Math.max(1, Math.abs(gb[j])));
      norm += gb[j] * gb[j];
    });
    assert(norm > 1e-8, "reference gradient should not vanish");
  }
  const [gx, gh] = tf.grads(viaKernel)([X, H0]);
  const [rx, rh] = tf.grads(viaReference)([X, H0]);
  gx.dataSync().forEach((x, j) => assertAlmostEquals(x, rx.dataSync()[j], 2e-4));
  gh.dataSync().forEach((x, j) => assertAlmostEquals(x, rh.dataSync()[j], 2e-4));
});

Deno.test("the GRU kernel on two threads: the same states bit for bit, gradients up to summation order", async () => {
  const rng = new Rng(21);
  const d = 8;
  // Sequences of lengths 5, 4, 4, 2, 1 (longest first), time-major.
  const active = Int32Array.of(5, 4, 3, 3, 1);
  const M = active.reduce((a, b) => a + b, 0);
  const B = active[0];
  const values = (n: number) => new Float32Array(n).map(() => 0.5 * rng.normal());
  const xzr = values(M * 2 * d);
  const xh = values(M * d);
  const h0 = values(B * d);
  const uzr = values(d * 2 * d);
  const uh = values(d * d);
  const one = new GruSequenceKernel();
  const two = new GruSequenceKernel({ threads: 2 });
  try {
    // Before the helper starts its share runs here; wait until it runs on its own thread.
    two.forward(active, d, xzr, xh, h0, uzr, uh);
    await untilTwoThreads(two);
    const a = one.forward(active, d, xzr, xh, h0, uzr, uh);
    const b = two.forward(active, d, xzr, xh, h0, uzr, uh);
    assertEquals(b.states, a.states);
    assertEquals(b.z, a.z);
    assertEquals(b.r, a.r);
    assertEquals(b.c, a.c);
    const fw = one.forward(active, d, xzr, xh, h0, uzr, uh);
    const dbefore = values(M * d);
    const dfinal = values(B * d);
    const g1 = one.backward(active, d, uzr, uh, fw, dbefore, dfinal);
    const g2 = two.backward(active, d, uzr, uh, fw, dbefore, dfinal);
    assertEquals(g2.dxzr, g1.dxzr);
    assertEquals(g2.dh0, g1.dh0);
    // Views of the kernel's memory hold the same values as copies (until its next call).
    const g3 = two.backward(active, d, uzr, uh, fw, dbefore, dfinal, "view");
    assertEquals(Array.from(g3.dxzr), Array.from(g2.dxzr));
    assertEquals(Array.from(g3.dxh), Array.from(g2.dxh));
    assertEquals(Array.from(g3.dh0), Array.from(g2.dh0));
    for (const [x, y] of [[g1.duzr, g2.duzr], [g1.duh, g2.duh]]) {
      x.forEach((v, j) => assertAlmostEquals(y[j], v, 1e-5 * Math.max(1, Math.abs(v))));
    }
  } finally {
    one.dispose();
    two.dispose();
  }
  assertThrows(() => new GruSequenceKernel({ threads: 3 }), RangeError, "threads");
});

Deno.test("the GRU kernel's pass without gradients equals the per-sequence GRU, with either readout, on one thread or two", async () => {
  const d = 6;
  const { cell, sequences, X, H0 } = setup(d, 13);
  // An entity without rows keeps h0; rows of different entities interleave.
  const seqs = [sequences[1], Int32Array.of(), sequences[0], sequences[2]];
  const h0 = tf.concat([H0, tf.slice(H0, [0, 0], [1, d])], 0) as tf.Tensor2D;
  const ref = reference(cell, X, tf.gather(h0, tf.tensor1d([1, 0, 0, 2], "int32")), [
    seqs[0],
    seqs[1],
    seqs[2],
    seqs[3],
  ]);
  const weights = {
    wxzr: cell.wxzr.dataSync() as Float32Array,
    bzr: cell.bzr.dataSync() as Float32Array,
    wxh: cell.wxh.dataSync() as Float32Array,
    bh: cell.bh.dataSync() as Float32Array,
    uzr: cell.whzr.dataSync() as Float32Array,
    uh: cell.whh.dataSync() as Float32Array,
  };
  const h0Values = tf.gather(h0, tf.tensor1d([1, 0, 0, 2], "int32")).dataSync() as Float32Array;
  const x = X.dataSync() as Float32Array;
  const packed = packSequences(seqs);
  const one = new GruSequenceKernel();
  const two = new GruSequenceKernel({ threads: 2 });
  try {
    two.states(packed, x, d, d, weights, h0Values, false);
    await untilTwoThreads(two);
    for (const mean of [false, true]) {
      const a = one.states(packed, x, d, d, weights, h0Values, mean);
      assertEquals(two.states(packed, x, d, d, weights, h0Values, mean), a);
      // Views of the kernel's memory hold the same numbers as the copies.
      const view = two.states(packed, x, d, d, weights, h0Values, mean, "view");
      assertEquals(Array.from(view.before), Array.from(a.before));
      assertEquals(Array.from(view.final), Array.from(a.final));
      seqs.forEach((seq, e) => {
        // The readout: the state itself, or the mean of h0 and every later state so far.
        const states = [...Array.from(seq, (n) => ref.before.get(n)!), ref.final[e]];
        const readout = (upto: number) =>
          mean
            ? tf.mean(tf.concat(states.slice(0, upto + 1), 0), 0).dataSync()
            : states[upto].dataSync();
        Array.from(seq).forEach((n, t) => {
          readout(t).forEach((v, j) => assertAlmostEquals(a.before[n * d + j], v, 1e-5));
        });
        readout(seq.length).forEach((v, j) => assertAlmostEquals(a.final[e * d + j], v, 1e-5));
      });
    }
  } finally {
    one.dispose();
    two.dispose();
  }
});
