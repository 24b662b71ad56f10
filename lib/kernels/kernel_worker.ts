/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
/**
 * The helper thread of a WASM kernel (see `kernel_helper.ts`): instantiates
 * the kernel over the shared memory it is sent, with its own stack, then
 * runs the calls the main thread posts in the control block until told to
 * stop. It never touches memory except through the kernel.
 *
 * @module
 */
import { ARGS, DONE, EXIT, FN, IDLE, READY, STATE, WORK } from "./kernel_helper_protocol.ts";

interface Start {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  names: string[];
  stackPointer: number;
}

self.onmessage = (event: MessageEvent<Start>) => {
  const { module, memory, names, stackPointer } = event.data;
  const control = new Int32Array(event.data.control);
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const exports = instance.exports as Record<string, unknown>;
  (exports.__stack_pointer as WebAssembly.Global).value = stackPointer;
  const fns = names.map((n) => exports[n] as (...args: number[]) => void);
  Atomics.store(control, READY, 1);
  Atomics.notify(control, READY);
  for (;;) {
    let state = Atomics.load(control, STATE);
    while (state === IDLE) {
      Atomics.wait(control, STATE, IDLE);
      state = Atomics.load(control, STATE);
    }
    if (state === EXIT) break;
    if (state === WORK) {
      const count = control[ARGS];
      const args = Array.from(control.subarray(ARGS + 1, ARGS + 1 + count));
      try {
        fns[control[FN]](...args);
      } catch {
        control[FN] = -1; // the main thread reports the failure
      }
      Atomics.store(control, STATE, DONE);
      Atomics.notify(control, STATE);
      // Wait for the main thread to take the result (state back to IDLE) or to stop us.
      while (Atomics.load(control, STATE) === DONE) Atomics.wait(control, STATE, DONE);
    }
  }
  self.close();
};
