/**
 * A fixed one-thread workload timed next to `bench model`'s epochs, so that
 * epochs measured on different hosts, or in a slow phase of one, can be told
 * apart from changes in the code.
 *
 * This project's VM has run the same commit at 3.0 s and at 6.9 s per epoch
 * on different days, and runs minutes apart on one day differ by a fifth.
 * The probe is plain JavaScript that never changes with the project (unlike
 * the kernels it stands next to): attention pooling's two passes, a dot
 * product and a scaled add per token, over fixed rows that stay in cache.
 * Its time moves with the host's speed and with nothing else (for a given
 * Deno).
 *
 * @module
 */

/** Tokens per pass, their width, and passes per timing. */
const TOKENS = 64;
const DIM = 384;
const PASSES = 40;
/** Timings; the probe reports the fastest (the least disturbed). */
const REPEATS = 15;

/** One pass: scores, softmax, weighted sum (as the pooling kernel does, in scalar code). */
function poolOnce(rows: Float32Array, v: Float32Array, a: Float32Array, out: Float32Array): void {
  let mx = -Infinity;
  for (let k = 0; k < TOKENS; k++) {
    let s = 0;
    const at = k * DIM;
    for (let j = 0; j < DIM; j++) s += rows[at + j] * v[j];
    a[k] = s;
    if (s > mx) mx = s;
  }
  let z = 0;
  for (let k = 0; k < TOKENS; k++) z += a[k] = Math.exp(a[k] - mx);
  out.fill(0);
  for (let k = 0; k < TOKENS; k++) {
    const w = a[k] / z;
    const at = k * DIM;
    for (let j = 0; j < DIM; j++) out[j] += w * rows[at + j];
  }
}

/**
 * Nanoseconds per token of the fixed workload on this thread (the fastest of
 * a few timings, about 40 ms in all).
 */
export function hostProbeNsPerToken(): number {
  const rows = new Float32Array(TOKENS * DIM);
  for (let i = 0; i < rows.length; i++) rows[i] = ((i * 7919) % 2003) / 2003 - 0.5;
  const v = Float32Array.from({ length: DIM }, (_, j) => ((j * 104729) % 997) / 997 - 0.5);
  const a = new Float32Array(TOKENS);
  const out = new Float32Array(DIM);
  let fastest = Infinity;
  for (let rep = 0; rep < REPEATS; rep++) {
    const t = performance.now();
    for (let p = 0; p < PASSES; p++) poolOnce(rows, v, a, out);
    fastest = Math.min(fastest, performance.now() - t);
  }
  return (fastest * 1e6) / (PASSES * TOKENS);
}
