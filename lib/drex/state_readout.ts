/**
 * The running-mean readout of GRU states (option `readout: "mean"`): what the
 * predictor reads for an entity's t-th interaction is the mean of its initial
 * representation and its states after each earlier interaction, and at
 * evaluation the mean over all its states. A GRU's last state forgets long-
 * term preference quickly (each update moves it toward the newest
 * interaction); the mean keeps it, as a matrix factorisation's factor does,
 * and still never includes the interaction being predicted.
 *
 * One differentiable operation over the kernel's time-major layout, summed in
 * double precision on the CPU (cheap: O(rows × d)).
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";

/**
 * Running means of `both` = `[before ; final]` (`[M + B, d]`, as
 * `runSequences` records them: `before` time-major with `active[t]` rows at
 * step `t`, `final` one row per sequence). Row `(t, b)` of the result is the
 * mean of sequence `b`'s rows at steps `0..t`; its final row is the mean of all
 * its `before` rows and its final state.
 */
export function runningMeanStates(both: tf.Tensor2D, active: Int32Array): tf.Tensor2D {
  const [rows, d] = both.shape;
  const B = active.length > 0 ? active[0] : 0;
  const M = rows - B;
  const lengths = new Int32Array(B);
  for (let t = 0; t < active.length; t++) for (let b = 0; b < active[t]; b++) lengths[b]++;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = (args[0] as tf.Tensor).dataSync() as Float32Array;
    const out = new Float32Array(rows * d);
    const sum = new Float64Array(B * d);
    let row = 0;
    for (let t = 0; t < active.length; t++) {
      const inv = 1 / (t + 1);
      for (let b = 0; b < active[t]; b++, row++) {
        for (let k = 0; k < d; k++) {
          const s = sum[b * d + k] + x[row * d + k];
          sum[b * d + k] = s;
          out[row * d + k] = s * inv;
        }
      }
    }
    for (let b = 0; b < B; b++) {
      const inv = 1 / (lengths[b] + 1);
      for (let k = 0; k < d; k++) {
        out[(M + b) * d + k] = (sum[b * d + k] + x[(M + b) * d + k]) * inv;
      }
    }
    const gradFunc = (dy: tf.Tensor) => {
      const g = dy.dataSync() as Float32Array;
      const dx = new Float32Array(rows * d);
      // acc[b] = Σ over later outputs that include this row, of their gradient / count.
      const acc = new Float64Array(B * d);
      for (let b = 0; b < B; b++) {
        const inv = 1 / (lengths[b] + 1);
        for (let k = 0; k < d; k++) {
          acc[b * d + k] = g[(M + b) * d + k] * inv;
          dx[(M + b) * d + k] = acc[b * d + k];
        }
      }
      let r = M;
      for (let t = active.length - 1; t >= 0; t--) {
        const inv = 1 / (t + 1);
        r -= active[t];
        for (let b = 0; b < active[t]; b++) {
          for (let k = 0; k < d; k++) {
            const a = acc[b * d + k] + g[(r + b) * d + k] * inv;
            acc[b * d + k] = a;
            dx[(r + b) * d + k] = a;
          }
        }
      }
      return [tf.tensor2d(dx, [rows, d])];
    };
    return { value: tf.tensor2d(out, [rows, d]), gradFunc };
  });
  return op(both) as tf.Tensor2D;
}
