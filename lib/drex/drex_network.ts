/**
 * DReX's computation over the training data: interaction features, initial
 * representations, GRU passes that record every "state before", the rating
 * predictor, and the loss of one mini-batch.
 *
 * Batching without leakage (spec section 3, our choice): an epoch trains the
 * user side, then the item side. Training a side runs its GRU, with gradients,
 * over whole sequences of a mini-batch of entities, from their initial
 * representations; each rating is predicted from the states before its
 * interaction on both sides, where the other side's states come from a pass
 * without gradients under the current parameters and are held fixed. No state
 * used for a prediction has absorbed that interaction.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { AttentionPooler, PoolResult } from "../kernels/attention_pool.ts";
import { GruSequenceKernel } from "../kernels/gru_sequences.ts";
import {
  type DrexParams,
  type GruCell,
  namedParams,
  type RepresentationSource,
} from "./drex_params.ts";
import { projectInputs, runSequences } from "./gru.ts";
import { encodeInteractions, type InteractionInputs } from "./interaction_encoder.ts";
import type { ResolvedDrexOptions } from "./options.ts";
import type { SequenceBatch } from "./sequence_batches.ts";
import { planFullPassBatches } from "./sequence_batches.ts";
import type { Side } from "./sequences.ts";
import type { DrexTrainingData, SparseRatings } from "./training_data.ts";

/** Rows encoded per chunk in passes without gradients (bounds kernel and tensor memory). */
const ENCODE_CHUNK = 4096;

/** States of every training interaction and every entity after a pass without gradients. */
export interface PassStates {
  /** User state before each training row, `[N, d]` (when the user side was run). */
  userBefore?: tf.Tensor2D;
  /** Item state before each training row, `[N, d]`. */
  itemBefore?: tf.Tensor2D;
  /** User states after all training interactions, `[numUsers, d]`. */
  userFinal?: tf.Tensor2D;
  /** Item states after all training interactions, `[numItems, d]`. */
  itemFinal?: tf.Tensor2D;
  /** Attention records of the encoded chunks (only when asked for). */
  attention?: PoolResult[];
}

/** Disposes every tensor in `states`. */
export function disposeStates(states: PassStates): void {
  for (const t of [states.userBefore, states.itemBefore, states.userFinal, states.itemFinal]) {
    t?.dispose();
  }
}

/** One mini-batch's loss parts, kept as tensors until read. */
export interface BatchLoss {
  /** The objective minimised: MSE + scaled Frobenius penalty. */
  loss: tf.Scalar;
  /** Mean squared error over the batch's rated rows. */
  mse: tf.Scalar;
}

/** Predicts ratings from user and item states: `relu([h_u ; h_i] W1 + b1) W2 + b2`. */
export function predictRatings(params: DrexParams, hu: tf.Tensor2D, hi: tf.Tensor2D): tf.Tensor1D {
  const p = params.predictor;
  const hidden = tf.relu(tf.add(tf.add(tf.matMul(hu, p.w1u), tf.matMul(hi, p.w1i)), p.b1));
  return tf.reshape(tf.add(tf.matMul(hidden, p.w2), p.b2), [-1]) as tf.Tensor1D;
}

/** Dense `[rows, width]` rating-vector matrix of `entities` from sparse lists. */
function denseRatings(entities: Int32Array, lists: SparseRatings[], width: number): tf.Tensor2D {
  const values = new Float32Array(entities.length * width);
  for (let b = 0; b < entities.length; b++) {
    const l = lists[entities[b]];
    for (let j = 0; j < l.index.length; j++) values[b * width + l.index[j]] = l.value[j];
  }
  return tf.tensor2d(values, [entities.length, width]);
}

/** DReX's forward computations over one training set. */
export class DrexNetwork {
  /** Trainable parameters. */
  readonly params: DrexParams;
  /** Attention-pooling kernel over the training reviews' token features. */
  readonly pooler: AttentionPooler;
  /** Flat training data. */
  readonly data: DrexTrainingData;
  /** Resolved hyperparameters. */
  readonly options: ResolvedDrexOptions;
  /** The recurrence kernel both GRUs run on. */
  readonly gru: GruSequenceKernel = new GruSequenceKernel();

  /** Binds parameters, kernel, data and options. */
  constructor(
    params: DrexParams,
    pooler: AttentionPooler,
    data: DrexTrainingData,
    options: ResolvedDrexOptions,
  ) {
    this.params = params;
    this.pooler = pooler;
    this.data = data;
    this.options = options;
  }

  /** Interaction features of training rows `rows`. */
  encode(rows: Int32Array): { x: tf.Tensor2D; attention: PoolResult } {
    const { reviews, levels } = this.data.inputs;
    const inputs: InteractionInputs = {
      reviews: rows.map((n) => reviews[n]),
      levels: rows.map((n) => levels[n]),
    };
    return encodeInteractions(this.params, this.pooler, inputs);
  }

  /** Initial (global) representations of `entities` on `side`. */
  initial(side: Side, entities: Int32Array): tf.Tensor2D {
    const source: RepresentationSource = side === "user" ? this.params.users : this.params.items;
    const ids = tf.tensor1d(entities, "int32");
    if (source.kind === "table") return tf.gather(source.table, ids) as tf.Tensor2D;
    const lists = side === "user" ? this.data.userRatings : this.data.itemRatings;
    const width = side === "user" ? this.data.numItems : this.data.numUsers;
    const input = denseRatings(entities, lists, width);
    const hidden = tf.relu(tf.add(tf.matMul(input, source.w1), source.b1));
    return tf.add(tf.matMul(hidden, source.w2), source.b2) as tf.Tensor2D;
  }

