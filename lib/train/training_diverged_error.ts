/**
 * The error a training run ends with when its loss stops being a finite
 * number: a model trained on to the end would only predict garbage, so we
 * stop at once and say which setting to change.
 *
 * @module
 */

/** Training diverged: the mean training loss of an epoch was NaN or infinite. */
export class TrainingDivergedError extends Error {
  /** The model's display name. */
  readonly model: string;
  /** The 1-based epoch whose loss was not finite. */
  readonly epoch: number;
  /** The epoch's mean training loss (NaN or ±Infinity). */
  readonly loss: number;
  /** Builds the error; the message advises a lower learning rate. */
  constructor(model: string, epoch: number, loss: number) {
    super(
      `${model}: training diverged in epoch ${epoch} (mean training loss ${loss}); ` +
        `lower the learning rate`,
    );
    this.name = "TrainingDivergedError";
    this.model = model;
    this.epoch = epoch;
    this.loss = loss;
  }
}
