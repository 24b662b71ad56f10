/*
 * Adam's step (and decoupled weight decay) over float32 arrays, with WASM
 * SIMD, rounding every operation to float32 in TF.js's order (see
 * float32_adam.ts): add, multiply, divide and square root are exact IEEE
 * operations here, as in TF.js's kernels, so the results are TF.js's bit for
 * bit. The same loop in JavaScript costs about 11 ns per value (every
 * operation in double, then rounded); here under 1.
 *
 * Build: deno task build:kernels.
 */
#include <stdint.h>
#include <wasm_simd128.h>

/* No fused multiply-adds: every product is rounded before it is added, as in TF.js. */
#pragma STDC FP_CONTRACT OFF

/*
 * One step over n values: w (the values), m and v (the moments) in place,
 * g the gradient (ignored when has_grad is 0: a zero gradient). c1, c2 are
 * 1 - beta^t; b1, b2 the betas, o1, o2 their complements; rate is minus the
 * learning rate; keep multiplies the stepped values (weight decay; 1 for none).
 */
__attribute__((export_name("adam_step"))) void adam_step(float *w, float *m, float *v,
                                                         const float *g, int32_t has_grad,
                                                         int32_t n, float c1, float c2, float b1,
                                                         float b2, float o1, float o2, float eps,
                                                         float rate, float keep) {
  const v128_t vc1 = wasm_f32x4_splat(c1), vc2 = wasm_f32x4_splat(c2);
  const v128_t vb1 = wasm_f32x4_splat(b1), vb2 = wasm_f32x4_splat(b2);
  const v128_t vo1 = wasm_f32x4_splat(o1), vo2 = wasm_f32x4_splat(o2);
  const v128_t veps = wasm_f32x4_splat(eps), vrate = wasm_f32x4_splat(rate);
  const v128_t vkeep = wasm_f32x4_splat(keep);
  int32_t i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t gi = has_grad ? wasm_v128_load(g + i) : wasm_f32x4_splat(0.0f);
    v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), vb1), wasm_f32x4_mul(gi, vo1));
    v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), vb2),
                               wasm_f32x4_mul(wasm_f32x4_mul(gi, gi), vo2));
    wasm_v128_store(m + i, mi);
    wasm_v128_store(v + i, vi);
    v128_t den = wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_div(vi, vc2)), veps);
    v128_t step = wasm_f32x4_mul(wasm_f32x4_div(wasm_f32x4_div(mi, vc1), den), vrate);
    v128_t wi = wasm_f32x4_add(step, wasm_v128_load(w + i));
    wasm_v128_store(w + i, wasm_f32x4_mul(wi, vkeep));
  }
  for (; i < n; i++) {
    float gi = has_grad ? g[i] : 0.0f;
    float mi = m[i] * b1 + gi * o1;
    float vi = v[i] * b2 + (gi * gi) * o2;
    m[i] = mi;
    v[i] = vi;
    float den = __builtin_sqrtf(vi / c2) + eps;
    float wi = ((mi / c1) / den) * rate + w[i];
    w[i] = wi * keep;
  }
}
