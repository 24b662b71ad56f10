/*
 * Attention pooling over token features, forward and backward, with WASM SIMD.
 *
 * DReX scores token k of a review with s_k = w . (W_t e_k + b_t) and pools
 * t = sum_k a_k (W_t e_k + b_t), a = softmax(s). Because the weights a sum to
 * one, this equals W_t (sum_k a_k e_k) + b_t with scores e_k . v + const,
 * where v = W_t w. So the only work per token is two length-D passes: one dot
 * product and one scaled add. This file does exactly that work, and the
 * matching backward pass, for a batch of reviews; the D -> d projection stays
 * a single TF.js matMul per batch.
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

/*
 * Forward. For each review m: scores s_k = row_k . v, a = softmax(s) written
 * to a[k], pooled[m] = sum_k a_k row_k. An empty review pools to zeros.
 */
EXPORT("pool_forward")
void pool_forward(const float *base, const int32_t *rows, const int32_t *offsets, int32_t M,
                  int32_t D, const float *v, float *a, float *pooled) {
  for (int32_t m = 0; m < M; m++) {
    float *p = pooled + (int64_t)m * D;
    for (int32_t j = 0; j < D; j++) p[j] = 0.0f;
    int32_t start = offsets[m], end = offsets[m + 1];
    if (end <= start) continue;
    for (int32_t k = start; k < end; k++) a[k] = dot(base + rows[k], v, D);
    softmax_in_place(a, start, end);
    for (int32_t k = start; k < end; k++) axpy(a[k], base + rows[k], p, D);
  }
}

/*
 * Backward. Given dpooled, the gradient with respect to v is
 * dv = sum_m sum_k a_k (row_k . dp_m - pooled_m . dp_m) row_k,
 * because sum_j a_j (row_j . dp_m) = pooled_m . dp_m. One pass over the rows.
 */
EXPORT("pool_backward")
void pool_backward(const float *base, const int32_t *rows, const int32_t *offsets, int32_t M,
                   int32_t D, const float *a, const float *pooled, const float *dpooled, float *dv) {
  for (int32_t j = 0; j < D; j++) dv[j] = 0.0f;
  for (int32_t m = 0; m < M; m++) {
    int32_t start = offsets[m], end = offsets[m + 1];
    if (end <= start) continue;
    const float *dp = dpooled + (int64_t)m * D;
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
 */
EXPORT("pool_forward_q8")
void pool_forward_q8(const int8_t *qbase, const float *scales, const int32_t *rows,
                     const int32_t *offsets, int32_t M, int32_t D, const float *v, float *a,
                     float *pooled) {
  for (int32_t m = 0; m < M; m++) {
    float *p = pooled + (int64_t)m * D;
    for (int32_t j = 0; j < D; j++) p[j] = 0.0f;
    int32_t start = offsets[m], end = offsets[m + 1];
    if (end <= start) continue;
    for (int32_t k = start; k < end; k++) {
      a[k] = scales[rows[k]] * dot_q8(qbase + (int64_t)rows[k] * D, v, D);
    }
    softmax_in_place(a, start, end);
    for (int32_t k = start; k < end; k++) {
      axpy_q8(a[k] * scales[rows[k]], qbase + (int64_t)rows[k] * D, p, D);
    }
  }
}

EXPORT("pool_backward_q8")
void pool_backward_q8(const int8_t *qbase, const float *scales, const int32_t *rows,
                      const int32_t *offsets, int32_t M, int32_t D, const float *a,
                      const float *pooled, const float *dpooled, float *dv) {
  for (int32_t j = 0; j < D; j++) dv[j] = 0.0f;
  for (int32_t m = 0; m < M; m++) {
    int32_t start = offsets[m], end = offsets[m + 1];
    if (end <= start) continue;
    const float *dp = dpooled + (int64_t)m * D;
    float c = dot(pooled + (int64_t)m * D, dp, D);
    for (int32_t k = start; k < end; k++) {
      int32_t r = rows[k];
      const int8_t *row = qbase + (int64_t)r * D;
      float ds = a[k] * (scales[r] * dot_q8(row, dp, D) - c);
      axpy_q8(ds * scales[r], row, dv, D);
    }
  }
}
