/*
 * SIMD helpers shared by the WASM kernels: dot product, scaled add, and an
 * exp for non-positive arguments (softmax and the GRU's gates need no other).
 */
#ifndef DREX_SIMD_MATH_H
#define DREX_SIMD_MATH_H
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

static inline float hsum(v128_t v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) +
         wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3);
}

static inline float dot(const float *a, const float *b, int32_t n) {
  v128_t acc0 = wasm_f32x4_splat(0.0f);
  v128_t acc1 = wasm_f32x4_splat(0.0f);
  int32_t j = 0;
  for (; j + 8 <= n; j += 8) {
    acc0 = wasm_f32x4_add(acc0, wasm_f32x4_mul(wasm_v128_load(a + j), wasm_v128_load(b + j)));
    acc1 = wasm_f32x4_add(acc1, wasm_f32x4_mul(wasm_v128_load(a + j + 4), wasm_v128_load(b + j + 4)));
  }
  for (; j + 4 <= n; j += 4) {
    acc0 = wasm_f32x4_add(acc0, wasm_f32x4_mul(wasm_v128_load(a + j), wasm_v128_load(b + j)));
  }
  float s = hsum(wasm_f32x4_add(acc0, acc1));
  for (; j < n; j++) s += a[j] * b[j];
  return s;
}

/* y += alpha * x */
static inline void axpy(float alpha, const float *x, float *y, int32_t n) {
  v128_t va = wasm_f32x4_splat(alpha);
  int32_t j = 0;
  for (; j + 4 <= n; j += 4) {
    wasm_v128_store(y + j, wasm_f32x4_add(wasm_v128_load(y + j), wasm_f32x4_mul(va, wasm_v128_load(x + j))));
  }
  for (; j < n; j++) y[j] += alpha * x[j];
}

/* Four float lanes from bytes j..j+3 of a widened int8 vector (lane group g of 16 bytes). */
static inline v128_t q8_lanes(v128_t q, int g) {
  v128_t h = g < 2 ? wasm_i16x8_extend_low_i8x16(q) : wasm_i16x8_extend_high_i8x16(q);
  v128_t w = (g % 2 == 0) ? wasm_i32x4_extend_low_i16x8(h) : wasm_i32x4_extend_high_i16x8(h);
  return wasm_f32x4_convert_i32x4(w);
}

/* sum_j q[j] * b[j] over int8 q (the caller applies the row's scale). */
static inline float dot_q8(const int8_t *q, const float *b, int32_t n) {
  v128_t acc0 = wasm_f32x4_splat(0.0f);
  v128_t acc1 = wasm_f32x4_splat(0.0f);
  int32_t j = 0;
  for (; j + 16 <= n; j += 16) {
    v128_t v = wasm_v128_load(q + j);
    acc0 = wasm_f32x4_add(acc0, wasm_f32x4_mul(q8_lanes(v, 0), wasm_v128_load(b + j)));
    acc1 = wasm_f32x4_add(acc1, wasm_f32x4_mul(q8_lanes(v, 1), wasm_v128_load(b + j + 4)));
    acc0 = wasm_f32x4_add(acc0, wasm_f32x4_mul(q8_lanes(v, 2), wasm_v128_load(b + j + 8)));
    acc1 = wasm_f32x4_add(acc1, wasm_f32x4_mul(q8_lanes(v, 3), wasm_v128_load(b + j + 12)));
  }
  float s = hsum(wasm_f32x4_add(acc0, acc1));
  for (; j < n; j++) s += (float)q[j] * b[j];
  return s;
}

/* y += alpha * q over int8 q (alpha carries the row's scale). */
static inline void axpy_q8(float alpha, const int8_t *q, float *y, int32_t n) {
  v128_t va = wasm_f32x4_splat(alpha);
  int32_t j = 0;
  for (; j + 16 <= n; j += 16) {
    v128_t v = wasm_v128_load(q + j);
    for (int g = 0; g < 4; g++) {
      float *yy = y + j + 4 * g;
      wasm_v128_store(yy, wasm_f32x4_add(wasm_v128_load(yy), wasm_f32x4_mul(va, q8_lanes(v, g))));
    }
  }
  for (; j < n; j++) y[j] += alpha * (float)q[j];
}

/* exp(x) for x <= 0: 2^n * 2^f with a degree-6 polynomial; relative error below 2e-7. */
static float exp_nonpositive(float x) {
  if (x < -87.0f) return 0.0f;
  float t = x * 1.4426950408889634f;
  float n = __builtin_floorf(t + 0.5f);
  float f = t - n;
  float p = 1.5403530393381606e-4f;
  p = p * f + 1.3333558146428443e-3f;
  p = p * f + 9.6181291076284772e-3f;
  p = p * f + 5.5504108664821580e-2f;
  p = p * f + 2.4022650695910071e-1f;
  p = p * f + 6.9314718055994531e-1f;
  p = p * f + 1.0f;
  union { float f; int32_t i; } scale;
  scale.i = ((int32_t)n + 127) << 23;
  return p * scale.f;
}

#endif
