/*
 * Attention pooling over token features, forward and backward, with WASM SIMD.
 *
 * DReX scores token k of a review with s_k = w . (W_t e_k + b_t) and pools
 * t = sum_k a_k (W_t e_k + b_t), a = softmax(s). Because the weights a sum to
 * one, this equals W_t (sum_k a_k e_k) + b_t with scores e_k . v + const,
 * where v = W_t w. So the only work per token is two length-D passes: one dot
 * product and one scaled add. This file does exactly that work, and the
 * matching backward pass, for a batch of reviews. With d > 0 it also projects
 * each pooled row while it is in cache (t_m = pooled_m W, W being D x d) and,
 * backward, takes the gradient of t: it forms dpooled = G W^T itself and
 * adds pooled^T G to dW, so the D-wide pooled rows never leave the kernel in
 * a pass without gradients, and every product runs on the kernel's threads.
 *
 * Rows: token k of the batch starts at float offset rows[k] of `base`, so the
 * same code serves a packed per-token block (rows[k] = k * D) and a per-lemma
 * table (rows[k] = id_k * D). Review m owns tokens offsets[m] .. offsets[m+1].
 *
 * Build: deno task build:kernels (clang --target=wasm32 -msimd128).
 */
#include "simd_math.h"

/* a[start .. end) holds scores: replaces them with their softmax. */
static inline void softmax_in_place(float *a, int32_t start, int32_t end) {
  float mx = -3.4e38f;
  for (int32_t k = start; k < end; k++) {
    if (a[k] > mx) mx = a[k];
  }
  float z = 0.0f;
  for (int32_t k = start; k < end; k++) {
    float e = exp_nonpositive(a[k] - mx);
    a[k] = e;
    z += e;
  }
  float inv = 1.0f / z;
  for (int32_t k = start; k < end; k++) a[k] *= inv;
}

/* Per-thread scratch, 16-byte aligned pieces: D int16 (a quantized vector), D int32 (sums). */
static inline int32_t *scratch_acc(void *scratch, int32_t D) {
  return (int32_t *)((char *)scratch + ((2 * D + 15) / 16) * 16);
}

/*
 * Backward through the projection t = pooled W of M reviews, given G (the
 * gradient of t, M x d) and WT (W transposed, d x D): DP = G W^T (dpooled,
 * M x D, one review's row at a time) and dW = pooled^T G (D x d), each
 * element of dW summed over the reviews in order and written once.
 */
static void project_backward(const float *pooled, const float *G, const float *WT, int32_t M,
                             int32_t D, int32_t d, float *DP, float *dW) {
  rows_mat(G, d, 1, WT, M, d, D, DP, D);
  /* Row j of dW is column j of pooled (values D apart) times G. */
  rows_mat(pooled, 1, D, G, D, M, d, dW, d);
}

/*
 * The gradient of the pooled rows: g itself (d = 0, g is M x D), or (d > 0,
 * g is the gradient of t) DP after project_backward has filled it and dW.
 */
static inline const float *pooled_gradients(const float *pooled, const float *g, const float *WT,
                                            int32_t M, int32_t D, int32_t d, float *DP,
                                            float *dW) {
  if (d == 0) return g;
  project_backward(pooled, g, WT, M, D, d, DP, dW);
  return DP;
}

/*
 * Projects pooled rows as they are finished: once review m completes a group
 * of four (or is the last), t = pooled W for the group's rows, while they are
 * still in cache. Row by row this is vec_mat; the bits are the same.
 */
static inline void project_pooled(const float *pooled, const float *W, int32_t m, int32_t M,
                                  int32_t D, int32_t d, float *t) {
  if (m % 4 != 3 && m != M - 1) return;
  int32_t first = m - m % 4;
  rows_mat(pooled + (int64_t)first * D, D, 1, W, m - first + 1, D, d, t + (int64_t)first * d, d);
}

/*
 * Forward. For each review m: scores s_k = row_k . v, a = softmax(s) written
 * to a[k], pooled[m] = sum_k a_k row_k, and (d > 0) t[m] = pooled[m] W. An
 * empty review pools (and projects) to zeros.
 */
