/**
 * The epoch loop every iterative model shares: run an epoch, validate, keep
 * the best parameters, stop after `patience` epochs without improvement,
 * report progress, honour an abort signal, and restore the best epoch. A
 * non-finite training loss ends the run with a `TrainingDivergedError`.
 *
 * @module
 */
import type { EpochRecord, FitHooks, FitReport } from "../recommender.ts";
import { ProgressBar } from "../util/progress_bar.ts";
import { TrainingDivergedError } from "./training_diverged_error.ts";

/** Validation errors after an epoch (NaN when there is nothing to validate on). */
export interface ValidationErrors {
  /** Validation MAE. */
  mae: number;
  /** Validation RMSE. */
  rmse: number;
}

/** The model-specific parts of a training run. */
export interface EpochLoopSpec<Snapshot> {
  /** Label of the progress bar, usually the model name. */
  label: string;
  /** Epoch limit. */
  maxEpochs: number;
  /** Epochs without improvement before stopping. */
  patience: number;
  /** Smallest decrease of the watched metric that counts as an improvement. */
  minDelta: number;
  /** `"mae"` or `"rmse"`: which validation error to watch. */
  metric: "mae" | "rmse";
  /** Runs one epoch (1-based); returns the mean training loss. */
  runEpoch(epoch: number): number | Promise<number>;
  /** Validation errors of the current parameters. */
  validate(): ValidationErrors;
  /** Copies the current parameters (called at each new best). */
  snapshot(): Snapshot;
  /** Puts a snapshot back (called once at the end). */
  restore(snapshot: Snapshot): void;
  /** Frees a snapshot that is no longer needed. */
  release(snapshot: Snapshot): void;
}

/**
 * Runs epochs until the epoch limit, `patience` epochs without improvement,
 * or `hooks.signal` aborts; then restores the best epoch's parameters. When
 * validation gives NaN (no validation ratings), every epoch counts as the
 * best, so the last one is kept.
 */
export async function runEpochLoop<Snapshot>(
  spec: EpochLoopSpec<Snapshot>,
  hooks: FitHooks = {},
): Promise<FitReport> {
  const bar = hooks.progress === false ? undefined : new ProgressBar(spec.label);
  const history: EpochRecord[] = [];
  const started = performance.now();
  let best = Infinity;
  let bestEpoch = 0;
  let kept: Snapshot | undefined;
  let sinceBest = 0;
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= spec.maxEpochs; epoch++) {
      const t0 = performance.now();
      const trainLoss = await spec.runEpoch(epoch);
      if (!Number.isFinite(trainLoss)) {
        throw new TrainingDivergedError(spec.label, epoch, trainLoss);
      }
      const { mae, rmse } = spec.validate();
      const record: EpochRecord = {
        epoch,
        trainLoss,
        validationMae: mae,
        validationRmse: rmse,
        seconds: (performance.now() - t0) / 1000,
      };
      history.push(record);
      const value = spec.metric === "mae" ? mae : rmse;
      if (Number.isNaN(value) || value < best - spec.minDelta) {
        if (!Number.isNaN(value)) best = value;
        bestEpoch = epoch;
        sinceBest = 0;
        if (kept !== undefined) spec.release(kept);
        kept = spec.snapshot();
      } else {
        sinceBest++;
      }
      bar?.update({
        done: epoch,
        total: spec.maxEpochs,
        fields: {
          loss: trainLoss,
          [`val ${spec.metric.toUpperCase()}`]: value,
          best: `${best.toFixed(4)}@${bestEpoch}`,
        },
      });
      hooks.onEpoch?.(record);
      // Let timers, progress output and abort handlers run between epochs.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (sinceBest > spec.patience || hooks.signal?.aborted) {
        stoppedEarly = epoch < spec.maxEpochs;
        break;
      }
    }
  } finally {
    bar?.finish();
    if (kept !== undefined) {
      spec.restore(kept);
      spec.release(kept);
    }
  }
  return { history, bestEpoch, stoppedEarly, seconds: (performance.now() - started) / 1000 };
}
