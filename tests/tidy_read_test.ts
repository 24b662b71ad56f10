import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { tidyRead } from "../lib/backend/tidy_read.ts";
import { assertEquals } from "./support/assert.ts";

await initBackend();

Deno.test("tidyRead returns the tensor's values and leaves no tensor behind", () => {
  const before = tf.memory().numTensors;
  const values = tidyRead(() => tf.add(tf.tensor1d([1, 2, 3]), tf.scalar(1)));
  assertEquals(Array.from(values), [2, 3, 4]);
  assertEquals(tf.memory().numTensors, before);
});
