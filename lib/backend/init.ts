/**
 * The one place where the TF.js backend is chosen and prepared.
 *
 * TF.js keeps its backend as process-wide state; this module is the only code
 * in the library that changes it. Everything else calls {@linkcode initBackend}
 * (idempotent) before creating tensors.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import "npm:@tensorflow/tfjs-backend-wasm@4.22.0";
import "npm:@tensorflow/tfjs-backend-cpu@4.22.0";
import { batchMatMulGradConfig } from "./matmul_gradient.ts";
import { installFastSliceKernels } from "./copy_kernels_wasm.ts";
import { unsortedSegmentSumWasmConfig } from "./unsorted_segment_sum_wasm.ts";

/** Backends the library supports: WASM (the default, fast) and CPU (pure JS, the reference). */
export type BackendName = "wasm" | "cpu";

/** Custom kernels the WASM backend needs for training (registered once). */
const WASM_KERNELS = [unsortedSegmentSumWasmConfig];

function registerMissingKernels(): void {
  for (const config of WASM_KERNELS) {
    if (tf.getKernel(config.kernelName, config.backendName) === undefined) {
      tf.registerKernel(config);
    }
  }
  installFastSliceKernels();
  if (tf.getGradient(batchMatMulGradConfig.kernelName) !== batchMatMulGradConfig) {
    tf.registerGradient(batchMatMulGradConfig);
  }
}

/**
 * Makes `name` the active TF.js backend, registering the kernels the library
 * adds to it. Safe to call many times; switching backends is allowed (tests
 * compare WASM against CPU).
 *
 * @param name Backend to activate.
 * @default "wasm"
 * @returns The name of the active backend.
 */
export async function initBackend(name: BackendName = "wasm"): Promise<BackendName> {
  registerMissingKernels();
  if (tf.getBackend() !== name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`TF.js backend "${name}" failed to initialise`);
  }
  await tf.ready();
  if (name === "cpu") {
    // The CPU backend's first write prints a banner recommending tfjs-node; we use
    // CPU only as a reference in tests, so mark it as already used.
    (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  }
  return name;
}
