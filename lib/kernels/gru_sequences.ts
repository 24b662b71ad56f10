/**
 * A GRU over a batch of whole sequences, forward and backward, on a WASM
 * SIMD kernel (`gru_sequences.c`): every step of a batch in one call, instead
 * of a few dozen TF.js dispatches per step.
 *
 * @module
 */
import { gruSequencesWasmBase64 } from "./gru_sequences_wasm.ts";
import { KernelMemory } from "./kernel_memory.ts";

/** The kernel's exports (see `gru_sequences.c`): int32 arguments (byte offsets and counts). */
type GruExports = Record<
  "gru_forward" | "gru_backward" | "gru_states",
  (...args: number[]) => void
>;

/** The kernel exports a helper thread may call. */
const HELPER_EXPORTS = ["gru_forward", "gru_backward", "gru_states"];

/** Entities' sequences as one list: entity e's rows are `rows[offsets[e]] .. rows[offsets[e + 1] - 1]`. */
export interface PackedSequences {
  /** `E + 1` offsets into `rows`. */
  offsets: Int32Array;
  /** Row indices, each entity's in time order. */
  rows: Int32Array;
}

/** Packs per-entity sequences (row indices in time order) for {@linkcode GruSequenceKernel.states}. */
export function packSequences(sequences: readonly Int32Array[]): PackedSequences {
  const offsets = new Int32Array(sequences.length + 1);
  sequences.forEach((s, e) => (offsets[e + 1] = offsets[e] + s.length));
  const rows = new Int32Array(offsets[sequences.length]);
  sequences.forEach((s, e) => rows.set(s, offsets[e]));
  return { offsets, rows };
}

/** What {@linkcode GruSequenceKernel.states} needs besides the sequences and inputs. */
export interface GruStateWeights {
  /** Input weights of the gates, `dx × 2d`, and their bias (`2d`). */
  wxzr: Float32Array;
  bzr: Float32Array;
  /** Input weights of the candidate, `dx × d`, and their bias (`d`). */
  wxh: Float32Array;
  bh: Float32Array;
  /** Recurrent weights, `d × 2d` and `d × d`. */
  uzr: Float32Array;
  uh: Float32Array;
}

/** What the forward pass records (row = time-major position, as in `SequenceBatch.order`). */
export interface GruForward {
  /** `before` then `final`, `(M + B) × d`: one copy out of the kernel (the views below share it). */
  states: Float32Array;
  /** State entering each step, `M × d`. */
  before: Float32Array;
  /** State after each sequence's last step, `B × d`, in batch order. */
  final: Float32Array;
  /** Update gates, `M × d` (kept for the backward pass). */
  z: Float32Array;
  /** Reset gates, `M × d`. */
  r: Float32Array;
  /** Candidates, `M × d`. */
  c: Float32Array;
}

/** Gradients of the loss with respect to the GRU's inputs and recurrent weights. */
export interface GruGradients {
  /** With respect to the projected gate inputs, `M × 2d`. */
  dxzr: Float32Array;
  /** With respect to the projected candidate inputs, `M × d`. */
  dxh: Float32Array;
  /** With respect to the initial states, `B × d`. */
  dh0: Float32Array;
  /** With respect to the recurrent gate weights `U_zr`, `d × 2d`. */
  duzr: Float32Array;
  /** With respect to the recurrent candidate weights `U_h`, `d × d`. */
  duh: Float32Array;
}

/** Sizes of a batch with steps `active`: rows `M = sum(active)`, sequences `B = active[0]`. */
function sizes(active: Int32Array): { M: number; B: number } {
  let M = 0;
  for (const n of active) M += n;
  return { M, B: active.length > 0 ? active[0] : 0 };
}

/**
 * Runs GRU batches (see `gru_sequences.c` for the layout and equations).
 * With `threads: 2` a helper thread runs every other sequence of a batch:
 * the states are the same as with one thread, and the recurrent weights'
 * gradients differ only in the order their two halves are summed.
 */
export class GruSequenceKernel {
  readonly #kernel = new KernelMemory<GruExports>("gru_sequences", gruSequencesWasmBase64);
  readonly #threads: number;

  /** A kernel running on one thread, or two (`threads: 2`; call `dispose` when done). */
  constructor(options: { threads?: number } = {}) {
    const threads = options.threads ?? 1;
    if (threads !== 1 && threads !== 2) {
      throw new RangeError(`GruSequenceKernel: threads must be 1 or 2, got ${threads}`);
    }
    this.#threads = threads;
  }

  /** Threads running now: 2 once the helper thread has started (it starts on first use), else 1. */
  get threadsRunning(): number {
    return this.#threads === 2 && this.#kernel.helper(HELPER_EXPORTS).ready ? 2 : 1;
  }

  /** Stops the helper thread, if any (the kernel still works, on one thread). */
  dispose(): void {
    this.#kernel.dispose();
  }

