/**
 * An `UnsortedSegmentSum` kernel for the TF.js WASM backend.
 *
 * The WASM backend ships no `UnsortedSegmentSum`, and the gradient of `gather`
 * (every embedding lookup) is written in terms of it, so without this kernel
 * no embedding table can be trained on WASM. The kernel runs in JavaScript on
 * the backend's own heap: it reads the inputs in place and writes the output
 * in place, so no tensor is copied.
 *
 * @module
 */
import {
  type KernelConfig,
  type KernelFunc,
  type NamedTensorInfoMap,
  type TensorInfo,
  UnsortedSegmentSum,
  type UnsortedSegmentSumAttrs,
  util,
} from "npm:@tensorflow/tfjs@4.22.0";

/** The slice of the WASM backend's surface that this kernel uses. */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: TensorInfo["dtype"]): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): ArrayLike<number> & { fill(v: number): unknown };
}

/**
 * Sums rows of `x` into `numSegments` output rows: `out[s] = sum of x[j] where
 * segmentIds[j] == s`. Ids outside `[0, numSegments)` are dropped, as in
 * TensorFlow. `segmentIds` may have any shape that prefixes `x`'s shape.
 */
function unsortedSegmentSumWasm(
  args: { inputs: NamedTensorInfoMap; backend: unknown; attrs?: unknown },
): TensorInfo {
  const { x, segmentIds } = args.inputs;
  if (x === undefined || segmentIds === undefined) {
    throw new Error("UnsortedSegmentSum (wasm): inputs x and segmentIds are required");
  }
  const { numSegments } = args.attrs as unknown as UnsortedSegmentSumAttrs;
  const backend = args.backend as WasmHeapBackend;
  if (x.dtype !== "float32" && x.dtype !== "int32") {
    throw new TypeError(`UnsortedSegmentSum (wasm): unsupported dtype ${x.dtype}`);
  }
  const idRank = segmentIds.shape.length;
  const rows = util.sizeFromShape(segmentIds.shape);
  const inner = util.sizeFromShape(x.shape.slice(idRank));
  const out = backend.makeOutput([numSegments, ...x.shape.slice(idRank)], x.dtype);
  const outVals = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  outVals.fill(0);
  const xVals = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const ids = backend.typedArrayFromHeap(segmentIds) as Int32Array | Float32Array;
  for (let j = 0; j < rows; j++) {
    const s = ids[j];
    if (s < 0 || s >= numSegments) continue;
    const src = j * inner;
    const dst = s * inner;
    for (let k = 0; k < inner; k++) outVals[dst + k] += xVals[src + k];
  }
  return out;
}

/** Kernel registration record for `tf.registerKernel`. */
export const unsortedSegmentSumWasmConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: "wasm",
  kernelFunc: unsortedSegmentSumWasm as unknown as KernelFunc,
};
