/**
 * DMF's training: each epoch draws fresh negatives, shuffles the training
 * ratings and negatives together, and takes Adam steps on the normalised
 * cross-entropy of the towers' cosine similarity (Xue et al., 2017, eq. 13).
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import type { Rng } from "../../random.ts";
import type { RatedPairs } from "../common/rated_pairs.ts";
import { randomPermutation } from "../common/permutation.ts";
import type { SparseRows } from "../common/sparse_rows.ts";
import { sampleNegatives } from "./negative_sampling.ts";
import type { ResolvedDmfOptions } from "./options.ts";
import { sparseInput, type Tower, towerForward, towerVariables, towerWeightNorm } from "./tower.ts";

/** The floor μ on predictions inside the logarithm (the paper's 1e-6), mirrored below 1. */
export const MIN_SCORE = 1e-6;

/** Everything one epoch reads. */
export interface DmfTrainingData {
  /** Training ratings. */
  train: RatedPairs;
  /** Training ratings by user: the user tower's inputs. */
  byUser: SparseRows;
  /** Training ratings by item: the item tower's inputs. */
  byItem: SparseRows;
  /** Per user, its training items, sorted (never sampled as negatives). */
  trainItems: Int32Array[];
  /** The largest training rating; labels are `rating / maxRating`. */
  maxRating: number;
}

/** The two towers. */
export interface DmfTowers {
  /** Over user rows. */
  user: Tower;
  /** Over item columns. */
  item: Tower;
}

/** Distinct values of `ids` in first-seen order, and each entry's position among them. */
function uniqueWithPositions(ids: Int32Array): { unique: Int32Array; positions: Int32Array } {
  const seen = new Map<number, number>();
  const positions = new Int32Array(ids.length);
  ids.forEach((id, j) => {
    let p = seen.get(id);
    if (p === undefined) seen.set(id, p = seen.size);
    positions[j] = p;
  });
  return { unique: Int32Array.from(seen.keys()), positions };
}

/** Cosine similarity of matching rows (call inside `tf.tidy`). */
export function rowCosine(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  const dot = tf.sum(tf.mul(a, b), 1);
  const na = tf.sum(tf.square(a), 1);
  const nb = tf.sum(tf.square(b), 1);
  return tf.div(dot, tf.sqrt(tf.add(tf.mul(na, nb), 1e-12)));
}

/** Mean normalised cross-entropy of `scores` against `labels` in [0, 1] (call inside `tf.tidy`). */
export function normalisedCrossEntropy(scores: tf.Tensor1D, labels: tf.Tensor1D): tf.Scalar {
  const y = tf.clipByValue(scores, MIN_SCORE, 1 - MIN_SCORE);
  const pos = tf.mul(labels, tf.log(y));
  const neg = tf.mul(tf.sub(1, labels), tf.log(tf.sub(1, y)));
  return tf.neg(tf.mean(tf.add(pos, neg)));
}

/** One epoch; returns the mean loss per training pair (ratings and negatives). */
export function trainDmfEpoch(
  towers: DmfTowers,
  data: DmfTrainingData,
  optimizer: tf.Optimizer,
  o: ResolvedDmfOptions,
  rng: Rng,
): number {
  const { train } = data;
  const numItems = data.byItem.numRows;
  const negatives = sampleNegatives(train.users, data.trainItems, numItems, o.negativeRatio, rng);
  const nPos = train.users.length;
  const n = nPos + negatives.users.length;
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  const labels = new Float32Array(n);
  users.set(train.users);
  users.set(negatives.users, nPos);
  items.set(train.items);
  items.set(negatives.items, nPos);
  for (let j = 0; j < nPos; j++) labels[j] = train.ratings[j] / data.maxRating;
  const order = randomPermutation(n, rng);
  const vars = [...towerVariables(towers.user), ...towerVariables(towers.item)];
  let total = 0;
  for (let start = 0; start < n; start += o.batchSize) {
    const batch = order.subarray(start, Math.min(n, start + o.batchSize));
    const u = uniqueWithPositions(Int32Array.from(batch, (j) => users[j]));
    const i = uniqueWithPositions(Int32Array.from(batch, (j) => items[j]));
    const userIn = sparseInput(data.byUser, u.unique);
    const itemIn = sparseInput(data.byItem, i.unique);
    const batchLabels = Float32Array.from(batch, (j) => labels[j]);
    let nce: tf.Scalar | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const uVec = tf.gather(towerForward(towers.user, userIn), tf.tensor1d(u.positions, "int32"));
      const iVec = tf.gather(towerForward(towers.item, itemIn), tf.tensor1d(i.positions, "int32"));
      const loss = normalisedCrossEntropy(rowCosine(uVec, iVec), tf.tensor1d(batchLabels));
      nce = tf.keep(tf.clone(loss));
      if (o.lambda === 0) return loss;
      const l2 = tf.add(towerWeightNorm(towers.user), towerWeightNorm(towers.item));
      return tf.add(loss, tf.mul(o.lambda, l2));
    }, vars);
    // TF.js's Adam keeps its moments by position: always the same variables in the same order.
    const ordered = vars.map((v) => ({ name: v.name, tensor: grads[v.name] ?? tf.zerosLike(v) }));
    optimizer.applyGradients(ordered);
    ordered.forEach((g) => g.tensor.dispose());
    value.dispose();
    total += nce!.dataSync()[0] * batch.length;
    nce!.dispose();
  }
  return total / Math.max(1, n);
}