  /**
   * Calls `name` with `args(part, parts)` for each thread's share: on this
   * thread alone, or with the helper running part 1.
   */
  #run(name: keyof GruExports, args: (part: number) => number[]): void {
    const k = this.#kernel;
    if (this.#threads === 1) {
      k.exports[name](...args(0));
      return;
    }
    // Part 0 runs the longer sequence of each pair (they are sorted longest
    // first): this thread takes it, as the helper starts tens of
    // microseconds later. Which thread runs a part does not change results.
    const theirs = args(1);
    const mine = args(0);
    k.helper(HELPER_EXPORTS).run(
      name,
      theirs,
      () => k.exports[name](...theirs),
      () => k.exports[name](...mine),
    );
  }

  /**
   * Runs every step: `xzr` (`M × 2d`) and `xh` (`M × d`) are the projected
   * inputs in time-major order, `h0` (`B × d`) the initial states, `uzr`
   * (`d × 2d`) and `uh` (`d × d`) the recurrent weights. (Passes without
   * gradients run {@linkcode GruSequenceKernel.states}.)
   */
  forward(
    active: Int32Array,
    d: number,
    xzr: Float32Array,
    xh: Float32Array,
    h0: Float32Array,
    uzr: Float32Array,
    uh: Float32Array,
  ): GruForward {
    const { M, B } = sizes(active);
    expect("xzr", xzr, M * 2 * d);
    expect("xh", xh, M * d);
    expect("h0", h0, B * d);
    expect("uzr", uzr, d * 2 * d);
    expect("uh", uh, d * d);
    const k = this.#kernel;
    k.reset();
    const pActive = k.alloc(active.length);
    const pXzr = k.alloc(M * 2 * d);
    const pXh = k.alloc(M * d);
    const pUzr = k.alloc(d * 2 * d);
    const pUh = k.alloc(d * d);
    // before and h (the final states) back to back: the states leave in one copy.
    const pBefore = k.alloc((M + B) * d);
    const pH = pBefore + 4 * M * d;
    const pZ = k.alloc(M * d);
    const pR = k.alloc(M * d);
    const pC = k.alloc(M * d);
    const pHz = [k.alloc(2 * d), k.alloc(2 * d)];
    const pTmp = [k.alloc(d), k.alloc(d)];
    k.write(pActive, active);
    k.write(pXzr, xzr);
    k.write(pXh, xh);
    k.write(pUzr, uzr);
    k.write(pUh, uh);
    k.write(pH, h0);
    this.#run("gru_forward", (part) => [
      active.length,
      pActive,
      d,
      pXzr,
      pXh,
      pUzr,
      pUh,
      pH,
      pBefore,
      pZ,
      pR,
      pC,
      pHz[part],
      pTmp[part],
      part,
      this.#threads,
    ]);
    const states = k.readF32(pBefore, (M + B) * d);
    return {
      states,
      before: states.subarray(0, M * d),
      final: states.subarray(M * d),
      z: k.readF32(pZ, M * d),
      r: k.readF32(pR, M * d),
      c: k.readF32(pC, M * d),
    };
  }

  /**
   * A pass without gradients over whole sequences, entity by entity:
   * `x` (`N × dx`, one row per interaction) is projected inside the kernel,
   * `h0` (`E × d`) starts each entity. Returns the readout before every row,
   * in row order (`N × d`), and after each entity's last row (`E × d`; `h0`'s
   * row, or its mean readout, for an entity without rows). With `mean`, the
   * readout is the running mean of `state_readout.ts`, to the same bits.
   * With `read: "view"` the two arrays are views of the kernel's memory,
   * valid until its next call (for a caller that copies them at once, as
   * TF.js does when it makes a tensor: on this host every fresh megabyte of
   * a copy costs about 3 ms in page faults).
   */
  states(
    packed: PackedSequences,
    x: Float32Array,
    dx: number,
    d: number,
    weights: GruStateWeights,
    h0: Float32Array,
    mean: boolean,
    read: "copy" | "view" = "copy",
  ): { before: Float32Array; final: Float32Array } {
    const E = packed.offsets.length - 1;
    const N = x.length / dx;
    expect("x", x, packed.rows.length * dx);
    expect("h0", h0, E * d);
    expect("wxzr", weights.wxzr, dx * 2 * d);
    expect("bzr", weights.bzr, 2 * d);
    expect("wxh", weights.wxh, dx * d);
    expect("bh", weights.bh, d);
    expect("uzr", weights.uzr, d * 2 * d);
    expect("uh", weights.uh, d * d);
    const k = this.#kernel;
    k.reset();
    // Each input is placed in kernel memory as it is reserved.
    const place = (values: Float32Array | Int32Array): number => {
      const at = k.alloc(values.length);
      k.write(at, values);
      return at;
    };
    const pOff = place(packed.offsets);
    const pSeq = place(packed.rows);
    const pX = place(x);
    const w = {
      wxzr: place(weights.wxzr),
      bzr: place(weights.bzr),
      wxh: place(weights.wxh),
      bh: place(weights.bh),
      uzr: place(weights.uzr),
      uh: place(weights.uh),
    };
    const pH0 = place(h0);
    const pBefore = k.alloc(N * d);
    const pFinal = k.alloc(E * d);
    const pScratch = [k.alloc(10 * d), k.alloc(10 * d)];
    const pSums = [k.alloc(2 * d), k.alloc(2 * d)]; // d doubles each
    this.#run("gru_states", (part) => [
      E,
      pOff,
      pSeq,
      dx,
      d,
      pX,
      w.wxzr,
      w.bzr,
      w.wxh,
      w.bh,
      w.uzr,
      w.uh,
      pH0,
      pBefore,
      pFinal,
      pScratch[part],
      pSums[part],
      mean ? 1 : 0,
      part,
      this.#threads,
    ]);
    const get = read === "view" ? k.viewF32.bind(k) : k.readF32.bind(k);
    return { before: get(pBefore, N * d), final: get(pFinal, E * d) };
  }

  /**
   * Back-propagates `dbefore` (`M × d`, the loss gradient at every recorded
   * state) and `dfinal` (`B × d`) through all steps of a forward pass. With
   * `read: "view"`, `dxzr`, `dxh` and `dh0` are views of the kernel's memory,
   * valid until its next call (for a caller that copies them at once).
   */
  backward(
    active: Int32Array,
    d: number,
    uzr: Float32Array,
    uh: Float32Array,
    forward: GruForward,
    dbefore: Float32Array,
    dfinal: Float32Array,
    read: "copy" | "view" = "copy",
  ): GruGradients {
    const { M, B } = sizes(active);
    expect("dbefore", dbefore, M * d);
    expect("dfinal", dfinal, B * d);
    const k = this.#kernel;
    k.reset();
    const pActive = k.alloc(active.length);
    const pUzr = k.alloc(d * 2 * d);
    const pUh = k.alloc(d * d);
    const pBefore = k.alloc(M * d);
    const pZ = k.alloc(M * d);
    const pR = k.alloc(M * d);
    const pC = k.alloc(M * d);
    const pDbefore = k.alloc(M * d);
    const pDh = k.alloc(B * d);
    const pDxzr = k.alloc(M * 2 * d);
    const pDxh = k.alloc(M * d);
    const pDuzr = [k.alloc(d * 2 * d), k.alloc(d * 2 * d)];
    const pDuh = [k.alloc(d * d), k.alloc(d * d)];
    const pDa = [k.alloc(2 * d), k.alloc(2 * d)];
    const pDrh = [k.alloc(d), k.alloc(d)];
    k.write(pActive, active);
    k.write(pUzr, uzr);
    k.write(pUh, uh);
    k.write(pBefore, forward.before);
    k.write(pZ, forward.z);
    k.write(pR, forward.r);
    k.write(pC, forward.c);
    k.write(pDbefore, dbefore);
    k.write(pDh, dfinal);
    for (const at of pDuzr) k.f32.fill(0, at / 4, at / 4 + d * 2 * d);
    for (const at of pDuh) k.f32.fill(0, at / 4, at / 4 + d * d);
    this.#run("gru_backward", (part) => [
      active.length,
      pActive,
      M,
      d,
      pUzr,
      pUh,
      pBefore,
      pZ,
      pR,
      pC,
      pDbefore,
      pDh,
      pDxzr,
      pDxh,
      pDuzr[part],
      pDuh[part],
      pDa[part],
      pDrh[part],
      part,
      this.#threads,
    ]);
    const duzr = k.readF32(pDuzr[0], d * 2 * d);
    const duh = k.readF32(pDuh[0], d * d);
    if (this.#threads === 2) {
      // The two halves' sums, added in a fixed order.
      const duzr2 = k.readF32(pDuzr[1], d * 2 * d);
      const duh2 = k.readF32(pDuh[1], d * d);
      for (let j = 0; j < duzr.length; j++) duzr[j] += duzr2[j];
      for (let j = 0; j < duh.length; j++) duh[j] += duh2[j];
    }
    const get = read === "view" ? k.viewF32.bind(k) : k.readF32.bind(k);
    return {
      dxzr: get(pDxzr, M * 2 * d),
      dxh: get(pDxh, M * d),
      dh0: get(pDh, B * d),
      duzr,
      duh,
    };
  }
}

function expect(name: string, values: Float32Array, length: number): void {
  if (values.length !== length) {
    throw new RangeError(
      `GruSequenceKernel: ${name} has ${values.length} values, expected ${length}`,
    );
  }
}
