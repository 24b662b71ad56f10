import * as tf from "@tensorflow/tfjs";
import { contrastiveLoss, fusionEntropy } from "../lib/baselines/pesi/disentangle_losses.ts";
import { initBackend } from "../lib/backend/init.ts";
import { assertAlmostEquals, assertEquals, assertLess } from "./support/assert.ts";

await initBackend("wasm");

const t = (rows: number[][]) => tf.tensor2d(rows);
const { exp, log, SQRT2 } = Math;

Deno.test("contrastiveLoss equals the InfoNCE written out by hand on a two-pair example", () => {
  // Unit vectors after normalising: sR = (e1, e2); sT = ((1,1)/√2, e2);
  // pR = (e2, e1); pT = (−e1, (1,1)/√2). With τ = 0.5 every logit is 2·cosine.
  const sR = t([[1, 0], [0, 1]]);
  const sT = t([[3, 3], [0, 2]]); // lengths do not matter: cosines are used
  const pR = t([[0, 1], [1, 0]]);
  const pT = t([[-1, 0], [1, 1]]);
  const r = SQRT2; // 2 · (1/√2)
  // Rating anchors: candidates sT[0], sT[1], pR[b], pT[b]; the positive is sT[b].
  const lR0 = -log(exp(r) / (exp(r) + 1 + 1 + exp(-2)));
  const lR1 = -log(exp(2) / (exp(r) + exp(2) + 1 + exp(r)));
  // Review anchors: candidates sR[0], sR[1], pT[b], pR[b]; the positive is sR[b].
  const lT0 = -log(exp(r) / (exp(r) + exp(r) + exp(-r) + exp(r)));
  const lT1 = -log(exp(2) / (1 + exp(2) + exp(r) + 1));
  const expected = ((lR0 + lR1) / 2 + (lT0 + lT1) / 2) / 2;
  const loss = contrastiveLoss(sR, sT, pR, pT, 0.5);
  assertAlmostEquals(loss.dataSync()[0], expected, 1e-5);
  assertAlmostEquals(expected, 0.7373660382, 1e-9);
  tf.dispose([sR, sT, pR, pT, loss]);
});

Deno.test("contrastiveLoss is lower when each interaction's shared parts agree than when they are swapped", () => {
  const sR = t([[1, 0], [0, 1]]);
  const aligned = t([[1, 0.1], [0.1, 1]]);
  const swapped = t([[0.1, 1], [1, 0.1]]);
  const p = t([[0, -1], [-1, 0]]);
  const good = contrastiveLoss(sR, aligned, p, p, 0.2).dataSync()[0];
  const bad = contrastiveLoss(sR, swapped, p, p, 0.2).dataSync()[0];
  assertLess(good, bad);
  // A private part equal to the anchor is a hard negative: the loss rises.
  const hard = contrastiveLoss(sR, aligned, sR, p, 0.2).dataSync()[0];
  assertLess(good, hard);
  tf.dispose([sR, aligned, swapped, p]);
});

Deno.test("fusionEntropy is the mean Shannon entropy of the softmax rows", () => {
  // Row 1: uniform over four parts, entropy ln 4. Row 2: weights (1, 3, 2, 1) / 7.
  const scores = t([[0, 0, 0, 0], [0, log(3), log(2), 0]]);
  const row2 = log(7) - (3 * log(3) + 2 * log(2)) / 7;
  const h = fusionEntropy(scores);
  assertAlmostEquals(h.dataSync()[0], (log(4) + row2) / 2, 1e-6);
  // The uniform row is the maximum: its gradient is zero.
  const g = tf.grad((s: tf.Tensor) => fusionEntropy(s as tf.Tensor2D))(t([[0, 0, 0, 0]]));
  assertEquals(Array.from(g.dataSync(), (v) => Math.abs(v) < 1e-7), [true, true, true, true]);
  tf.dispose([scores, h, g]);
});
