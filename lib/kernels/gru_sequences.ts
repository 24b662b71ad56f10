/**
 * A GRU over a batch of whole sequences, forward and backward, on a WASM
 * SIMD kernel (`gru_sequences.c`): every step of a batch in one call, instead
 * of a few dozen TF.js dispatches per step.
 *
 * @module
 */
import { gruSequencesWasmBase64 } from "./gru_sequences_wasm.ts";
import { KernelMemory } from "./kernel_memory.ts";

interface GruExports {
  gru_forward(
    T: number,
    active: number,
    d: number,
    xzr: number,
    xh: number,
    uzr: number,
    uh: number,
    h: number,
    before: number,
    z: number,
    r: number,
    c: number,
    hz: number,
    tmp: number,
  ): void;
  gru_backward(
    T: number,
    active: number,
    M: number,
    d: number,
    uzr: number,
    uh: number,
    before: number,
    z: number,
    r: number,
    c: number,
    dbefore: number,
    dh: number,
    dxzr: number,
    dxh: number,
    duzr: number,
    duh: number,
    da: number,
    drh: number,
  ): void;
}

/** What the forward pass records (row = time-major position, as in `SequenceBatch.order`). */
export interface GruForward {
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

/** Runs GRU batches (see `gru_sequences.c` for the layout and equations). */
export class GruSequenceKernel {
  readonly #kernel = new KernelMemory<GruExports>("gru_sequences", gruSequencesWasmBase64);

  /**
   * Runs every step: `xzr` (`M × 2d`) and `xh` (`M × d`) are the projected
   * inputs in time-major order, `h0` (`B × d`) the initial states, `uzr`
   * (`d × 2d`) and `uh` (`d × d`) the recurrent weights.
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
    const pH = k.alloc(B * d);
    const pBefore = k.alloc(M * d);
    const pZ = k.alloc(M * d);
    const pR = k.alloc(M * d);
    const pC = k.alloc(M * d);
    const pHz = k.alloc(2 * d);
    const pTmp = k.alloc(d);
    k.write(pActive, active);
    k.write(pXzr, xzr);
    k.write(pXh, xh);
    k.write(pUzr, uzr);
    k.write(pUh, uh);
    k.write(pH, h0);
    k.exports.gru_forward(
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
      pHz,
      pTmp,
    );
    return {
      before: k.readF32(pBefore, M * d),
      final: k.readF32(pH, B * d),
      z: k.readF32(pZ, M * d),
      r: k.readF32(pR, M * d),
      c: k.readF32(pC, M * d),
    };
  }

  /**
   * Back-propagates `dbefore` (`M × d`, the loss gradient at every recorded
   * state) and `dfinal` (`B × d`) through all steps of a forward pass.
   */
  backward(
    active: Int32Array,
    d: number,
    uzr: Float32Array,
    uh: Float32Array,
    forward: GruForward,
    dbefore: Float32Array,
    dfinal: Float32Array,
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
    const pDuzr = k.alloc(d * 2 * d);
    const pDuh = k.alloc(d * d);
    const pDa = k.alloc(2 * d);
    const pDrh = k.alloc(d);
    k.write(pActive, active);
    k.write(pUzr, uzr);
    k.write(pUh, uh);
    k.write(pBefore, forward.before);
    k.write(pZ, forward.z);
    k.write(pR, forward.r);
    k.write(pC, forward.c);
    k.write(pDbefore, dbefore);
    k.write(pDh, dfinal);
    k.f32.fill(0, pDuzr / 4, pDuzr / 4 + d * 2 * d);
    k.f32.fill(0, pDuh / 4, pDuh / 4 + d * d);
    k.exports.gru_backward(
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
      pDuzr,
      pDuh,
      pDa,
      pDrh,
    );
    return {
      dxzr: k.readF32(pDxzr, M * 2 * d),
      dxh: k.readF32(pDxh, M * d),
      dh0: k.readF32(pDh, B * d),
      duzr: k.readF32(pDuzr, d * 2 * d),
      duh: k.readF32(pDuh, d * d),
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
