import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { columnSums, DenseProducts } from "../lib/kernels/dense_products.ts";
import { Rng } from "../lib/random.ts";
import { firstBitDifference } from "./support/float_bits.ts";
import { assert, assertEquals, assertThrows } from "./support/assert.ts";

await initBackend("wasm");

function random(count: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: count }, () => rng.normal());
}

// Shapes of DReX's layers and their gradients (d = 64, gates 2d, predictor output 1), a long
// shared size (a weight gradient sums over a batch's rows), and odd sizes for the SIMD tails.
const SHAPES: [number, number, number][] = [
  [37, 64, 64],
  [300, 64, 128],
  [300, 64, 1],
  [5, 7, 3],
  [97, 130, 19],
  [64, 2048, 192],
  [1, 1, 1],
];

Deno.test("DenseProducts.matMul equals tf.matMul of explicit transposes on the WASM backend to the bit", () => {
  const rng = new Rng(3);
  const k = new DenseProducts();
  for (const [M, K, N] of SHAPES) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        const aShape: [number, number] = transposeA ? [K, M] : [M, K];
        const bShape: [number, number] = transposeB ? [N, K] : [K, N];
        const a = random(M * K, rng);
        const b = random(K * N, rng);
        const want = tf.tidy(() =>
          tf.matMul(
            transposeA ? tf.transpose(tf.tensor2d(a, aShape)) : tf.tensor2d(a, aShape),
            transposeB ? tf.transpose(tf.tensor2d(b, bShape)) : tf.tensor2d(b, bShape),
          ).dataSync() as Float32Array
        );
        k.reset();
        const out = k.matMul(
          k.put(a, ...aShape),
          k.put(b, ...bShape),
          transposeA,
          transposeB,
        );
        assertEquals([out.rows, out.cols], [M, N]);
        const got = k.read(out);
        const at = firstBitDifference(got, want);
        assert(
          at < 0,
          `${M}×${K}×${N} (transposeA ${transposeA}, transposeB ${transposeB}): ` +
            `value ${at} is ${got[at]}, TF.js gives ${want[at]}`,
        );
      }
    }
  }
});

Deno.test("DenseProducts.matMul names both shapes when the inner sizes differ", () => {
  const k = new DenseProducts();
  const a = k.matrix(2, 3);
  const b = k.matrix(4, 5);
  assertThrows(() => k.matMul(a, b), RangeError, "2 × 3 by 4 × 5");
});

Deno.test("columnSums equals tf.sum over rows on the WASM backend to the bit", () => {
  const rng = new Rng(4);
  for (const [rows, cols] of [[300, 64], [1, 3], [129, 1]]) {
    const x = random(rows * cols, rng).map((v) => v * 1e3);
    const want = tf.tidy(() => tf.sum(tf.tensor2d(x, [rows, cols]), 0).dataSync() as Float32Array);
    assertEquals(firstBitDifference(columnSums(x, rows, cols), want), -1);
  }
});
