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

/*
 * t[c] = sum_j p[j * stride] W[j * d + c] for c < d: a row vector (its values
 * `stride` apart) times a D x d matrix, summed over j in order.
 */
static inline void vec_mat_strided(const float *p, int64_t stride, const float *W, int32_t D,
                                   int32_t d, float *t) {
  int32_t c0 = 0;
  for (; c0 + 16 <= d; c0 += 16) {
    v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0;
    const float *w = W + c0;
    for (int32_t j = 0; j < D; j++, w += d) {
      v128_t s = wasm_f32x4_splat(p[j * stride]);
      a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(s, wasm_v128_load(w)));
      a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(s, wasm_v128_load(w + 4)));
      a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(s, wasm_v128_load(w + 8)));
      a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(s, wasm_v128_load(w + 12)));
    }
    wasm_v128_store(t + c0, a0);
    wasm_v128_store(t + c0 + 4, a1);
    wasm_v128_store(t + c0 + 8, a2);
    wasm_v128_store(t + c0 + 12, a3);
  }
  for (; c0 < d; c0++) {
    float acc = 0.0f;
    for (int32_t j = 0; j < D; j++) acc += p[j * stride] * W[(int64_t)j * d + c0];
    t[c0] = acc;
  }
}

/* t[c] = sum_j p[j] W[j * d + c] for c < d: a row vector times a D x d matrix. */
static inline void vec_mat(const float *p, const float *W, int32_t D, int32_t d, float *t) {
  vec_mat_strided(p, 1, W, D, d, t);
}

/*
 * Four rows at once: t[r * tstride + c] = sum_j p[r * rstride + j * stride] W[j * d + c] for
 * r < 4, c < d. Each W load serves four rows (a third fewer instructions than four vec_mat
 * calls); every element is summed over j in the same order as vec_mat, so the bits are the same.
 */
static inline void vec_mat4(const float *p, int64_t rstride, int64_t stride, const float *W,
                            int32_t D, int32_t d, float *t, int64_t tstride) {
  const float *p1 = p + rstride, *p2 = p + 2 * rstride, *p3 = p + 3 * rstride;
  int32_t c0 = 0;
  for (; c0 + 8 <= d; c0 += 8) {
    v128_t a00 = wasm_f32x4_splat(0.0f), a01 = a00, a10 = a00, a11 = a00;
    v128_t a20 = a00, a21 = a00, a30 = a00, a31 = a00;
    const float *w = W + c0;
    for (int64_t j = 0; j < D; j++, w += d) {
      v128_t w0 = wasm_v128_load(w), w1 = wasm_v128_load(w + 4);
      v128_t s0 = wasm_f32x4_splat(p[j * stride]), s1 = wasm_f32x4_splat(p1[j * stride]);
      v128_t s2 = wasm_f32x4_splat(p2[j * stride]), s3 = wasm_f32x4_splat(p3[j * stride]);
      a00 = wasm_f32x4_add(a00, wasm_f32x4_mul(s0, w0));
      a01 = wasm_f32x4_add(a01, wasm_f32x4_mul(s0, w1));
      a10 = wasm_f32x4_add(a10, wasm_f32x4_mul(s1, w0));
      a11 = wasm_f32x4_add(a11, wasm_f32x4_mul(s1, w1));
      a20 = wasm_f32x4_add(a20, wasm_f32x4_mul(s2, w0));
      a21 = wasm_f32x4_add(a21, wasm_f32x4_mul(s2, w1));
      a30 = wasm_f32x4_add(a30, wasm_f32x4_mul(s3, w0));
      a31 = wasm_f32x4_add(a31, wasm_f32x4_mul(s3, w1));
    }
    wasm_v128_store(t + c0, a00);
    wasm_v128_store(t + c0 + 4, a01);
    wasm_v128_store(t + tstride + c0, a10);
    wasm_v128_store(t + tstride + c0 + 4, a11);
    wasm_v128_store(t + 2 * tstride + c0, a20);
    wasm_v128_store(t + 2 * tstride + c0 + 4, a21);
    wasm_v128_store(t + 3 * tstride + c0, a30);
    wasm_v128_store(t + 3 * tstride + c0 + 4, a31);
  }
  for (; c0 < d; c0++) {
    for (int32_t r = 0; r < 4; r++) {
      const float *pr = p + r * rstride;
      float acc = 0.0f;
      for (int64_t j = 0; j < D; j++) acc += pr[j * stride] * W[j * d + c0];
      t[r * tstride + c0] = acc;
    }
  }
}

