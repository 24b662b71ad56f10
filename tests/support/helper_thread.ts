/**
 * Waiting for a kernel's helper thread in tests: it starts on first use,
 * asynchronously, and until then its share runs on the calling thread.
 *
 * @module
 */
import { assert } from "./assert.ts";

/** Resolves once `kernel` runs on two threads; fails after 10 s. */
export async function untilTwoThreads(kernel: { readonly threadsRunning: number }): Promise<void> {
  for (let waited = 0; kernel.threadsRunning < 2; waited += 20) {
    assert(waited < 10_000, "the helper thread did not start");
    await new Promise((r) => setTimeout(r, 20));
  }
}
