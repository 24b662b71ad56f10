/**
 * DReX's training loop: epochs of a user-side pass then an item-side pass
 * (see `drex_network.ts` for why), validation after each epoch, early
 * stopping that keeps the best epoch's parameters, and a final pass that
 * builds the keyword profiles from the kept parameters.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { FitHooks, FitReport } from "../recommender.ts";
import type { Rng } from "../random.ts";
import { runEpochLoop, type ValidationErrors } from "../train/early_stopping.ts";
import { namedParams } from "./drex_params.ts";
import {
  disposeStates,
  type DrexNetwork,
  type PassStates,
  predictRatings,
} from "./drex_network.ts";
import { type KeywordProfiles, ProfileAccumulator } from "./keyword_profiles.ts";
import { planTrainingBatches } from "./sequence_batches.ts";
import type { Side } from "./sequences.ts";

/** Held-out pairs that early stopping is measured on. */
export interface ValidationPairs {
  /** User of each pair. */
  users: Int32Array;
  /** Item of each pair. */
  items: Int32Array;
  /** True rating of each pair. */
  ratings: Float32Array;
}

/** What training leaves behind. */
export interface TrainOutcome {
  /** History and stopping information. */
  report: FitReport;
  /** User states after all training interactions under the kept parameters, `[numUsers, d]`. */
  userFinal: tf.Tensor2D;
  /** Item states after all training interactions, `[numItems, d]`. */
  itemFinal: tf.Tensor2D;
  /** Top-K keyword profiles from the final pass. */
  profiles: KeywordProfiles;
}

/** Predictions for `pairs` from final states, clipped to the rating scale. */
function validationErrors(
  net: DrexNetwork,
  states: PassStates,
  pairs: ValidationPairs,
): ValidationErrors {
  if (pairs.users.length === 0 || !states.userFinal || !states.itemFinal) {
    return { mae: NaN, rmse: NaN };
  }
  const pred = tf.tidy(() =>
    predictRatings(
      net.params,
      tf.gather(states.userFinal!, tf.tensor1d(pairs.users, "int32")),
      tf.gather(states.itemFinal!, tf.tensor1d(pairs.items, "int32")),
    ).dataSync()
  );
  const { ratingMin, ratingMax } = net.options;
  let abs = 0;
  let sq = 0;
  for (let j = 0; j < pred.length; j++) {
    const e = Math.min(ratingMax, Math.max(ratingMin, pred[j])) - pairs.ratings[j];
    abs += Math.abs(e);
    sq += e * e;
  }
  return { mae: abs / pred.length, rmse: Math.sqrt(sq / pred.length) };
}

/** Trains one side for one pass; returns (sum of batch MSE × rated rows, rated rows). */
function trainSide(
  net: DrexNetwork,
  side: Side,
  other: tf.Tensor2D,
  optimizer: tf.Optimizer,
  rng: Rng,
): [number, number] {
  const o = net.options;
  const sequences = side === "user" ? net.data.userSequences : net.data.itemSequences;
  const vars = net.variables(side);
  let sse = 0;
  let rated = 0;
  for (const batch of planTrainingBatches(sequences, o.batchSize, o.maxBatchInteractions, rng)) {
    let count = 0;
    for (const n of batch.order) if (!Number.isNaN(net.data.ratings[n])) count++;
    if (count === 0) continue;
    let mse: tf.Scalar | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const parts = net.batchLoss(side, batch, other);
      mse = tf.keep(parts.mse);
      return parts.loss;
    }, vars);
    // TF.js's Adam keeps its moments by position in this list, so the list
    // must hold every variable of the side, in the same order, every step.
    const ordered = vars.map((v) => ({ name: v.name, tensor: grads[v.name] ?? tf.zerosLike(v) }));
    optimizer.applyGradients(ordered);
    ordered.forEach((g) => g.tensor.dispose());
    value.dispose();
    sse += mse!.dataSync()[0] * count;
    rated += count;
    mse!.dispose();
  }
  return [sse, rated];
}

/** Trains `net` with early stopping on `validation`; see the module doc. */
export async function trainDrex(
  net: DrexNetwork,
  validation: ValidationPairs,
  rng: Rng,
  hooks: FitHooks = {},
): Promise<TrainOutcome> {
  const o = net.options;
  const params = namedParams(net.params).map(([, v]) => v);
  // One Adam per side: each always updates the same variables in the same order.
  const optimizers = { user: tf.train.adam(o.learningRate), item: tf.train.adam(o.learningRate) };
  // States under the current parameters; refreshed after every epoch (and reused by the next).
  let states = net.computeStates(["user", "item"]);
  let report: FitReport;
  try {
    report = await runEpochLoop<tf.Tensor[]>({
      label: o.variant === "drex" ? "DReX" : "DReX-MLP",
      maxEpochs: o.maxEpochs,
      patience: o.patience,
      minDelta: o.minDelta,
      metric: o.stoppingMetric,
      runEpoch: () => {
        const [sseU, nU] = trainSide(net, "user", states.itemBefore!, optimizers.user, rng);
        disposeStates(states);
        states = net.computeStates(["user"]);
        const [sseI, nI] = trainSide(net, "item", states.userBefore!, optimizers.item, rng);
        disposeStates(states);
        states = net.computeStates(["user", "item"]);
        return (sseU + sseI) / Math.max(nU + nI, 1);
      },
      validate: () => validationErrors(net, states, validation),
      snapshot: () => params.map((v) => tf.clone(v)),
      restore: (kept) => params.forEach((v, j) => v.assign(kept[j])),
      release: (kept) => kept.forEach((t) => t.dispose()),
    }, hooks);
  } finally {
    disposeStates(states);
    optimizers.user.dispose();
    optimizers.item.dispose();
  }

  // Final pass with the kept parameters: final states and keyword profiles.
  const final = net.computeStates(["user", "item"], { collectAttention: true });
  const acc = new ProfileAccumulator(net.data.numUsers, net.data.numItems);
  const N = net.data.users.length;
  let offset = 0;
  for (const chunk of final.attention ?? []) {
    const rows = Int32Array.from({ length: chunk.reviews.length }, (_, j) => offset + j);
    acc.addBatch(chunk, rows, net.pooler.features.tokens, net.data.users, net.data.items);
    offset += chunk.reviews.length;
  }
  if (offset !== N) throw new Error(`DReX: profile pass covered ${offset} of ${N} training rows`);
  final.userBefore?.dispose();
  final.itemBefore?.dispose();
  return {
    report,
    userFinal: final.userFinal!,
    itemFinal: final.itemFinal!,
    profiles: acc.top(o.profileSize, net.pooler.features.vocab),
  };
}
