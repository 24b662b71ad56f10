/**
 * Memory management for the library's WASM kernels: each kernel instance owns
 * one growable shared memory. A fixed region (for data kept across calls,
 * like a feature table) sits right after the kernel's own stacks; each call
 * then lays out its buffers above it with a bump allocator that starts
 * afresh per call. The memory is shared so that a helper thread
 * ({@linkcode KernelMemory.helper}) can run the same kernel on it; the
 * kernels are built with two 64 KiB stacks, the main thread's on top.
 *
 * @module
 */
import { decodeBase64 } from "./base64.ts";
import { KernelHelper } from "./kernel_helper.ts";
import { RESIDENT_START } from "./resident_rows.ts";

const PAGE = 65536;
/** 4 GiB, the wasm32 limit. */
const MAX_PAGES = 65536;

/** The helper thread's stack pointer: the lower of the two stacks (see `build_kernels.ts`). */
const HELPER_STACK_POINTER = 65536;

/**
 * 64-byte alignment: SIMD loads stay aligned, and buffers start on a cache
 * line, so two threads writing neighbouring rows of a multiple of 16 floats
 * (the GRU's states at d = 64) never write the same line.
 */
function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

/** A kernel module instantiated over its own memory. */
export class KernelMemory<Exports> {
  /** The kernel's exported functions. */
  readonly exports: Exports;
  readonly #memory: WebAssembly.Memory;
  readonly #module: WebAssembly.Module;
  #helper?: KernelHelper;
  readonly #fixedStart: number;
  #scratchStart: number;
  #end = 0;
  #f32: Float32Array;
  #i32: Int32Array;
  readonly #name: string;

  /**
   * Compiles and instantiates the base64-encoded kernel `wasmBase64` (a few
   * KB; about a millisecond), reserving `fixedBytes` for data kept across
   * calls. With `resident`, runs on that (shared) memory instead of a new
   * one, whose bytes up to `resident.end` hold data the caller laid out
   * above {@linkcode RESIDENT_START}; scratch starts after them.
   */
  constructor(
    name: string,
    wasmBase64: string,
    fixedBytes = 0,
    resident?: { memory: WebAssembly.Memory; end: number },
  ) {
    this.#name = name;
    const module = new WebAssembly.Module(decodeBase64(wasmBase64) as BufferSource);
    this.#module = module;
    this.#memory = resident?.memory ??
      new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.#memory } });
    this.exports = instance.exports as unknown as Exports;
    const heapBase = (instance.exports as { __heap_base?: WebAssembly.Global }).__heap_base;
    if (!heapBase) throw new Error(`${name} kernel does not export __heap_base`);
    this.#fixedStart = align(Number(heapBase.value));
    if (resident && this.#fixedStart + fixedBytes > RESIDENT_START) {
      throw new Error(`${name} kernel's own data reach past RESIDENT_START`);
    }
    this.#scratchStart = align(resident ? resident.end : this.#fixedStart + fixedBytes);
    this.#f32 = new Float32Array(this.#memory.buffer);
    this.#i32 = new Int32Array(this.#memory.buffer);
    this.#grow(this.#scratchStart);
  }

  /**
   * A helper thread running this kernel on this memory, started on first
   * use (exports `names`); `dispose` stops it.
   */
  helper(names: string[]): KernelHelper {
    return this.#helper ??= new KernelHelper(
      this.#module,
      this.#memory,
      names,
      HELPER_STACK_POINTER,
    );
  }

  /** Stops the helper thread, if one was started; the kernel still works on this thread. */
  dispose(): void {
    this.#helper?.dispose();
    this.#helper = undefined;
  }

  /** Byte offset of the fixed region. */
  get fixedStart(): number {
    return this.#fixedStart;
  }

  /** A float32 view of the whole memory (renewed when memory grows: take it after allocating). */
  get f32(): Float32Array {
    return this.#f32;
  }

  /** An int32 view of the whole memory (renewed when memory grows). */
  get i32(): Int32Array {
    return this.#i32;
  }

  /** Starts a call's layout: forgets every earlier scratch allocation. */
  reset(): void {
    this.#end = this.#scratchStart;
  }

  /** Reserves `count` 4-byte values of scratch; returns their byte offset. */
  alloc(count: number): number {
    const at = this.#end;
    this.#end = align(this.#end + count * 4);
    this.#grow(this.#end);
    return at;
  }

  /** Copies `values` into memory at byte offset `at` (4-byte aligned). */
  write(at: number, values: Float32Array | Int32Array): void {
    (values instanceof Float32Array ? this.#f32 : this.#i32).set(values, at / 4);
  }

  /** A view of `count` floats at byte offset `at`, valid until memory grows or is overwritten. */
  viewF32(at: number, count: number): Float32Array {
    return this.#f32.subarray(at / 4, at / 4 + count);
  }

  /** A copy of `count` floats at byte offset `at`. */
  readF32(at: number, count: number): Float32Array {
    return this.#f32.slice(at / 4, at / 4 + count);
  }

  #grow(bytes: number): void {
    const have = this.#memory.buffer.byteLength;
    if (bytes <= have) {
      // Another kernel on the same (resident) memory may have grown it: renew the views.
      if (bytes > this.#f32.byteLength) {
        this.#f32 = new Float32Array(this.#memory.buffer);
        this.#i32 = new Int32Array(this.#memory.buffer);
      }
      return;
    }
    const pages = Math.ceil((bytes - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) {
      throw new RangeError(
        `${this.#name}: needs ${
          (bytes / 2 ** 30).toFixed(2)
        } GiB of kernel memory (limit 4 GiB); use smaller batches or compact features`,
      );
    }
    this.#memory.grow(pages);
    this.#f32 = new Float32Array(this.#memory.buffer);
    this.#i32 = new Int32Array(this.#memory.buffer);
  }
}