  /** The GRU of `side`. */
  cell(side: Side): GruCell {
    return side === "user" ? this.params.userGru : this.params.itemGru;
  }

  /** Parameters that a training step on `side` may update. */
  variables(side: Side): tf.Variable[] {
    const skip = side === "user" ? ["itemGru.", "items."] : ["userGru.", "users."];
    return namedParams(this.params).filter(([name]) => !skip.some((s) => name.startsWith(s))).map((
      [, v],
    ) => v);
  }

  /**
   * A pass without gradients over all training rows: states before every
   * interaction and after all of them, on the requested sides. Entities with
   * no training interaction keep their initial representation.
   */
  computeStates(sides: Side[], options: { collectAttention?: boolean } = {}): PassStates {
    const N = this.data.users.length;
    const attention: PoolResult[] = [];
    const x = tf.tidy(() => {
      const parts: tf.Tensor2D[] = [];
      for (let start = 0; start < N; start += ENCODE_CHUNK) {
        const rows = Int32Array.from(
          { length: Math.min(ENCODE_CHUNK, N - start) },
          (_, j) => start + j,
        );
        const enc = this.encode(rows);
        if (options.collectAttention) attention.push(enc.attention);
        parts.push(enc.x);
      }
      return parts.length === 1 ? parts[0] : tf.concat(parts, 0) as tf.Tensor2D;
    });
    const out: PassStates = options.collectAttention ? { attention } : {};
    for (const side of sides) {
      const { before, final } = tf.tidy(() => this.#sidePass(side, x));
      if (side === "user") {
        out.userBefore = before;
        out.userFinal = final;
      } else {
        out.itemBefore = before;
        out.itemFinal = final;
      }
    }
    x.dispose();
    return out;
  }

  #sidePass(side: Side, x: tf.Tensor2D): { before: tf.Tensor2D; final: tf.Tensor2D } {
    const sequences = side === "user" ? this.data.userSequences : this.data.itemSequences;
    const count = sequences.length;
    const cell = this.cell(side);
    const projected = projectInputs(cell, x);
    const befores: tf.Tensor2D[] = [];
    const finals: tf.Tensor2D[] = [];
    const orders: Int32Array[] = [];
    const finalRow = new Int32Array(count).fill(-1);
    let row = 0;
    for (const batch of planFullPassBatches(sequences, 4096, 1 << 16)) {
      const order = tf.tensor1d(batch.order, "int32");
      const inputs = {
        zr: tf.gather(projected.zr, order) as tf.Tensor2D,
        h: tf.gather(projected.h, order) as tf.Tensor2D,
      };
      const states = runSequences(
        this.gru,
        cell,
        inputs,
        this.initial(side, batch.entities),
        batch.active,
      );
      befores.push(states.before);
      finals.push(states.final);
      orders.push(batch.order);
      for (const e of batch.entities) finalRow[e] = row++;
    }
    // Entities without training interactions keep their initial representation.
    const idle = Int32Array.from(finalRow.map((r, e) => (r < 0 ? e : -1)).filter((e) => e >= 0));
    if (idle.length > 0) {
      finals.push(this.initial(side, idle));
      for (const e of idle) finalRow[e] = row++;
    }
    const N = x.shape[0];
    const position = new Int32Array(N);
    let p = 0;
    for (const order of orders) for (const n of order) position[n] = p++;
    const before = tf.gather(tf.concat(befores, 0), tf.tensor1d(position, "int32")) as tf.Tensor2D;
    const final = tf.gather(tf.concat(finals, 0), tf.tensor1d(finalRow, "int32")) as tf.Tensor2D;
    return { before, final };
  }

  /**
   * Loss of one mini-batch on `side`: that side's GRU runs with gradients over
   * the batch's whole sequences; `otherBefore` (`[N, d]`, from a pass without
   * gradients) supplies the other side's states. The Frobenius penalty on the
   * batch's initial representations is scaled by (all rated rows / rated rows
   * in the batch), so that one pass over a side minimises the paper's
   * objective `MSE + lambda * ||U||_F^2` in expectation.
   */
  batchLoss(side: Side, batch: SequenceBatch, otherBefore: tf.Tensor2D): BatchLoss {
    const order = batch.order;
    const targets = new Float32Array(order.length);
    const rated = new Float32Array(order.length);
    let ratedCount = 0;
    for (let j = 0; j < order.length; j++) {
      const r = this.data.ratings[order[j]];
      if (!Number.isNaN(r)) {
        targets[j] = r;
        rated[j] = 1;
        ratedCount++;
      }
    }
    const { x } = this.encode(order);
    const h0 = this.initial(side, batch.entities);
    const states = runSequences(
      this.gru,
      this.cell(side),
      projectInputs(this.cell(side), x),
      h0,
      batch.active,
    );
    const other = tf.gather(otherBefore, tf.tensor1d(order, "int32")) as tf.Tensor2D;
    const prediction = side === "user"
      ? predictRatings(this.params, states.before, other)
      : predictRatings(this.params, other, states.before);
    const err = tf.mul(tf.sub(prediction, tf.tensor1d(targets)), tf.tensor1d(rated));
    const mse = tf.div(tf.sum(tf.square(err)), Math.max(ratedCount, 1)) as tf.Scalar;
    const scale = this.options.lambda * this.data.ratedCount / Math.max(ratedCount, 1);
    const loss = tf.add(mse, tf.mul(tf.sum(tf.square(h0)), scale)) as tf.Scalar;
    return { loss, mse };
  }
}