/* vec_mat over M rows p[m * rstride ...] into t[m * tstride ...], four rows at a time. */
static inline void rows_mat(const float *p, int64_t rstride, int64_t stride, const float *W,
                            int32_t M, int32_t D, int32_t d, float *t, int64_t tstride) {
  int32_t m = 0;
  for (; m + 4 <= M; m += 4) vec_mat4(p + m * rstride, rstride, stride, W, D, d, t + m * tstride, tstride);
  for (; m < M; m++) vec_mat_strided(p + m * rstride, stride, W, D, d, t + m * tstride);
}

/*
 * Integer helpers for int8 rows. A float vector is quantized to int16 with one
 * scale (max |x| / 32767), so a row's dot product is exact integer arithmetic
 * (`i32x4.dot_i16x8_s`, eight products per instruction) instead of widening
 * every byte to a float: about three times fewer instructions per element.
 */

/* out = round(x / scale), scale = max |x| / 32767 (returned; 0 for a zero vector). */
static inline float quantize_i16(const float *x, int32_t n, int16_t *out) {
  v128_t m4 = wasm_f32x4_splat(0.0f);
  int32_t j = 0;
  for (; j + 4 <= n; j += 4) m4 = wasm_f32x4_max(m4, wasm_f32x4_abs(wasm_v128_load(x + j)));
  float mx = wasm_f32x4_extract_lane(m4, 0);
  for (int l = 1; l < 4; l++) {
    float e = l == 1 ? wasm_f32x4_extract_lane(m4, 1)
                     : (l == 2 ? wasm_f32x4_extract_lane(m4, 2) : wasm_f32x4_extract_lane(m4, 3));
    if (e > mx) mx = e;
  }
  for (; j < n; j++) {
    float a = x[j] < 0.0f ? -x[j] : x[j];
    if (a > mx) mx = a;
  }
  if (mx == 0.0f) {
    for (j = 0; j < n; j++) out[j] = 0;
    return 0.0f;
  }
  float inv = 32767.0f / mx;
  v128_t vi = wasm_f32x4_splat(inv);
  j = 0;
  for (; j + 8 <= n; j += 8) {
    v128_t a = wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest(wasm_f32x4_mul(wasm_v128_load(x + j), vi)));
    v128_t b = wasm_i32x4_trunc_sat_f32x4(
        wasm_f32x4_nearest(wasm_f32x4_mul(wasm_v128_load(x + j + 4), vi)));
    wasm_v128_store(out + j, wasm_i16x8_narrow_i32x4(a, b));
  }
  for (; j < n; j++) out[j] = (int16_t)__builtin_rintf(x[j] * inv);
  return mx / 32767.0f;
}

/* sum_j q[j] * w[j] over int8 q and int16 w, exact (partial sums flushed to float every 512). */
static inline float dot_q8_i16(const int8_t *q, const int16_t *w, int32_t n) {
  float total = 0.0f;
  int32_t j = 0;
  while (j + 16 <= n) {
    /* Two sums, so consecutive additions do not wait on each other (integers: same result). */
    v128_t acc0 = wasm_i32x4_splat(0), acc1 = acc0;
    int32_t stop = j + 512 < n ? j + 512 : n;
    for (; j + 16 <= stop; j += 16) {
      v128_t b = wasm_v128_load(q + j);
      acc0 = wasm_i32x4_add(acc0, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(b),
                                                       wasm_v128_load(w + j)));
      acc1 = wasm_i32x4_add(acc1, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(b),
                                                       wasm_v128_load(w + j + 8)));
    }
    v128_t acc = wasm_i32x4_add(acc0, acc1);
    total += (float)(wasm_i32x4_extract_lane(acc, 0) + wasm_i32x4_extract_lane(acc, 1)) +
             (float)(wasm_i32x4_extract_lane(acc, 2) + wasm_i32x4_extract_lane(acc, 3));
  }
  int32_t rest = 0;
  for (; j < n; j++) rest += (int32_t)q[j] * (int32_t)w[j];
  return total + (float)rest;
}

