/**
 * DReX's training loop: epochs of a user-side pass then an item-side pass
 * (see `drex_network.ts` for why), validation after each epoch, early
 * stopping that keeps the best epoch's parameters, and a final pass that
 * builds the keyword profiles from the kept parameters.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import type { FitHooks, FitReport } from "../recommender.ts";
import type { Rng } from "../random.ts";
import { runEpochLoop, type ValidationErrors } from "../train/early_stopping.ts";
import { namedParams } from "./drex_params.ts";
import {
  disposeStates,
  type DrexNetwork,
  type PairInitials,
  type PassStates,
  predictRatings,
} from "./drex_network.ts";
import { type KeywordProfiles, ProfileAccumulator } from "./keyword_profiles.ts";
import { ParameterSteps } from "./parameter_steps.ts";
import { RowWiseTable } from "./row_wise_table.ts";
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
  /** Initial user representations (option `longTerm`). */
  userInitial?: tf.Tensor2D;
  /** Initial item representations (option `longTerm`). */
  itemInitial?: tf.Tensor2D;
  /** Top-K keyword profiles from the final pass. */
  profiles: KeywordProfiles;
}

/** The pairs' rows of the pass's initial representations (when the model has the long-term term). */
export function pairInitials(
  states: { userInitial?: tf.Tensor2D; itemInitial?: tf.Tensor2D },
  pairs: { users: Int32Array; items: Int32Array },
): PairInitials | undefined {
  if (!states.userInitial || !states.itemInitial) return undefined;
  return {
    user: tf.gather(states.userInitial, tf.tensor1d(pairs.users, "int32")),
    item: tf.gather(states.itemInitial, tf.tensor1d(pairs.items, "int32")),
  };
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
      pairs,
      pairInitials(states, pairs),
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

/** Trains one side for one pass; returns (sum of batch MSE × loss rows, loss rows). */
function trainSide(
  net: DrexNetwork,
  side: Side,
  other: tf.Tensor2D,
  steps: ParameterSteps,
  rng: Rng,
  table?: RowWiseTable,
): [number, number] {
  const o = net.options;
  const sequences = side === "user" ? net.data.userSequences : net.data.itemSequences;
  const vars = net.variables(side).filter((v) => v !== table?.variable);
  let sse = 0;
  let rated = 0;
  for (const batch of planTrainingBatches(sequences, o.batchSize, o.maxBatchInteractions, rng)) {
    const count = net.targets(batch.order).count;
    if (count === 0) continue;
    let mse: tf.Scalar | undefined;
    // The table's rows of this batch, as a variable of their own (its gradient is theirs alone).
    const rows = table ? tf.tidy(() => tf.variable(table.rows(batch.entities))) : undefined;
    const otherRows = net.otherRows(batch, other);
    const { value, grads } = tf.variableGrads(() => {
      const parts = net.batchLoss(side, batch, otherRows, rng, rows);
      mse = tf.keep(parts.mse);
      return parts.loss;
    }, rows ? [...vars, rows] : vars);
    const named = Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));
    steps.clip(named);
    const byName = new Map(named.map((g) => [g.name, g.tensor]));
    steps.step(side, byName);
    if (table && rows) {
      table.step(batch.entities, byName.get(rows.name)!.dataSync() as Float32Array, steps.steps);
      rows.dispose();
    }
    named.forEach((g) => g.tensor.dispose());
    otherRows.dispose();
    value.dispose();
    sse += mse!.dataSync()[0] * count;
    rated += count;
    mse!.dispose();
  }
  return [sse, rated];
}

