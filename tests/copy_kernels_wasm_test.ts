import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { Rng } from "../lib/random.ts";
import { assertEquals } from "./support/assert.ts";

async function both(f: () => tf.Tensor | tf.Tensor[]): Promise<[unknown, unknown]> {
  const run = async (b: "wasm" | "cpu") => {
    await initBackend(b);
    return tf.tidy(() => {
      const out = f();
      return Array.isArray(out) ? out.map((t) => t.arraySync()) : out.arraySync();
    });
  };
  const result: [unknown, unknown] = [await run("wasm"), await run("cpu")];
  await initBackend("wasm");
  return result;
}

const rng = new Rng(2);
const x4 = Array.from({ length: 3 * 4 * 5 * 2 }, () => rng.int(100));

Deno.test("fast WASM slice equals CPU slice for every rank and box", async () => {
  const cases: [number[], number[], number[]][] = [
    [[60], [7], [20]],
    [[12, 5], [3, 0], [4, 5]], // whole rows (one contiguous run)
    [[12, 5], [2, 1], [6, 3]], // strided
    [[3, 4, 5], [1, 1, 2], [2, 2, 3]],
    [[3, 4, 5, 2], [0, 2, 1, 1], [3, 2, 4, 1]],
    [[3, 4, 5, 2], [1, 0, 0, 0], [1, 4, 5, 2]],
    [[12, 5], [4, 2], [0, 3]], // empty
  ];
  for (const [shape, begin, size] of cases) {
    const n = shape.reduce((a, b) => a * b, 1);
    const [w, c] = await both(() =>
      tf.slice(tf.tensor(x4.slice(0, n), shape, "int32"), begin, size)
    );
    assertEquals(w, c, `slice of [${shape}] at [${begin}] size [${size}]`);
  }
});

Deno.test("fast WASM split and unstack equal CPU's", async () => {
  const values = Array.from({ length: 10 * 3 * 2 }, () => rng.normal());
  const x = () => tf.tensor3d(values, [10, 3, 2]);
  assertEquals(...(await both(() => tf.split(x(), [1, 4, 0, 5], 0))));
  assertEquals(...(await both(() => tf.split(x(), [2, 1], 1))));
  assertEquals(...(await both(() => tf.unstack(x(), 0))));
  assertEquals(...(await both(() => tf.unstack(x(), 2))));
});

Deno.test("gradients through split and slice are unchanged on WASM", async () => {
  const values = Array.from({ length: 8 * 3 }, () => rng.normal());
  const weights = Array.from({ length: 8 * 3 }, () => rng.normal());
  const g = () =>
    tf.grad((t: tf.Tensor) => {
      const [a, b] = tf.split(t, [5, 3], 0);
      return tf.add(
        tf.sum(tf.mul(a, tf.slice(tf.tensor2d(weights, [8, 3]), [0, 0], [5, 3]))),
        tf.sum(tf.square(tf.slice(b, [1, 1], [2, 2]))),
      );
    })(tf.tensor2d(values, [8, 3]));
  const [w, c] = await both(g);
  const fw = (w as number[][]).flat();
  const fc = (c as number[][]).flat();
  fw.forEach((v, j) => assertEquals(Math.abs(v - fc[j]) < 1e-6, true));
});

Deno.test("string tensors still slice through the stock kernel", async () => {
  const [w, c] = await both(() => tf.slice(tf.tensor1d(["a", "b", "c", "d"], "string"), [1], [2]));
  assertEquals(w, ["b", "c"]);
  assertEquals(w, c);
});

Deno.test("fast WASM gather equals CPU gather, and rejects out-of-range indices", async () => {
  const values = Array.from({ length: 6 * 2 * 3 }, () => rng.normal());
  const x = () => tf.tensor3d(values, [6, 2, 3]);
  assertEquals(...(await both(() => tf.gather(x(), tf.tensor1d([5, 0, 0, 3], "int32")))));
  assertEquals(
    ...(await both(() => tf.gather(x(), tf.tensor2d([[1, 2], [4, 4]], [2, 2], "int32")))),
  );
  assertEquals(...(await both(() => tf.gather(x(), tf.tensor1d([1, 0, 1], "int32"), 1)))); // stock path
  assertEquals(
    ...(await both(() => tf.gather(tf.tensor1d([7, 8, 9], "int32"), tf.tensor1d([2, 2], "int32")))),
  );
  await initBackend("wasm");
  let message = "";
  try {
    tf.gather(x(), tf.tensor1d([6], "int32"));
  } catch (err) {
    message = (err as Error).message;
  }
  assertEquals(message.includes("index value 6"), true);
});
