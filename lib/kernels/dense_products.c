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
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

#pragma STDC FP_CONTRACT OFF

/*
 * out[i][j] = sum_{k < K} A(i, k) b[k][j], summed over k in order from zero,
 * for i < M, j < N, where A(i, k) = a[i * row_step + k * col_step] (so a
 * transposed A is a matter of steps) and b is row-major [K][N]. Columns are
 * done 16 at a time (four SIMD lanes each), then four, then one.
 */
EXPORT("matmul")
void matmul(const float *a, int32_t row_step, int32_t col_step, const float *b, float *out,
            int32_t M, int32_t K, int32_t N) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  for (int32_t i = 0; i < M; i++) {
    const float *ai = a + (int64_t)i * row_step;
    float *oi = out + (int64_t)i * N;
    int32_t j = 0;
    for (; j + 16 <= N; j += 16) {
      v128_t s0 = zero, s1 = zero, s2 = zero, s3 = zero;
      for (int32_t k = 0; k < K; k++) {
        const v128_t x = wasm_f32x4_splat(ai[(int64_t)k * col_step]);
        const float *bk = b + (int64_t)k * N + j;
        s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(x, wasm_v128_load(bk)));
        s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(x, wasm_v128_load(bk + 4)));
        s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(x, wasm_v128_load(bk + 8)));
        s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(x, wasm_v128_load(bk + 12)));
      }
      wasm_v128_store(oi + j, s0);
      wasm_v128_store(oi + j + 4, s1);
      wasm_v128_store(oi + j + 8, s2);
      wasm_v128_store(oi + j + 12, s3);
    }
    for (; j + 4 <= N; j += 4) {
      v128_t s = zero;
      for (int32_t k = 0; k < K; k++) {
        s = wasm_f32x4_add(s, wasm_f32x4_mul(wasm_f32x4_splat(ai[(int64_t)k * col_step]),
                                             wasm_v128_load(b + (int64_t)k * N + j)));
      }
      wasm_v128_store(oi + j, s);
    }
    for (; j < N; j++) {
      float s = 0.0f;
      for (int32_t k = 0; k < K; k++) s += ai[(int64_t)k * col_step] * b[(int64_t)k * N + j];
      oi[j] = s;
    }
  }
}