EXPORT("pool_forward")
void pool_forward(const float *base, const int32_t *rows, const int32_t *offsets, int32_t M,
                  int32_t D, const float *v, float *a, float *pooled, const float *W, int32_t d,
                  float *t) {
  for (int32_t m = 0; m < M; m++) {
    float *p = pooled + (int64_t)m * D;
    for (int32_t j = 0; j < D; j++) p[j] = 0.0f;
    int32_t start = offsets[m], end = offsets[m + 1];
    if (end > start) {
      for (int32_t k = start; k < end; k++) a[k] = dot(base + rows[k], v, D);
      softmax_in_place(a, start, end);
      for (int32_t k = start; k < end; k++) axpy(a[k], base + rows[k], p, D);
    }
    if (d > 0) project_pooled(pooled, W, m, M, D, d, t);
  }
}

/*
 * Backward. Given dpooled, the gradient with respect to v is
 * dv = sum_m sum_k a_k (row_k . dp_m - pooled_m . dp_m) row_k,
 * because sum_j a_j (row_j . dp_m) = pooled_m . dp_m. One pass over the rows.
 * `g` is dpooled (d = 0) or the gradient of t (d > 0; see pooled_gradients,
 * which then fills DP, M x D, and dW).
 */
EXPORT("pool_backward")
void pool_backward(const float *base, const int32_t *rows, const int32_t *offsets, int32_t M,
                   int32_t D, const float *a, const float *pooled, const float *g,
                   const float *WT, int32_t d, float *DP, float *dW, float *dv) {
  const float *dps = pooled_gradients(pooled, g, WT, M, D, d, DP, dW);
  for (int32_t j = 0; j < D; j++) dv[j] = 0.0f;
  for (int32_t m = 0; m < M; m++) {
    int32_t start = offsets[m], end = offsets[m + 1];
    if (end <= start) continue;
    const float *dp = dps + (int64_t)m * D;
    float c = dot(pooled + (int64_t)m * D, dp, D);
    for (int32_t k = start; k < end; k++) {
      const float *row = base + rows[k];
      float ds = a[k] * (dot(row, dp, D) - c);
      axpy(ds, row, dv, D);
    }
  }
}

/*
 * The same two passes over int8 features: token k's row is D bytes at
 * qbase + rows[k] * D, standing for q * scales[rows[k]] (one scale per
 * token row). The features stay where they are; nothing is gathered.
 *
 * The arithmetic is integer: the scoring vector (and, backward, each review's
 * upstream gradient) is quantized to int16 with one scale, so every score is
 * an exact int8 x int16 dot product; each review's token weights (backward:
 * its tokens' coefficients) are quantized to int16 against their largest, and
 * the weighted rows are summed in int32, two rows per instruction, then
 * scaled back to floats. The quantization steps are 1/32767 of the largest
 * value, far below the int8 rows' own (1/127 of each row's largest).
 *
 * `tmp`: one float per token (indexed like `a`); `scratch`: per thread.
 */

/* Tokens summed in int32 before a flush to floats: 256 * 32767 * 127 < 2^31. */
#define FLUSH_TOKENS 256

/*
 * y += sum_k c[k] * row_k over tokens start .. end: each c[k] is quantized to
 * int16 as c[k] * inv (inv = 32767 / largest |c|), the rows are summed in
 * int32 with those weights, and the sum is scaled back by cs = 1 / inv.
 */
static inline void weighted_rows_q8(const int8_t *qbase, const int32_t *rows, const float *c,
                                    int32_t start, int32_t end, float inv, float cs, int32_t D,
                                    int32_t *acc, float *y) {
  int32_t since = 0;
  int32_t k = start;
  /* Four rows at a time; flushes fall every FLUSH_TOKENS tokens as with two (a multiple of four). */
  for (; k + 3 < end; k += 4) {
    const int8_t *q = qbase;
    axpy4_q8_i32((int16_t)__builtin_rintf(c[k] * inv), (int16_t)__builtin_rintf(c[k + 1] * inv),
                 (int16_t)__builtin_rintf(c[k + 2] * inv), (int16_t)__builtin_rintf(c[k + 3] * inv),
                 q + (int64_t)rows[k] * D, q + (int64_t)rows[k + 1] * D,
                 q + (int64_t)rows[k + 2] * D, q + (int64_t)rows[k + 3] * D, acc, D);
    since += 4;
    if (since >= FLUSH_TOKENS) {
      flush_i32(acc, cs, y, D);
      since = 0;
    }
  }
  for (; k + 1 < end; k += 2) {
    int16_t w0 = (int16_t)__builtin_rintf(c[k] * inv);
    int16_t w1 = (int16_t)__builtin_rintf(c[k + 1] * inv);
    axpy2_q8_i32(w0, w1, qbase + (int64_t)rows[k] * D, qbase + (int64_t)rows[k + 1] * D, acc, D);
    since += 2;
    if (since >= FLUSH_TOKENS) {
      flush_i32(acc, cs, y, D);
      since = 0;
    }
  }
  if (k < end) {
    const int8_t *row = qbase + (int64_t)rows[k] * D;
    axpy2_q8_i32((int16_t)__builtin_rintf(c[k] * inv), 0, row, row, acc, D);
  }
  flush_i32(acc, cs, y, D);
}

