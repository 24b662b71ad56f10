/**
 * A second thread for a WASM kernel: a worker that instantiates the same
 * kernel over the same shared memory and runs one call at a time while the
 * main thread runs another. Calls are posted through a shared control block
 * (`kernel_helper_protocol.ts`) and waited for with `Atomics.wait`, so the
 * kernel's callers stay synchronous.
 *
 * Until the worker has started (a few tens of milliseconds) or if it cannot
 * start, `run` does the helper's share on the calling thread: results never
 * depend on whether or when the helper runs.
 *
 * @module
 */
import {
  ARGS,
  DONE,
  EXIT,
  FN,
  IDLE,
  MAX_ARGS,
  READY,
  STATE,
  WORK,
} from "./kernel_helper_protocol.ts";

/**
 * How many times the calling thread polls for the helper's result before it
 * sleeps (a few milliseconds at most). Only the calling thread polls: a
 * polling helper would take a core from the main thread's other work.
 */
const SPIN_POLLS = 1 << 20;

/** A helper thread for one kernel instance; `dispose` stops it. */
export class KernelHelper {
  readonly #control = new Int32Array(new SharedArrayBuffer((ARGS + 1 + MAX_ARGS) * 4));
  readonly #names: string[];
  #worker?: Worker;

  /**
   * Starts a worker running `module` over `memory` (a shared memory) with
   * its stack pointer at `stackPointer`, able to call the exports `names`.
   */
  constructor(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    names: string[],
    stackPointer: number,
  ) {
    this.#names = names;
    try {
      this.#worker = new Worker(new URL("./kernel_worker.ts", import.meta.url).href, {
        type: "module",
      });
      // A worker that fails to load never becomes ready; its share runs here.
      this.#worker.onerror = (e) => {
        e.preventDefault();
        this.dispose();
      };
      this.#worker.postMessage({
        module,
        memory,
        control: this.#control.buffer,
        names,
        stackPointer,
      });
    } catch {
      this.#worker = undefined;
    }
  }

  /** Whether the helper thread is running and ready for calls. */
  get ready(): boolean {
    return this.#worker !== undefined && Atomics.load(this.#control, READY) === 1;
  }

  /**
   * Runs `mine()` on this thread while the helper calls export `name` with
   * `args`; returns when both are done. When the helper is not ready, runs
   * `theirs()` (the same call, on this thread) after `mine()`.
   */
  run(name: string, args: number[], theirs: () => void, mine: () => void): void {
    if (!this.ready) {
      theirs();
      mine();
      return;
    }
    const fn = this.#names.indexOf(name);
    if (fn < 0 || args.length > MAX_ARGS) throw new RangeError(`KernelHelper: cannot call ${name}`);
    const c = this.#control;
    c[FN] = fn;
    c[ARGS] = args.length;
    c.set(args, ARGS + 1);
    Atomics.store(c, STATE, WORK);
    Atomics.notify(c, STATE);
    try {
      mine();
    } finally {
      // The helper usually finishes within microseconds of this thread: poll
      // a while before sleeping, as waking from a sleep costs tens of them.
      for (let spin = 0; spin < SPIN_POLLS && Atomics.load(c, STATE) === WORK; spin++);
      while (Atomics.load(c, STATE) === WORK) Atomics.wait(c, STATE, WORK);
      if (Atomics.load(c, STATE) === DONE) {
        Atomics.store(c, STATE, IDLE);
        Atomics.notify(c, STATE);
      }
    }
    if (c[FN] === -1) throw new Error(`KernelHelper: ${name} failed on the helper thread`);
  }

  /** Stops the helper thread (idempotent); later calls run on the calling thread. */
  dispose(): void {
    if (!this.#worker) return;
    Atomics.store(this.#control, STATE, EXIT);
    Atomics.notify(this.#control, STATE);
    this.#worker.terminate();
    this.#worker = undefined;
  }
}
