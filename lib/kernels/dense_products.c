/*
 * Matrix products for DReX's dense layers (fusion, the GRUs' input
 * projections, the predictor) and their gradients, summed in exactly the
 * order TF.js's WASM backend sums a plain product `a b` (XNNPACK: each
 * output over the shared dimension in order, from zero), so that moving a
 * layer here changes no bit of training. (The library's gradient of a
 * product transposes its operands and runs plain products:
 * lib/backend/matmul_gradient.ts.) No fused multiply-adds: every product is
 * rounded before it is added, as in TF.js.
 *
 * Build: deno task build:kernels.
 */
#include "simd_math.h"

#pragma STDC FP_CONTRACT OFF

/*
 * out[i][j] = sum_{k < K} A(i, k) b[k][j], summed over k in order from zero,
 * for i < M, j < N, where A(i, k) = a[i * row_step + k * col_step] (so a
 * transposed A is a matter of steps) and b is row-major [K][N]: the pooling
 * kernel's row products (rows_mat: four rows at a time, so that each load of
 * b serves four rows; every output is its own sum in k order).
 */
EXPORT("matmul")
void matmul(const float *a, int32_t row_step, int32_t col_step, const float *b, float *out,
            int32_t M, int32_t K, int32_t N) {
  rows_mat(a, row_step, col_step, b, M, K, N, out, N);
}
