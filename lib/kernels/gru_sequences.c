/*
 * A GRU run over a batch of whole sequences, forward and backward (BPTT),
 * with WASM SIMD.
 *
 * DReX refines each user's (and item's) representation with a GRU, one
 * interaction at a time. Run step by step as TF.js operations, every step
 * costs a few dozen kernel dispatches, and an epoch at the paper's size has
 * thousands of steps: the dispatch overhead, not the arithmetic, dominated
 * training time. This kernel runs all the steps of a batch in one call.
 *
 * Layout (as in sequence_batches.ts): sequences sorted longest first; at step
 * t the first active[t] sequences take a step; inputs and recorded states are
 * time-major (row = offset_t + b). Inputs are already projected:
 *   xzr = x W_zr + b_zr  [M, 2d]   (update gate | reset gate)
 *   xh  = x W_h  + b_h   [M, d]
 * Step (standard GRU):
 *   z = sigmoid(xz + h U_z), r = sigmoid(xr + h U_r)     (U_zr = [U_z | U_r], d x 2d)
 *   c = tanh(xh + (r * h) U_h)                           (U_h, d x d)
 *   h' = h + z * (c - h)
 * Threads: a call runs the sequences b = part, part + parts, ... (each
 * sequence's steps are independent of the others'), so two threads can run
 * one batch, each with its own scratch and, backward, its own dU sums.
 *
 * Outputs: before[row] = h entering the step, final[b] = h after the
 * sequence's last step; z, r, c are kept for the backward pass.
 *
 * Build: deno task build:kernels.
 */
#include "simd_math.h"

static inline float sigmoid(float x) {
  if (x >= 0.0f) return 1.0f / (1.0f + exp_nonpositive(-x));
  float e = exp_nonpositive(x);
  return e / (1.0f + e);
}

static inline float tanh_(float x) {
  float e = exp_nonpositive(-2.0f * (x < 0.0f ? -x : x));
  float t = (1.0f - e) / (1.0f + e);
  return x < 0.0f ? -t : t;
}

/*
 * One step of one sequence: h (d values) becomes h' in place, from the
 * projected inputs xz (2d: update | reset) and xhr (d). z, r and c receive the
 * gates and the candidate; hz (2d) and tmp (d) are scratch.
 */
static inline void gru_step(float *hb, const float *xz, const float *xhr, const float *uzr,
                            const float *uh, int32_t d, float *z, float *r, float *c, float *hz,
                            float *tmp) {
  const int32_t d2 = 2 * d;
  /* hz = h U_zr */
  vec_mat(hb, uzr, d, d2, hz);
  int32_t j = 0;
  for (; j + 4 <= d; j += 4) {
    wasm_v128_store(z + j, sigmoid4(wasm_f32x4_add(wasm_v128_load(xz + j),
                                                   wasm_v128_load(hz + j))));
    wasm_v128_store(r + j, sigmoid4(wasm_f32x4_add(wasm_v128_load(xz + d + j),
                                                   wasm_v128_load(hz + d + j))));
    wasm_v128_store(tmp + j, wasm_f32x4_mul(wasm_v128_load(r + j), wasm_v128_load(hb + j)));
  }
  for (; j < d; j++) {
    z[j] = sigmoid(xz[j] + hz[j]);
    r[j] = sigmoid(xz[d + j] + hz[d + j]);
    tmp[j] = r[j] * hb[j];
  }
  /* hz[0 .. d) = (r * h) U_h */
  vec_mat(tmp, uh, d, d, hz);
  for (j = 0; j + 4 <= d; j += 4) {
    v128_t cj = tanh4(wasm_f32x4_add(wasm_v128_load(xhr + j), wasm_v128_load(hz + j)));
    wasm_v128_store(c + j, cj);
    v128_t h0 = wasm_v128_load(hb + j);
    wasm_v128_store(hb + j, wasm_f32x4_add(h0, wasm_f32x4_mul(wasm_v128_load(z + j),
                                                             wasm_f32x4_sub(cj, h0))));
  }
  for (; j < d; j++) {
    c[j] = tanh_(xhr[j] + hz[j]);
    hb[j] = hb[j] + z[j] * (c[j] - hb[j]);
  }
}

/*
 * Forward. h (B x d) is working state, initialised from h0 by the caller's
 * copy; hz (2d) and tmp (d) are scratch. After the call h holds the final
 * states.
 */
EXPORT("gru_forward")
void gru_forward(int32_t T, const int32_t *active, int32_t d, const float *xzr, const float *xh,
                 const float *uzr, const float *uh, float *h, float *before, float *z_out,
                 float *r_out, float *c_out, float *hz, float *tmp, int32_t part,
                 int32_t parts) {
  int32_t offset = 0;
  for (int32_t t = 0; t < T; t++) {
    const int32_t n = active[t];
    for (int32_t b = part; b < n; b += parts) {
      const int32_t row = offset + b;
      float *hb = h + (int64_t)b * d;
      float *bef = before + (int64_t)row * d;
      for (int32_t j = 0; j < d; j++) bef[j] = hb[j];
      const int64_t at = (int64_t)row * d;
      gru_step(hb, xzr + 2 * at, xh + at, uzr, uh, d, z_out + at, r_out + at, c_out + at, hz, tmp);
    }
    offset += n;
  }
}

/*
 * Backward (BPTT). dh (B x d) enters holding d(loss)/d(final) and leaves
 * holding d(loss)/d(h0). dbefore is d(loss)/d(before) per row. Gradients of
 * xzr and xh are written per row; duzr and duh are accumulated (the caller
 * zeroes them). Scratch: da (2d), drh (d).
 */
