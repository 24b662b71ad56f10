import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { Rng } from "../lib/random.ts";
import { assert } from "./support/assert.ts";

Deno.test("the registered BatchMatMul gradient equals TF.js's formula for every transpose combination", async () => {
  await initBackend("wasm");
  const rng = new Rng(9);
  const A = Array.from({ length: 4 * 3 }, () => rng.normal());
  const B = Array.from({ length: 3 * 5 }, () => rng.normal());
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    const a = ta ? tf.transpose(tf.tensor2d(A, [4, 3])) : tf.tensor2d(A, [4, 3]);
    const b = tb ? tf.transpose(tf.tensor2d(B, [3, 5])) : tf.tensor2d(B, [3, 5]);
    const up = tf.tensor2d(Array.from({ length: 4 * 5 }, () => rng.normal()), [4, 5]);
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(tf.matMul(x, y, ta, tb), up))
    )([a, b]);
    // dL/dA = up · Bᵀ and dL/dB = Aᵀ · up, in the orientation of each operand.
    const opA = tf.tensor2d(A, [4, 3]);
    const opB = tf.tensor2d(B, [3, 5]);
    const wantA = tf.matMul(up, tf.transpose(opB));
    const wantB = tf.matMul(tf.transpose(opA), up);
    const expectA = ta ? tf.transpose(wantA) : wantA;
    const expectB = tb ? tf.transpose(wantB) : wantB;
    const da = tf.max(tf.abs(tf.sub(ga, expectA))).dataSync()[0];
    const db = tf.max(tf.abs(tf.sub(gb, expectB))).dataSync()[0];
    assert(da < 1e-5 && db < 1e-5, `transposeA=${ta} transposeB=${tb}: ${da}, ${db}`);
  }
});
