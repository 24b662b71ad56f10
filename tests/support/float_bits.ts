/**
 * Bit-for-bit comparison of float32 arrays, for tests of code that must give
 * TF.js's values exactly (not within a tolerance).
 *
 * @module
 */

/**
 * The first index where `a` and `b` differ in their bits (a zero of either
 * sign matches a zero of either sign), 0 when their lengths differ, or -1
 * when they are the same.
 */
export function firstBitDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  const ia = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ib = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let j = 0; j < ia.length; j++) {
    if (ia[j] !== ib[j] && !(a[j] === 0 && b[j] === 0)) return j;
  }
  return -1;
}