EXPORT("gru_backward")
void gru_backward(int32_t T, const int32_t *active, int32_t M, int32_t d, const float *uzr,
                  const float *uh, const float *before, const float *z_in, const float *r_in,
                  const float *c_in, const float *dbefore, float *dh, float *dxzr, float *dxh,
                  float *duzr, float *duh, float *da, float *drh, int32_t part,
                  int32_t parts) {
  const int32_t d2 = 2 * d;
  int32_t end = M;
  for (int32_t t = T - 1; t >= 0; t--) {
    const int32_t n = active[t];
    const int32_t start = end - n;
    for (int32_t b = part; b < n; b += parts) {
      const int32_t row = start + b;
      const float *h = before + (int64_t)row * d;
      const float *z = z_in + (int64_t)row * d;
      const float *r = r_in + (int64_t)row * d;
      const float *c = c_in + (int64_t)row * d;
      float *g = dh + (int64_t)b * d; /* in: d/dh', out: d/dh */
      float *gxh = dxh + (int64_t)row * d;
      /* through h' = h + z (c - h): dc, dz; the direct path (1 - z) stays in g */
      for (int32_t j = 0; j < d; j++) {
        const float dhp = g[j];
        const float dc = dhp * z[j];
        gxh[j] = dc * (1.0f - c[j] * c[j]); /* d(pre-tanh) */
        da[j] = dhp * (c[j] - h[j]) * z[j] * (1.0f - z[j]); /* d(pre-sigmoid z) */
        g[j] = dhp * (1.0f - z[j]);
      }
      /* through c = tanh(xh + (r h) U_h): dU_h += (r h)^T dpre, d(r h) = dpre U_h^T */
      for (int32_t k = 0; k < d; k++) {
        const float rh = r[k] * h[k];
        axpy(rh, gxh, duh + (int64_t)k * d, d);
        drh[k] = dot(gxh, uh + (int64_t)k * d, d);
      }
      for (int32_t k = 0; k < d; k++) {
        g[k] += drh[k] * r[k];
        const float dr = drh[k] * h[k];
        da[d + k] = dr * r[k] * (1.0f - r[k]); /* d(pre-sigmoid r) */
      }
      float *gxzr = dxzr + (int64_t)row * d2;
      for (int32_t j = 0; j < d2; j++) gxzr[j] = da[j];
      /* through the gates' h U_zr: dU_zr += h^T da, dh += da U_zr^T */
      for (int32_t k = 0; k < d; k++) {
        axpy(h[k], da, duzr + (int64_t)k * d2, d2);
        g[k] += dot(da, uzr + (int64_t)k * d2, d2);
      }
      /* the loss also reads this state directly */
      const float *db = dbefore + (int64_t)row * d;
      for (int32_t j = 0; j < d; j++) g[j] += db[j];
    }
    end = start;
  }
}

/*
 * States of whole sequences in a pass without gradients, one entity at a time
 * (no time-major layout, no recorded gates): entity e's rows, in time order,
 * are seq[off[e]] .. seq[off[e + 1] - 1], and row n's input is x[n] (dx
 * values), projected here (xzr = x W_xzr + b_zr, xh = x W_xh + b_h). From
 * h = h0[e], before[n] receives the readout before row n and final[e] the
 * readout after the last row: the state itself (mean = 0), or (mean != 0)
 * the mean of h0 and the states after each earlier row, summed in double
 * precision exactly as state_readout.ts sums them. Entities e = part,
 * part + parts, ... are this thread's. scratch: 10 d floats; sums: d doubles.
 */
EXPORT("gru_states")
void gru_states(int32_t E, const int32_t *off, const int32_t *seq, int32_t dx, int32_t d,
                const float *x, const float *wxzr, const float *bzr, const float *wxh,
                const float *bh, const float *uzr, const float *uh, const float *h0,
                float *before, float *final, float *scratch, double *sums, int32_t mean,
                int32_t part, int32_t parts) {
  const int32_t d2 = 2 * d;
  float *h = scratch;
  float *xz = h + d;
  float *xhr = xz + d2;
  float *hz = xhr + d;
  float *tmp = hz + d2;
  float *z = tmp + d;
  float *r = z + d;
  float *c = r + d;
  for (int32_t e = part; e < E; e += parts) {
    for (int32_t j = 0; j < d; j++) {
      h[j] = h0[(int64_t)e * d + j];
      sums[j] = 0.0;
    }
    const int32_t first = off[e], last = off[e + 1];
    for (int32_t k = first; k < last; k++) {
      const int32_t n = seq[k];
      float *bef = before + (int64_t)n * d;
      if (mean) {
        const double inv = 1.0 / (double)(k - first + 1);
        for (int32_t j = 0; j < d; j++) {
          const double s = sums[j] + (double)h[j];
          sums[j] = s;
          bef[j] = (float)(s * inv);
        }
      } else {
        for (int32_t j = 0; j < d; j++) bef[j] = h[j];
      }
      const float *xn = x + (int64_t)n * dx;
      vec_mat(xn, wxzr, dx, d2, xz);
      for (int32_t j = 0; j < d2; j++) xz[j] += bzr[j];
      vec_mat(xn, wxh, dx, d, xhr);
      for (int32_t j = 0; j < d; j++) xhr[j] += bh[j];
      gru_step(h, xz, xhr, uzr, uh, d, z, r, c, hz, tmp);
    }
    float *fin = final + (int64_t)e * d;
    if (mean) {
      const double inv = 1.0 / (double)(last - first + 1);
      for (int32_t j = 0; j < d; j++) fin[j] = (float)((sums[j] + (double)h[j]) * inv);
    } else {
      for (int32_t j = 0; j < d; j++) fin[j] = h[j];
    }
  }
}
