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
 * One row of `out` (see matmul) over N columns, b's rows `ldb` apart: columns
 * 16 at a time (four SIMD lanes each), then four, then one.
 */
static void matmul_row(const float *ai, int32_t col_step, const float *b, int32_t ldb, float *oi,
                       int32_t K, int32_t N) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  int32_t j = 0;
  for (; j + 16 <= N; j += 16) {
    v128_t s0 = zero, s1 = zero, s2 = zero, s3 = zero;
    for (int32_t k = 0; k < K; k++) {
      const v128_t x = wasm_f32x4_splat(ai[(int64_t)k * col_step]);
      const float *bk = b + (int64_t)k * ldb + j;
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
                                           wasm_v128_load(b + (int64_t)k * ldb + j)));
    }
    wasm_v128_store(oi + j, s);
  }
  for (; j < N; j++) {
    float s = 0.0f;
    for (int32_t k = 0; k < K; k++) s += ai[(int64_t)k * col_step] * b[(int64_t)k * ldb + j];
    oi[j] = s;
  }
}

/*
 * out[i][j] = sum_{k < K} A(i, k) b[k][j], summed over k in order from zero,
 * for i < M, j < N, where A(i, k) = a[i * row_step + k * col_step] (so a
 * transposed A is a matter of steps) and b is row-major [K][N]. Four rows at
 * a time, eight columns at a time, so that each load of b serves four rows
 * (every output is still its own sum in k order: the same bits as one row at
 * a time); the rows and columns left over go one row at a time.
 */
EXPORT("matmul")
void matmul(const float *a, int32_t row_step, int32_t col_step, const float *b, float *out,
            int32_t M, int32_t K, int32_t N) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  const int32_t N8 = N - N % 8;
  int32_t i = 0;
  for (; i + 4 <= M; i += 4) {
    const float *a0 = a + (int64_t)i * row_step;
    const float *a1 = a0 + row_step, *a2 = a1 + row_step, *a3 = a2 + row_step;
    float *o0 = out + (int64_t)i * N;
    float *o1 = o0 + N, *o2 = o1 + N, *o3 = o2 + N;
    for (int32_t j = 0; j < N8; j += 8) {
      v128_t s00 = zero, s01 = zero, s10 = zero, s11 = zero;
      v128_t s20 = zero, s21 = zero, s30 = zero, s31 = zero;
      for (int32_t k = 0; k < K; k++) {
        const int64_t ak = (int64_t)k * col_step;
        const float *bk = b + (int64_t)k * N + j;
        const v128_t b0 = wasm_v128_load(bk), b1 = wasm_v128_load(bk + 4);
        const v128_t x0 = wasm_f32x4_splat(a0[ak]), x1 = wasm_f32x4_splat(a1[ak]);
        const v128_t x2 = wasm_f32x4_splat(a2[ak]), x3 = wasm_f32x4_splat(a3[ak]);
        s00 = wasm_f32x4_add(s00, wasm_f32x4_mul(x0, b0));
        s01 = wasm_f32x4_add(s01, wasm_f32x4_mul(x0, b1));
        s10 = wasm_f32x4_add(s10, wasm_f32x4_mul(x1, b0));
        s11 = wasm_f32x4_add(s11, wasm_f32x4_mul(x1, b1));
        s20 = wasm_f32x4_add(s20, wasm_f32x4_mul(x2, b0));
        s21 = wasm_f32x4_add(s21, wasm_f32x4_mul(x2, b1));
        s30 = wasm_f32x4_add(s30, wasm_f32x4_mul(x3, b0));
        s31 = wasm_f32x4_add(s31, wasm_f32x4_mul(x3, b1));
      }
      wasm_v128_store(o0 + j, s00);
      wasm_v128_store(o0 + j + 4, s01);
      wasm_v128_store(o1 + j, s10);
      wasm_v128_store(o1 + j + 4, s11);
      wasm_v128_store(o2 + j, s20);
      wasm_v128_store(o2 + j + 4, s21);
      wasm_v128_store(o3 + j, s30);
      wasm_v128_store(o3 + j + 4, s31);
    }
    if (N8 < N) {
      matmul_row(a0, col_step, b + N8, N, o0 + N8, K, N - N8);
      matmul_row(a1, col_step, b + N8, N, o1 + N8, K, N - N8);
      matmul_row(a2, col_step, b + N8, N, o2 + N8, K, N - N8);
      matmul_row(a3, col_step, b + N8, N, o3 + N8, K, N - N8);
    }
  }
  for (; i < M; i++) {
    matmul_row(a + (int64_t)i * row_step, col_step, b, N, out + (int64_t)i * N, K, N);
  }
}