/*
 * acc[j] += w0 * q0[j] + w1 * q1[j] in int32, two int8 rows at once: their
 * bytes are interleaved so that one `dot_i16x8` does both rows' products.
 */
static inline void axpy2_q8_i32(int16_t w0, int16_t w1, const int8_t *q0, const int8_t *q1,
                                int32_t *acc, int32_t n) {
  v128_t wp = wasm_i32x4_splat((int32_t)(((uint32_t)(uint16_t)w1 << 16) | (uint16_t)w0));
  int32_t j = 0;
  for (; j + 16 <= n; j += 16) {
    v128_t a = wasm_v128_load(q0 + j);
    v128_t b = wasm_v128_load(q1 + j);
    v128_t lo = wasm_i8x16_shuffle(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    v128_t hi = wasm_i8x16_shuffle(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30,
                                   15, 31);
    int32_t *y = acc + j;
    wasm_v128_store(y, wasm_i32x4_add(wasm_v128_load(y),
                                      wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(lo), wp)));
    wasm_v128_store(y + 4, wasm_i32x4_add(wasm_v128_load(y + 4),
                                          wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(lo), wp)));
    wasm_v128_store(y + 8, wasm_i32x4_add(wasm_v128_load(y + 8),
                                          wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(hi), wp)));
    wasm_v128_store(y + 12, wasm_i32x4_add(wasm_v128_load(y + 12),
                                           wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(hi), wp)));
  }
  for (; j < n; j++) acc[j] += (int32_t)w0 * q0[j] + (int32_t)w1 * q1[j];
}

/*
 * acc[j] += w0 q0[j] + w1 q1[j] + w2 q2[j] + w3 q3[j] in int32: axpy2_q8_i32 for two pairs of
 * rows, whose products are added before they meet acc, so acc is loaded and stored once per four
 * rows instead of once per two. Integer sums: the same result as two axpy2_q8_i32 calls.
 */
static inline void axpy4_q8_i32(int16_t w0, int16_t w1, int16_t w2, int16_t w3,
                                const int8_t *q0, const int8_t *q1, const int8_t *q2,
                                const int8_t *q3, int32_t *acc, int32_t n) {
  v128_t wa = wasm_i32x4_splat((int32_t)(((uint32_t)(uint16_t)w1 << 16) | (uint16_t)w0));
  v128_t wb = wasm_i32x4_splat((int32_t)(((uint32_t)(uint16_t)w3 << 16) | (uint16_t)w2));
  int32_t j = 0;
  for (; j + 16 <= n; j += 16) {
    v128_t a = wasm_v128_load(q0 + j), b = wasm_v128_load(q1 + j);
    v128_t c = wasm_v128_load(q2 + j), e = wasm_v128_load(q3 + j);
    v128_t lo = wasm_i8x16_shuffle(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    v128_t hi = wasm_i8x16_shuffle(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30,
                                   15, 31);
    v128_t lo2 = wasm_i8x16_shuffle(c, e, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    v128_t hi2 = wasm_i8x16_shuffle(c, e, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30,
                                    15, 31);
    int32_t *y = acc + j;
    v128_t p0 = wasm_i32x4_add(wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(lo), wa),
                               wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(lo2), wb));
    v128_t p1 = wasm_i32x4_add(wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(lo), wa),
                               wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(lo2), wb));
    v128_t p2 = wasm_i32x4_add(wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(hi), wa),
                               wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(hi2), wb));
    v128_t p3 = wasm_i32x4_add(wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(hi), wa),
                               wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(hi2), wb));
    wasm_v128_store(y, wasm_i32x4_add(wasm_v128_load(y), p0));
    wasm_v128_store(y + 4, wasm_i32x4_add(wasm_v128_load(y + 4), p1));
    wasm_v128_store(y + 8, wasm_i32x4_add(wasm_v128_load(y + 8), p2));
    wasm_v128_store(y + 12, wasm_i32x4_add(wasm_v128_load(y + 12), p3));
  }
  for (; j < n; j++) {
    acc[j] += (int32_t)w0 * q0[j] + (int32_t)w1 * q1[j] + (int32_t)w2 * q2[j] + (int32_t)w3 * q3[j];
  }
}

