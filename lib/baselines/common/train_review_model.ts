/**
 * The training loop the review baselines (DeepCoNN, NARRE, PESI) share:
 * seeded shuffled mini-batches of training ratings, each planned without
 * gradients then stepped with Adam over a fixed variable list, with seeded
 * dropout masks; validation (clipped MAE and RMSE) after each epoch; early
 * stopping that keeps the best epoch's parameters (`runEpochLoop`).
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import type { Rng } from "../../random.ts";
import type { FitHooks, FitReport } from "../../recommender.ts";
import { runEpochLoop } from "../../train/early_stopping.ts";
import { adamStep, type StepLoss } from "./adam_step.ts";
import type { PairScorer } from "./pair_scorer.ts";
import { type NamedVariables, restoreVariables, snapshotVariables } from "./param_init.ts";
import { dropoutMask, type RatedPairs, ratingErrors, shuffledBatches } from "./training_pairs.ts";

/** The hyperparameters the loop reads. */
export interface ReviewTrainingOptions {
  /** Adam learning rate. */
  learningRate: number;
  /** Training ratings per mini-batch. */
  batchSize: number;
  /** Width of the dropout masks. */
  latentDim: number;
  /** Dropout rate (0: no masks). */
  dropout: number;
  /** Epoch limit. */
  maxEpochs: number;
  /** Epochs without improvement before stopping. */
  patience: number;
  /** Smallest improvement. */
  minDelta: number;
  /** Watched validation error. */
  stoppingMetric: "mae" | "rmse";
  /** Lowest rating (validation predictions are clipped to the scale). */
  ratingMin: number;
  /** Highest rating. */
  ratingMax: number;
}

/** A model's side of the loop. */
export interface ReviewModelTrainer<Plan> {
  /** Progress-bar label (the model name). */
  label: string;
  /** Hyperparameters. */
  options: ReviewTrainingOptions;
  /** Every trainable variable, in the optimiser's fixed order. */
  variables: NamedVariables;
  /**
   * Dropout masks per step (DeepCoNN and NARRE: 2, user then item side;
   * PESI: 4), each `[B, latentDim]`, drawn in order from the dropout stream.
   */
  masks: number;
  /** Prepares a batch of training targets without gradients. */
  plan(rows: Int32Array, users: Int32Array, items: Int32Array, ratings: Float32Array): Plan;
  /** The batch's loss, with gradients; `dropout` holds the step's masks (none when the rate is 0). */
  loss(plan: Plan, dropout?: readonly tf.Tensor2D[]): StepLoss;
  /** Predictions of the current parameters (documents from all training reviews), for validation. */
  scorer(): PairScorer;
}

/**
 * Trains with early stopping on the `validation` pairs (whose predictions
 * are clipped to the rating scale); on return the variables hold the best
 * epoch's values.
 */
export async function trainReviewModel<Plan>(
  trainer: ReviewModelTrainer<Plan>,
  targets: RatedPairs,
  validation: RatedPairs,
  rng: Rng,
  hooks: FitHooks = {},
): Promise<FitReport> {
  const o = trainer.options;
  const named = trainer.variables;
  const vars = named.map(([, v]) => v);
  const optimizer = tf.train.adam(o.learningRate);
  const batchRng = rng.fork();
  const dropRng = rng.fork();
  try {
    return await runEpochLoop<tf.Tensor[]>({
      label: trainer.label,
      maxEpochs: o.maxEpochs,
      patience: o.patience,
      minDelta: o.minDelta,
      metric: o.stoppingMetric,
      runEpoch: () => {
        let sse = 0;
        for (const batch of shuffledBatches(targets.rows.length, o.batchSize, batchRng)) {
          const plan = trainer.plan(
            Int32Array.from(batch, (j) => targets.rows[j]),
            Int32Array.from(batch, (j) => targets.users[j]),
            Int32Array.from(batch, (j) => targets.items[j]),
            Float32Array.from(batch, (j) => targets.ratings[j]),
          );
          const B = batch.length;
          sse += B * adamStep(optimizer, vars, () => {
            const masks: tf.Tensor2D[] = [];
            for (let m = 0; m < trainer.masks; m++) {
              const mask = dropoutMask(B, o.latentDim, o.dropout, dropRng);
              if (mask) masks.push(mask);
            }
            return trainer.loss(plan, masks.length > 0 ? masks : undefined);
          });
        }
        return sse / targets.rows.length;
      },
      validate: () => {
        if (validation.users.length === 0) return { mae: NaN, rmse: NaN };
        const predicted = trainer.scorer().predict(validation.users, validation.items);
        return ratingErrors(predicted, validation.ratings, o.ratingMin, o.ratingMax);
      },
      snapshot: () => snapshotVariables(named),
      restore: (kept) => restoreVariables(named, kept),
      release: (kept) => kept.forEach((t) => t.dispose()),
    }, hooks);
  } finally {
    optimizer.dispose();
  }
}
