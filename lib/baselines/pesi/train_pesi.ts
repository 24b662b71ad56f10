/**
 * PESI's training loop: seeded shuffled mini-batches of training ratings,
 * each planned without gradients (documents without the target's review)
 * and stepped with Adam over the full, fixed variable list; validation after
 * each epoch from whole documents; early stopping that keeps the best
 * epoch's parameters (`runEpochLoop`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../../random.ts";
import type { FitHooks, FitReport } from "../../recommender.ts";
import { runEpochLoop, type ValidationErrors } from "../../train/early_stopping.ts";
import { PesiScorer } from "./pair_scores.ts";
import type { PartMasks, PesiNetwork } from "./pesi_network.ts";
import { type NamedVariables, pesiVariables } from "./pesi_params.ts";

/** Rated pairs: training targets (with their training rows) or validation pairs. */
export interface RatedPairs {
  /** Training row of each pair (for validation pairs: their position). */
  rows: Int32Array;
  /** User of each pair. */
  users: Int32Array;
  /** Item of each pair. */
  items: Int32Array;
  /** Rating of each pair. */
  ratings: Float32Array;
}

/** Clips a prediction to the rating scale. */
export function clip(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

/** MAE and RMSE of `predicted` (clipped to `[min, max]`) against `truth`; NaN for no pairs. */
export function ratingErrors(
  predicted: Float32Array,
  truth: Float32Array,
  min: number,
  max: number,
): ValidationErrors {
  if (truth.length === 0) return { mae: NaN, rmse: NaN };
  let abs = 0;
  let sq = 0;
  for (let j = 0; j < truth.length; j++) {
    const e = clip(predicted[j], min, max) - truth[j];
    abs += Math.abs(e);
    sq += e * e;
  }
  return { mae: abs / truth.length, rmse: Math.sqrt(sq / truth.length) };
}

/** The scorer of the network's current parameters (documents encoded from all training reviews). */
export function currentScorer(net: PesiNetwork): PesiScorer {
  const docs = net.encodeDocuments();
  return new PesiScorer(net.params, docs.user, docs.item);
}

function masks(B: number, d: number, rate: number, rng: Rng): PartMasks | undefined {
  if (rate <= 0) return undefined;
  const keep = 1 / (1 - rate);
  const one = () => {
    const values = new Float32Array(B * d);
    for (let j = 0; j < values.length; j++) values[j] = rng.next() < rate ? 0 : keep;
    return tf.tensor2d(values, [B, d]);
  };
  return [one(), one(), one(), one()];
}

/**
 * One Adam step on `net.batchLoss` over every variable in the order of
 * `vars` (TF.js's Adam keeps its moments by position, so the list must be
 * the same every step); frees every tensor of the step; returns the MSE.
 */
function step(
  optimizer: tf.Optimizer,
  vars: NamedVariables,
  f: () => { loss: tf.Scalar; mse: tf.Scalar },
): number {
  let mse: tf.Scalar | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const parts = f();
    mse = tf.keep(parts.mse);
    return parts.loss;
  }, vars.map(([, v]) => v));
  const ordered = vars.map(([, v]) => ({ name: v.name, tensor: grads[v.name] ?? tf.zerosLike(v) }));
  optimizer.applyGradients(ordered);
  for (const g of ordered) g.tensor.dispose();
  for (const t of Object.values(grads)) if (!t.isDisposed) t.dispose();
  value.dispose();
  const out = mse!.dataSync()[0];
  if (!mse!.isDisposed) mse!.dispose();
  return out;
}

/** Trains `net` with early stopping on `validation`; on return the variables hold the best epoch's values. */
export async function trainPesi(
  net: PesiNetwork,
  label: string,
  targets: RatedPairs,
  validation: RatedPairs,
  rng: Rng,
  hooks: FitHooks = {},
): Promise<FitReport> {
  const o = net.options;
  const vars = pesiVariables(net.params);
  const optimizer = tf.train.adam(o.learningRate);
  const batchRng = rng.fork();
  const dropRng = rng.fork();
  const N = targets.rows.length;
  try {
    return await runEpochLoop<tf.Tensor[]>({
      label,
      maxEpochs: o.maxEpochs,
      patience: o.patience,
      minDelta: o.minDelta,
      metric: o.stoppingMetric,
      runEpoch: () => {
        const order = batchRng.shuffle(Array.from({ length: N }, (_, j) => j));
        let sse = 0;
        for (let s = 0; s < N; s += o.batchSize) {
          const batch = order.slice(s, s + o.batchSize);
          const plan = net.planBatch(
            Int32Array.from(batch, (j) => targets.rows[j]),
            Int32Array.from(batch, (j) => targets.users[j]),
            Int32Array.from(batch, (j) => targets.items[j]),
            Float32Array.from(batch, (j) => targets.ratings[j]),
          );
          const B = batch.length;
          sse += B * step(optimizer, vars, () => {
            const m = masks(B, o.latentDim, o.dropout, dropRng);
            return net.batchLoss(plan, m);
          });
        }
        return sse / N;
      },
      validate: () => {
        if (validation.users.length === 0) return { mae: NaN, rmse: NaN };
        const predicted = currentScorer(net).predict(validation.users, validation.items);
        return ratingErrors(predicted, validation.ratings, o.ratingMin, o.ratingMax);
      },
      snapshot: () => vars.map(([, v]) => tf.clone(v)),
      restore: (kept) => vars.forEach(([, v], j) => v.assign(kept[j])),
      release: (kept) => kept.forEach((t) => t.dispose()),
    }, hooks);
  } finally {
    optimizer.dispose();
  }
}
