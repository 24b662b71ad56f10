import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { Rng } from "../lib/random.ts";
import { assert, assertEquals } from "./support/assert.ts";

/** Runs `f` on a backend and returns plain nested arrays. */
async function on<T>(backend: "wasm" | "cpu", f: () => tf.Tensor | tf.Tensor[]): Promise<T> {
  await initBackend(backend);
  const out = f();
  const values = Array.isArray(out) ? out.map((t) => t.arraySync()) : out.arraySync();
  tf.dispose(out);
  return values as T;
}

function close(a: unknown, b: unknown, tol = 1e-5): void {
  const fa = [a].flat(Infinity as 1) as number[];
  const fb = [b].flat(Infinity as 1) as number[];
  assertEquals(fa.length, fb.length);
  for (let j = 0; j < fa.length; j++) {
    assert(Math.abs(fa[j] - fb[j]) <= tol, `element ${j}: ${fa[j]} vs ${fb[j]}`);
  }
}

const rng = new Rng(11);
const table = Array.from({ length: 7 * 5 }, () => rng.normal());
const upstream = Array.from({ length: 9 * 5 }, () => rng.normal());
// Repeated indices (rows 2 and 6 are used twice, row 4 never): the gradient must sum them.
const indices = [2, 0, 6, 2, 1, 3, 6, 5, 0];

Deno.test("the gradient of an embedding lookup (gather) on WASM equals the CPU backend's", async () => {
  const grad = () =>
    tf.grad((t: tf.Tensor) =>
      tf.sum(tf.mul(tf.gather(t, tf.tensor1d(indices, "int32")), tf.tensor2d(upstream, [9, 5])))
    )(
      tf.tensor2d(table, [7, 5]),
    );
  const wasm = await on<number[][]>("wasm", grad);
  const cpu = await on<number[][]>("cpu", grad);
  close(wasm, cpu);
  assertEquals(wasm[4], [0, 0, 0, 0, 0]); // never looked up
  await initBackend("wasm");
});

Deno.test("UnsortedSegmentSum on WASM matches CPU, dropping out-of-range ids", async () => {
  const ids = [3, -1, 0, 3, 9, 1];
  const values = Array.from({ length: 6 * 4 }, () => rng.normal());
  const f = () => tf.unsortedSegmentSum(tf.tensor2d(values, [6, 4]), tf.tensor1d(ids, "int32"), 5);
  close(await on("wasm", f), await on("cpu", f));
  const ints = () =>
    tf.unsortedSegmentSum(
      tf.tensor1d([1, 2, 3, 4], "int32"),
      tf.tensor1d([1, 1, 0, 2], "int32"),
      3,
    );
  assertEquals(await on<number[]>("wasm", ints), [3, 3, 4]);
  await initBackend("wasm");
});