/* Largest |c[k]| over start .. end. */
static inline float max_abs(const float *c, int32_t start, int32_t end) {
  float mx = 0.0f;
  for (int32_t k = start; k < end; k++) {
    float x = c[k] < 0.0f ? -c[k] : c[k];
    if (x > mx) mx = x;
  }
  return mx;
}

EXPORT("pool_forward_q8")
void pool_forward_q8(const int8_t *qbase, const float *scales, const int32_t *rows,
                     const int32_t *offsets, int32_t M, int32_t D, const float *v, float *a,
                     float *pooled, const float *W, int32_t d, float *t, float *tmp,
                     void *scratch) {
  int16_t *v16 = (int16_t *)scratch;
  int32_t *acc = scratch_acc(scratch, D);
  float vs = quantize_i16(v, D, v16);
  for (int32_t j = 0; j < D; j++) acc[j] = 0;
  for (int32_t m = 0; m < M; m++) {
    float *p = pooled + (int64_t)m * D;
    for (int32_t j = 0; j < D; j++) p[j] = 0.0f;
    int32_t start = offsets[m], end = offsets[m + 1];
    if (end > start) {
      for (int32_t k = start; k < end; k++) {
        a[k] = scales[rows[k]] * vs * dot_q8_i16(qbase + (int64_t)rows[k] * D, v16, D);
      }
      softmax_in_place(a, start, end);
      for (int32_t k = start; k < end; k++) tmp[k] = a[k] * scales[rows[k]];
      float mx = max_abs(tmp, start, end);
      if (mx > 0.0f) {
        weighted_rows_q8(qbase, rows, tmp, start, end, 32767.0f / mx, mx / 32767.0f, D, acc, p);
      }
    }
    if (d > 0) project_pooled(pooled, W, m, M, D, d, t);
  }
}

EXPORT("pool_backward_q8")
void pool_backward_q8(const int8_t *qbase, const float *scales, const int32_t *rows,
                      const int32_t *offsets, int32_t M, int32_t D, const float *a,
                      const float *pooled, const float *g, const float *WT, int32_t d,
                      float *DP, float *dW, float *dv, float *tmp, void *scratch) {
  int16_t *dp16 = (int16_t *)scratch;
  int32_t *acc = scratch_acc(scratch, D);
  const float *dps = pooled_gradients(pooled, g, WT, M, D, d, DP, dW);
  for (int32_t j = 0; j < D; j++) {
    dv[j] = 0.0f;
    acc[j] = 0;
  }
  for (int32_t m = 0; m < M; m++) {
    int32_t start = offsets[m], end = offsets[m + 1];
    if (end <= start) continue;
    const float *dp = dps + (int64_t)m * D;
    float c = dot(pooled + (int64_t)m * D, dp, D);
    float sdp = quantize_i16(dp, D, dp16);
    for (int32_t k = start; k < end; k++) {
      int32_t r = rows[k];
      float x = scales[r] * sdp * dot_q8_i16(qbase + (int64_t)r * D, dp16, D);
      tmp[k] = a[k] * (x - c) * scales[r];
    }
    float mx = max_abs(tmp, start, end);
    if (mx == 0.0f) continue;
    weighted_rows_q8(qbase, rows, tmp, start, end, 32767.0f / mx, mx / 32767.0f, D, acc, dv);
  }
}