/* y[j] += scale * acc[j], then acc[j] = 0. */
static inline void flush_i32(int32_t *acc, float scale, float *y, int32_t n) {
  v128_t s = wasm_f32x4_splat(scale);
  int32_t j = 0;
  for (; j + 4 <= n; j += 4) {
    v128_t f = wasm_f32x4_convert_i32x4(wasm_v128_load(acc + j));
    wasm_v128_store(y + j, wasm_f32x4_add(wasm_v128_load(y + j), wasm_f32x4_mul(s, f)));
    wasm_v128_store(acc + j, wasm_i32x4_splat(0));
  }
  for (; j < n; j++) {
    y[j] += scale * (float)acc[j];
    acc[j] = 0;
  }
}

/* exp(x) for x <= 0: 2^n * 2^f with a degree-6 polynomial; relative error below 2e-7. */
__attribute__((unused)) static float exp_nonpositive(float x) {
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

/* exp_nonpositive on four lanes (the same polynomial; lanes below -87 give 0). */
static inline v128_t exp4_nonpositive(v128_t x) {
  v128_t t = wasm_f32x4_mul(x, wasm_f32x4_splat(1.4426950408889634f));
  v128_t n = wasm_f32x4_floor(wasm_f32x4_add(t, wasm_f32x4_splat(0.5f)));
  v128_t f = wasm_f32x4_sub(t, n);
  v128_t p = wasm_f32x4_splat(1.5403530393381606e-4f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, f), wasm_f32x4_splat(1.3333558146428443e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, f), wasm_f32x4_splat(9.6181291076284772e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, f), wasm_f32x4_splat(5.5504108664821580e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, f), wasm_f32x4_splat(2.4022650695910071e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, f), wasm_f32x4_splat(6.9314718055994531e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, f), wasm_f32x4_splat(1.0f));
  /* clamp the exponent so the shift stays in range; those lanes are zeroed below */
  v128_t ni = wasm_i32x4_max(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(-127));
  v128_t scale = wasm_i32x4_shl(wasm_i32x4_add(ni, wasm_i32x4_splat(127)), 23);
  v128_t r = wasm_f32x4_mul(p, scale);
  return wasm_v128_and(r, wasm_f32x4_ge(x, wasm_f32x4_splat(-87.0f)));
}

/*
 * sigmoid on four lanes, as 1 / (1 + e^-x) or e^x / (1 + e^x), whichever has
 * e <= 1: the same operations as the scalar form, so the same bits.
 */
static inline v128_t sigmoid4(v128_t x) {
  v128_t e = exp4_nonpositive(wasm_f32x4_neg(wasm_f32x4_abs(x)));
  v128_t denom = wasm_f32x4_add(wasm_f32x4_splat(1.0f), e);
  v128_t pos = wasm_f32x4_div(wasm_f32x4_splat(1.0f), denom);
  v128_t neg = wasm_f32x4_div(e, denom);
  return wasm_v128_bitselect(pos, neg, wasm_f32x4_ge(x, wasm_f32x4_splat(0.0f)));
}

/* tanh on four lanes: sign(x) (1 - e) / (1 + e), e = e^(-2|x|). */
static inline v128_t tanh4(v128_t x) {
  v128_t e = exp4_nonpositive(wasm_f32x4_mul(wasm_f32x4_splat(-2.0f), wasm_f32x4_abs(x)));
  v128_t one = wasm_f32x4_splat(1.0f);
  v128_t t = wasm_f32x4_div(wasm_f32x4_sub(one, e), wasm_f32x4_add(one, e));
  v128_t sign = wasm_v128_and(x, wasm_i32x4_splat((int32_t)0x80000000u));
  return wasm_v128_or(t, sign);
}

#endif
