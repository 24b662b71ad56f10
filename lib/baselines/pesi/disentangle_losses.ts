/**
 * PESI's two disentanglement objectives, as plain differentiable functions.
 *
 * **Contrastive loss.** Each interaction `b` has a rating view and a review
 * view, each split into a shared part (`sR[b]`, `sT[b]`) and a private part
 * (`pR[b]`, `pT[b]`). With cosine similarity `c(x, y)` and temperature `τ`,
 * the rating-side anchor `sR[b]` must pick its positive `sT[b]` among the
 * candidates `{sT[c] : c in batch} ∪ {pR[b], pT[b]}`:
 *
 *     ℓR[b] = −log( exp(c(sR[b], sT[b])/τ) / (Σ_c exp(c(sR[b], sT[c])/τ)
 *                    + exp(c(sR[b], pR[b])/τ) + exp(c(sR[b], pT[b])/τ)) )
 *
 * and symmetrically `ℓT[b]` for the anchor `sT[b]` (candidates `sR[c]`,
 * `pT[b]`, `pR[b]`). The loss is `(mean ℓR + mean ℓT) / 2`: shared parts of
 * the same interaction's two views are pulled together; shared parts of
 * other interactions, and the interaction's own private parts, are pushed
 * apart, which is what separates shared from private features.
 *
 * **Entropy regulariser.** The rating head weighs the four parts with a
 * softmax over per-part scores; the regulariser is the mean Shannon entropy
 * (natural log) of those weights, `−mean_b Σ_k a_bk log a_bk`, added to the
 * loss (entropy minimisation: each prediction commits to the parts it
 * relies on, e.g. the private rating part where a review's sentiment
 * disagrees with the rating).
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";

function unit(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), 1, true), 1e-12))) as tf.Tensor2D;
}

/** Mean over rows of `−log softmax(logits)[b, b]` (the positive is the diagonal of the first `B` columns). */
function diagonalNll(logits: tf.Tensor2D): tf.Scalar {
  const [B, C] = logits.shape;
  const target = tf.concat([tf.eye(B), tf.zeros([B, C - B])], 1);
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), target), 1))) as tf.Scalar;
}

/**
 * The symmetric contrastive loss of shared parts `sR`, `sT` with the private
 * parts `pR`, `pT` as extra negatives (all `[B, d]`); see the module doc.
 */
export function contrastiveLoss(
  sR: tf.Tensor2D,
  sT: tf.Tensor2D,
  pR: tf.Tensor2D,
  pT: tf.Tensor2D,
  temperature: number,
): tf.Scalar {
  return tf.tidy(() => {
    const [a, b, c, e] = [unit(sR), unit(sT), unit(pR), unit(pT)];
    const own = (x: tf.Tensor2D, y: tf.Tensor2D) => tf.sum(tf.mul(x, y), 1, true);
    const cross = tf.matMul(a, b, false, true);
    const rating = tf.concat([cross, own(a, c), own(a, e)], 1);
    const review = tf.concat([tf.transpose(cross), own(b, e), own(b, c)], 1);
    const scale = 1 / temperature;
    const lR = diagonalNll(tf.mul(rating, scale) as tf.Tensor2D);
    const lT = diagonalNll(tf.mul(review, scale) as tf.Tensor2D);
    return tf.mul(tf.add(lR, lT), 0.5) as tf.Scalar;
  });
}

/** Mean entropy of `softmax(scores)` over the rows of `scores` (`[B, K]`); see the module doc. */
export function fusionEntropy(scores: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(scores);
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.exp(logp), logp), 1))) as tf.Scalar;
  });
}