/** DReX-MLP's held-out rows for one epoch: a seeded `fraction` of the rated rows. */
function drawHoldout(net: DrexNetwork, rng: Rng): Uint8Array | null {
  const f = net.options.vectorHoldout;
  if (net.options.variant !== "drex-mlp" || f <= 0) return null;
  const mask = new Uint8Array(net.data.users.length);
  for (let n = 0; n < mask.length; n++) {
    if (!Number.isNaN(net.data.ratings[n]) && rng.next() < f) mask[n] = 1;
  }
  return mask;
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
  const { users, items } = net.params;
  // Representation tables are trained row by row (dense Adam's drift, or lazy Adam).
  const rowWise = (source: typeof users) =>
    source.kind === "table"
      ? new RowWiseTable(source.table, {
        learningRate: o.tableLearningRate,
        emaDecay: o.emaDecay,
        drift: !o.lazyTables,
      })
      : undefined;
  const tables = { user: rowWise(users), item: rowWise(items) };
  const rowWiseTables = [tables.user, tables.item].filter((t) => t !== undefined);
  const rowWiseVars = new Set(rowWiseTables.map((t) => t.variable));
  const trained = (side: Side) => net.variables(side).filter((v) => !rowWiseVars.has(v));
  const steps = new ParameterSteps(params, { user: trained("user"), item: trained("item") }, {
    ...o,
    // Weight decay shrinks weight matrices, not biases or representation tables.
    decayed: new Set(
      namedParams(net.params).filter(([name, v]) =>
        v.rank === 2 && !name.startsWith("users.table") && !name.startsWith("items.table")
      ).map(([, v]) => v),
    ),
    rowWise: rowWiseVars,
  });
  /** Trains one side; a table's values are in its RowWiseTable for the pass, averages refreshed after. */
  const pass = (side: Side, other: tf.Tensor2D): [number, number] => {
    const table = tables[side];
    table?.beginPass();
    steps.beginPass();
    try {
      return trainSide(net, side, other, steps, rng, table);
    } finally {
      table?.endPass();
      for (const t of rowWiseTables) steps.setAverage(t.variable, t.average(steps.steps));
    }
  };
  // Training passes need states under the current parameters (and the epoch's
  // held-out vectors); validation needs states under the evaluated parameters
  // (the moving average) with full vectors. When those coincide (the paper's
  // recipe), one pass per epoch serves both, as before.
  const separateEval = steps.averaging || o.variant === "drex-mlp" && o.vectorHoldout > 0;
  let states: PassStates | null = separateEval ? null : net.computeStates(["user", "item"]);
  let evalStates: PassStates | null = null;
  let report: FitReport;
  try {
    report = await runEpochLoop<tf.Tensor[]>({
      label: o.variant === "drex" ? "DReX" : "DReX-MLP",
      maxEpochs: o.maxEpochs,
      patience: o.patience,
      minDelta: o.minDelta,
      metric: o.stoppingMetric,
      runEpoch: () => {
        net.heldOut = drawHoldout(net, rng);
        if (states === null) states = net.computeStates(["item"]);
        const [sseU, nU] = pass("user", states.itemBefore!);
        disposeStates(states);
        states = net.computeStates(["user"]);
        const [sseI, nI] = pass("item", states.userBefore!);
        disposeStates(states);
        net.heldOut = null;
        if (separateEval) {
          states = null;
          if (evalStates) disposeStates(evalStates);
          evalStates = steps.withAverage(() => net.computeStates(["user", "item"]));
        } else {
          states = net.computeStates(["user", "item"]);
        }
        return (sseU + sseI) / Math.max(nU + nI, 1);
      },
      validate: () => validationErrors(net, (separateEval ? evalStates : states)!, validation),
      snapshot: () => steps.averageTensors() ?? params.map((v) => tf.clone(v)),
      restore: (kept) => params.forEach((v, j) => v.assign(kept[j])),
      release: (kept) => kept.forEach((t) => t.dispose()),
    }, hooks);
  } finally {
    net.heldOut = null;
    if (states) disposeStates(states);
    if (evalStates) disposeStates(evalStates);
    steps.dispose();
  }

  // Final pass with the kept parameters: final states and keyword profiles.
  const final = net.computeStates(["user", "item"], { collectAttention: true });
  const acc = new ProfileAccumulator(net.data.numUsers, net.data.numItems, o.profileVotes);
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
    userInitial: final.userInitial,
    itemInitial: final.itemInitial,
    profiles: acc.top(o.profileSize, net.pooler.features.vocab),
  };
}
