/**
 * `Slice`, `SplitV`, `Unpack` and `GatherV2` kernels for the TF.js WASM
 * backend that copy only the elements they return.
 *
 * The stock WASM `Slice` first copies its whole input out of the WASM heap
 * (`readSync`), so every slice costs as much as the input, and `SplitV` and
 * `Unpack` call it once per output. DReX slices a batch's time-major inputs
 * into one piece per GRU step, so on the paper's Video Games size a single
 * state pass spent 10 s in `SplitV` (776 pieces of a 31,670-row tensor).
 * The stock `GatherV2` checks each index with a fresh closure before its
 * copy, about 30 ms for a 31,670-row gather; the replacement handles the
 * common case (axis 0, no batch dimensions) with one row copy per index.
 * These replacements read the heap in place; string tensors (and gathers on
 * other axes) still go to the stock kernels.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";

/** The slice of the WASM backend's surface these kernels use. */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
}

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

/** Row-major strides of `shape`. */
function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) s[d] = s[d + 1] * shape[d + 1];
  return s;
}

/**
 * Copies the box `begin .. begin + size` of `src` (shape `shape`) into `dst`
 * in row-major order, one contiguous run of the box's last axis at a time.
 */
function copyBox(
  src: tf.TypedArray,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  dst: tf.TypedArray,
): void {
  const rank = shape.length;
  const total = size.reduce((a, b) => a * b, 1);
  if (total === 0) return;
  if (rank === 0) {
    dst[0] = src[0];
    return;
  }
  const st = strides(shape);
  // Merge trailing axes that the box covers whole, so runs are as long as possible.
  let inner = rank - 1;
  while (inner > 0 && begin[inner] === 0 && size[inner] === shape[inner]) inner--;
  const run = size.slice(inner).reduce((a, b) => a * b, 1);
  const idx = new Array<number>(inner).fill(0);
  let out = 0;
  for (;;) {
    let offset = begin[inner] * st[inner];
    for (let d = 0; d < inner; d++) offset += (begin[d] + idx[d]) * st[d];
    dst.set(src.subarray(offset, offset + run), out);
    out += run;
    let d = inner - 1;
    while (d >= 0 && ++idx[d] === size[d]) idx[d--] = 0;
    if (d < 0) break;
  }
}

function sliceInto(
  backend: WasmHeapBackend,
  x: tf.TensorInfo,
  begin: number[],
  size: number[],
  outShape: number[],
): tf.TensorInfo {
  const out = backend.makeOutput(outShape, x.dtype);
  // Views are taken after makeOutput, which may grow (and move) the heap.
  copyBox(backend.typedArrayFromHeap(x), x.shape, begin, size, backend.typedArrayFromHeap(out));
  return out;
}

function input(args: KernelArgs, name: string): tf.TensorInfo {
  const t = args.inputs[name];
  if (t === undefined) throw new Error(`missing input "${name}"`);
  return t;
}

function fastGather(args: KernelArgs, stock: tf.KernelFunc): tf.TensorInfo {
  const x = input(args, "x");
  const indices = input(args, "indices");
  const { axis, batchDims } = args.attrs as unknown as tf.GatherV2Attrs;
  const a = tf.util.parseAxisParam(axis, x.shape)[0];
  if (a !== 0 || (batchDims ?? 0) !== 0 || x.shape.length === 0) {
    return stock(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  const backend = args.backend as WasmHeapBackend;
  const rows = x.shape[0];
  const row = x.shape.slice(1).reduce((p, q) => p * q, 1);
  const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const ids = backend.typedArrayFromHeap(indices);
  for (let j = 0; j < ids.length; j++) {
    const k = ids[j];
    if (!(k >= 0 && k < rows)) {
      throw new RangeError(`GatherV2: the index value ${k} is not in [0, ${rows - 1}]`);
    }
    dst.set(src.subarray(k * row, k * row + row), j * row);
  }
  return out;
}

function makeConfig(
  stock: tf.KernelConfig,
  fast: (args: KernelArgs, stock: tf.KernelFunc) => tf.TensorInfo | tf.TensorInfo[],
): tf.KernelConfig {
  const name = stock.kernelName as keyof typeof FAST;
  const kernelFunc = ((args: KernelArgs) => {
    const x = input(args, INPUT_NAME[name]);
    return x.dtype === "string"
      ? stock.kernelFunc(args as Parameters<tf.KernelFunc>[0])
      : fast(args, stock.kernelFunc);
  }) as unknown as tf.KernelFunc;
  // Keep the stock setup (it binds the C functions the fallback path calls).
  return { ...stock, kernelFunc };
}

function fastSlice(args: KernelArgs): tf.TensorInfo {
  const x = input(args, "x");
  const { begin, size } = args.attrs as unknown as tf.SliceAttrs;
  const [b, s] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, begin, size);
  return sliceInto(args.backend as WasmHeapBackend, x, b, s, s);
}

function fastSplitV(args: KernelArgs): tf.TensorInfo[] {
  const x = input(args, "x");
  const { numOrSizeSplits, axis } = args.attrs as unknown as tf.SplitVAttrs;
  const a = tf.util.parseAxisParam(axis, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, numOrSizeSplits, a);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((n) => {
    const size = x.shape.slice();
    size[a] = n;
    const out = sliceInto(args.backend as WasmHeapBackend, x, begin.slice(), size, size);
    begin[a] += n;
    return out;
  });
}

function fastUnpack(args: KernelArgs): tf.TensorInfo[] {
  const x = input(args, "value");
  const { axis } = args.attrs as unknown as tf.UnpackAttrs;
  const a = tf.util.parseAxisParam(axis, x.shape)[0];
  const outShape = x.shape.filter((_, d) => d !== a);
  const size = x.shape.slice();
  size[a] = 1;
  return Array.from({ length: x.shape[a] }, (_, k) => {
    const begin = new Array<number>(x.shape.length).fill(0);
    begin[a] = k;
    return sliceInto(args.backend as WasmHeapBackend, x, begin, size, outShape);
  });
}

const FAST = {
  Slice: fastSlice,
  SplitV: fastSplitV,
  Unpack: fastUnpack,
  GatherV2: fastGather,
} as const;
/** Each kernel's tensor input. */
const INPUT_NAME = { Slice: "x", SplitV: "x", Unpack: "value", GatherV2: "x" } as const;

/** Whether the fast kernels are the ones registered for WASM. */
function installed(): boolean {
  return tf.getKernel("Slice", "wasm")?.kernelFunc.name === "fastWasmKernel";
}

/**
 * Replaces the WASM backend's `Slice`, `SplitV`, `Unpack` and `GatherV2`
 * kernels with the in-place versions (other cases keep the stock kernels).
 * Idempotent.
 */
export function installFastSliceKernels(): void {
  if (installed()) return;
  for (const [name, fast] of Object.entries(FAST)) {
    const stock = tf.getKernel(name, "wasm");
    if (stock === undefined) throw new Error(`TF.js WASM backend has no ${name} kernel to replace`);
    const config = makeConfig(stock, fast);
    Object.defineProperty(config.kernelFunc, "name", { value: "fastWasmKernel" });
    tf.unregisterKernel(name, "wasm");
    tf.registerKernel(config);
  }
}
