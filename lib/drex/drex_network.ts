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
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import type { AttentionPooler, PoolResult } from "../kernels/attention_pool.ts";
import {
  GruSequenceKernel,
  type PackedSequences,
  packSequences,
} from "../kernels/gru_sequences.ts";
import {
  type DrexParams,
  type GruCell,
  namedParams,
  type RepresentationSource,
} from "./drex_params.ts";
import { DenseProducts } from "../kernels/dense_products.ts";
import { encodeAndProject } from "./encode_project_op.ts";
import { runSequences } from "./gru.ts";
import { predictionLoss } from "./prediction_loss_op.ts";
import { encodeInteractions, type InteractionInputs } from "./interaction_encoder.ts";
import type { ResolvedDrexOptions } from "./options.ts";
import type { SequenceBatch } from "./sequence_batches.ts";
import type { Side } from "./sequences.ts";
import type { DrexTrainingData, SparseRatings } from "./training_data.ts";
import type { Rng } from "../random.ts";

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
  /** Initial representations of every user, `[numUsers, d]` (option `longTerm`). */
  userInitial?: tf.Tensor2D;
  /** Initial representations of every item, `[numItems, d]` (option `longTerm`). */
  itemInitial?: tf.Tensor2D;
  /** Attention records of the encoded chunks (only when asked for). */
  attention?: PoolResult[];
}

/** Disposes every tensor in `states`. */
export function disposeStates(states: PassStates): void {
  for (
    const t of [
      states.userBefore,
      states.itemBefore,
      states.userFinal,
      states.itemFinal,
      states.userInitial,
      states.itemInitial,
    ]
  ) {
    t?.dispose();
  }
}

/** One mini-batch's loss parts, kept as tensors until read. */
export interface BatchLoss {
  /** The objective minimised: MSE + scaled Frobenius penalty (+ the trained biases' penalty). */
  loss: tf.Scalar;
  /** Mean squared error over the batch's rated rows. */
  mse: tf.Scalar;
}

/** The user and item of each predicted pair (for the per-entity biases). */
export interface PairIndices {
  /** User index per pair. */
  users: Int32Array;
  /** Item index per pair. */
  items: Int32Array;
}

/** The pairs' initial representations, row by row, for the long-term term. */
export interface PairInitials {
  /** `h0_u` per pair, `[P, d]`. */
  user: tf.Tensor2D;
  /** `h0_i` per pair, `[P, d]`. */
  item: tf.Tensor2D;
}

/**
 * Predicts ratings from user and item states: `relu([h_u ; h_i] W1 + b1) W2 + b2`,
 * plus `h0_u · h0_i` when `initials` are given (option `longTerm`), plus
 * `b_u + b_i` when the model has per-entity biases (then `pairs` is required).
 */
export function predictRatings(
  params: DrexParams,
  hu: tf.Tensor2D,
  hi: tf.Tensor2D,
  pairs?: PairIndices,
  initials?: PairInitials,
): tf.Tensor1D {
  const p = params.predictor;
  const hidden = tf.relu(tf.add(tf.add(tf.matMul(hu, p.w1u), tf.matMul(hi, p.w1i)), p.b1));
  let out = tf.reshape(tf.add(tf.matMul(hidden, p.w2), p.b2), [-1]) as tf.Tensor1D;
  if (initials) out = tf.add(out, tf.sum(tf.mul(initials.user, initials.item), 1)) as tf.Tensor1D;
  if (!params.bias) return out;
  if (!pairs) {
    throw new Error("DReX: predicting with biases needs the pairs' user and item indices");
  }
  return tf.add(
    out,
    tf.add(
      tf.gather(params.bias.user, tf.tensor1d(pairs.users, "int32")),
      tf.gather(params.bias.item, tf.tensor1d(pairs.items, "int32")),
    ),
  ) as tf.Tensor1D;
}

/**
 * Dense `[rows, width]` rating-vector matrix of `entities` from sparse lists,
 * leaving out the training rows flagged in `heldOut` (DReX-MLP's `vectorHoldout`).
 */
function denseRatings(
  entities: Int32Array,
  lists: SparseRatings[],
  width: number,
  heldOut: Uint8Array | null,
): tf.Tensor2D {
  const values = new Float32Array(entities.length * width);
  for (let b = 0; b < entities.length; b++) {
    const l = lists[entities[b]];
    for (let j = 0; j < l.index.length; j++) {
      if (heldOut && heldOut[l.rows[j]]) continue;
      values[b * width + l.index[j]] = l.value[j];
    }
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
  /** The recurrence kernel both GRUs run on (the caller disposes one it handed in). */
  readonly gru: GruSequenceKernel;
  /** Each side's sequences packed for the GRU kernel's passes without gradients (made once). */
  readonly #packed: Partial<Record<Side, PackedSequences>> = {};
  /** The kernels of the fused operations of a training step (each one's memory outlives its forward pass). */
  readonly #dense = new DenseProducts();
  readonly #encodeKernel = new DenseProducts();
  /** The interaction features of the last pass without gradients (`N × width`), reused by the next. */
  #encoded = new Float32Array(0);
  /**
   * Training rows left out of DReX-MLP's rating vectors for the current epoch
   * (and the only rows with a loss); `null` outside training and for DReX.
   */
  heldOut: Uint8Array | null = null;

  /**
   * Binds parameters, kernels, data and options. Without `gru`, the GRUs run
   * on a kernel of one thread.
   */
  constructor(
    params: DrexParams,
    pooler: AttentionPooler,
    data: DrexTrainingData,
    options: ResolvedDrexOptions,
    gru?: GruSequenceKernel,
  ) {
    this.params = params;
    this.pooler = pooler;
    this.gru = gru ?? new GruSequenceKernel();
    this.data = data;
    this.options = options;
  }

  /**
   * Interaction features of training rows `rows`. With `dropRatings`, each
   * row's own rating is hidden from the encoder with probability
   * `ratingInputDropout` (modality dropout, training only). A pass without
   * gradients (`gradient: false`) keeps nothing for a backward pass, and the
   * attention weights only with `attention` (default true).
   */
  encode(
    rows: Int32Array,
    dropRatings?: Rng,
    options: { gradient?: boolean; attention?: boolean } = {},
  ): { x: tf.Tensor2D; attention: PoolResult } {
    return encodeInteractions(this.params, this.pooler, this.#inputs(rows, dropRatings), options);
  }

  /** The encoder's inputs for training rows `rows` (see {@linkcode DrexNetwork.encode}). */
  #inputs(rows: Int32Array, dropRatings?: Rng): InteractionInputs {
    const { reviews, levels } = this.data.inputs;
    const p = this.options.ratingInputDropout;
    return {
      reviews: rows.map((n) => reviews[n]),
      levels: rows.map((n) => (dropRatings && p > 0 && dropRatings.next() < p ? -1 : levels[n])),
    };
  }

  /** Initial (global) representations of `entities` on `side`. */
  initial(side: Side, entities: Int32Array): tf.Tensor2D {
    const source: RepresentationSource = side === "user" ? this.params.users : this.params.items;
    const ids = tf.tensor1d(entities, "int32");
    if (source.kind === "table") return tf.gather(source.table, ids) as tf.Tensor2D;
    const lists = side === "user" ? this.data.userRatings : this.data.itemRatings;
    const width = side === "user" ? this.data.numItems : this.data.numUsers;
    const input = denseRatings(entities, lists, width, this.heldOut);
    const hidden = tf.relu(tf.add(tf.matMul(input, source.w1), source.b1));
    return tf.add(tf.matMul(hidden, source.w2), source.b2) as tf.Tensor2D;
  }

  /**
   * Initial representations for a list of entities with repeats (one per
   * row): computed once per distinct entity, then gathered.
   */
  initialRows(side: Side, entities: Int32Array): tf.Tensor2D {
    const distinct = [...new Set(entities)];
    const at = new Map(distinct.map((e, j) => [e, j]));
    return tf.gather(
      this.initial(side, Int32Array.from(distinct)),
      tf.tensor1d(entities.map((e) => at.get(e)!), "int32"),
    ) as tf.Tensor2D;
  }

  /** Initial representations of every entity on `side`, `[count, d]`. */
  allInitial(side: Side): tf.Tensor2D {
    const count = side === "user" ? this.data.numUsers : this.data.numItems;
    return this.initial(side, Int32Array.from({ length: count }, (_, e) => e));
  }

  /** The GRU of `side`. */
  cell(side: Side): GruCell {
    return side === "user" ? this.params.userGru : this.params.itemGru;
  }

  /** Parameters that a training step on `side` may update. */
  variables(side: Side): tf.Variable[] {
    const skip = side === "user" ? ["itemGru.", "items."] : ["userGru.", "users."];
    // Trained biases take part in every prediction, so both passes update them.
    if (!this.options.trainBiases) skip.push("bias.");
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
    // Each chunk is encoded and read out on its own (a tidy per chunk): the
    // pass holds the interaction features once, as numbers for the GRU kernel.
    let x = this.#encoded;
    let width = 0;
    for (let start = 0; start < N; start += ENCODE_CHUNK) {
      const rows = Int32Array.from(
        { length: Math.min(ENCODE_CHUNK, N - start) },
        (_, j) => start + j,
      );
      tf.tidy(() => {
        const enc = this.encode(rows, undefined, {
          gradient: false,
          attention: options.collectAttention === true,
        });
        if (options.collectAttention) attention.push(enc.attention);
        if (start === 0) {
          width = enc.x.shape[1];
          // One buffer for every pass: a fresh one would cost page faults each time.
          if (x.length !== N * width) x = this.#encoded = new Float32Array(N * width);
        }
        x.set(enc.x.dataSync() as Float32Array, start * width);
      });
    }
    const out: PassStates = options.collectAttention ? { attention } : {};
    if (this.options.longTerm) {
      out.userInitial = tf.tidy(() => this.allInitial("user"));
      out.itemInitial = tf.tidy(() => this.allInitial("item"));
    }
    for (const side of sides) {
      const { before, final } = this.#sidePass(side, x, width);
      if (side === "user") {
        out.userBefore = before;
        out.userFinal = final;
      } else {
        out.itemBefore = before;
        out.itemFinal = final;
      }
    }
    return out;
  }

  /**
   * One side's states over all rows (`x`: `N × width` interaction features),
   * in one call of the GRU kernel, which projects the inputs itself and
   * writes each state at its row: nothing is gathered or concatenated.
   */
  #sidePass(
    side: Side,
    x: Float32Array,
    width: number,
  ): { before: tf.Tensor2D; final: tf.Tensor2D } {
    const sequences = side === "user" ? this.data.userSequences : this.data.itemSequences;
    const packed = this.#packed[side] ??= packSequences(sequences);
    const cell = this.cell(side);
    const d = this.options.latentDim;
    const read = (t: tf.Tensor) => t.dataSync() as Float32Array;
    const { before, final } = this.gru.states(
      packed,
      x,
      width,
      d,
      {
        wxzr: read(cell.wxzr),
        bzr: read(cell.bzr),
        wxh: read(cell.wxh),
        bh: read(cell.bh),
        uzr: read(cell.whzr),
        uh: read(cell.whh),
      },
      this.#initialValues(side),
      this.options.readout === "mean",
      "view",
    );
    // TF.js copies the views into its own memory here, before the kernel runs again.
    return {
      before: tf.tensor2d(before, [this.data.users.length, d]),
      final: tf.tensor2d(final, [sequences.length, d]),
    };
  }

  /** Every entity's initial representation on `side`, as numbers (computed in chunks of entities). */
  #initialValues(side: Side): Float32Array {
    const count = side === "user" ? this.data.numUsers : this.data.numItems;
    const d = this.options.latentDim;
    const values = new Float32Array(count * d);
    for (let start = 0; start < count; start += ENCODE_CHUNK) {
      const ids = Int32Array.from(
        { length: Math.min(ENCODE_CHUNK, count - start) },
        (_, j) => start + j,
      );
      tf.tidy(() => values.set(this.initial(side, ids).dataSync() as Float32Array, start * d));
    }
    return values;
  }

  /**
   * Loss of one mini-batch on `side`: that side's GRU runs with gradients over
   * the batch's whole sequences; `otherRows` (`[batch.order.length, d]`: the
   * other side's states before each of the batch's rows, from a pass without
   * gradients, see {@linkcode DrexNetwork.otherRows}) supplies the other
   * side. The Frobenius penalty on the batch's initial representations is
   * scaled by (all rated rows / rated rows in the batch), so that one pass
   * over a side minimises the paper's objective `MSE + lambda * ||U||_F^2` in expectation.
   */
  batchLoss(
    side: Side,
    batch: SequenceBatch,
    otherRows: tf.Tensor2D,
    rng?: Rng,
    ownInitial?: tf.Tensor2D,
  ): BatchLoss {
    const o = this.options;
    const order = batch.order;
    const { targets, weights, count } = this.targets(order);
    // Interaction features and the GRU's input projections in one operation (same values as
    // `encode` then `projectInputs`, see encode_project_op.ts).
    const projected = encodeAndProject(
      this.#encodeKernel,
      this.params,
      this.cell(side),
      this.pooler,
      this.#inputs(order, rng),
    );
    // Row-wise tables hand in the batch's rows as a variable of their own.
    const h0 = ownInitial ?? this.initial(side, batch.entities);
    const states = runSequences(
      this.gru,
      this.cell(side),
      projected,
      h0,
      batch.active,
      o.readout,
    );
    const drop = (h: tf.Tensor2D) =>
      rng && o.stateDropout > 0
        ? tf.dropout(h, o.stateDropout, undefined, rng.nextUint32()) as tf.Tensor2D
        : h;
    const own = drop(states.before);
    const seen = drop(otherRows);
    const pairs = {
      users: order.map((n) => this.data.users[n]),
      items: order.map((n) => this.data.items[n]),
    };
    let initials: PairInitials | undefined;
    if (o.longTerm) {
      // This side's h0 rows come from the batch's (differentiable) h0; the
      // other side's are recomputed (its parameters get no gradient here).
      const slot = new Map(Array.from(batch.entities, (e, j) => [e, j]));
      const ownIds = side === "user" ? pairs.users : pairs.items;
      const ownRows = tf.gather(h0, tf.tensor1d(ownIds.map((e) => slot.get(e)!), "int32"));
      const otherRows = this.initialRows(
        side === "user" ? "item" : "user",
        side === "user" ? pairs.items : pairs.users,
      );
      initials = side === "user"
        ? { user: ownRows as tf.Tensor2D, item: otherRows }
        : { user: otherRows, item: ownRows as tf.Tensor2D };
    }
    const denom = Math.max(count, 1);
    let mse: tf.Scalar;
    if (!initials && !(this.params.bias && o.trainBiases)) {
      // The same values as the operations below, in one operation (see prediction_loss_op.ts).
      mse = predictionLoss(this.#dense, this.params.predictor, own, seen, {
        side,
        rowBias: this.#rowBias(pairs),
        targets,
        weights,
        denom,
      });
    } else {
      const prediction = side === "user"
        ? predictRatings(this.params, own, seen, pairs, initials)
        : predictRatings(this.params, seen, own, pairs, initials);
      const err = tf.mul(tf.sub(prediction, tf.tensor1d(targets)), tf.tensor1d(weights));
      mse = tf.div(tf.sum(tf.square(err)), denom) as tf.Scalar;
    }
    const scale = o.lambda * this.data.ratedCount / denom;
    let loss = tf.add(mse, tf.mul(tf.sum(tf.square(h0)), scale)) as tf.Scalar;
    // Fixed biases' penalty is a constant: no gradient, so it is left out.
    if (this.params.bias && o.trainBiases) {
      loss = tf.add(loss, this.#biasPenalty(pairs, tf.tensor1d(weights), denom)) as tf.Scalar;
    }
    return { loss, mse };
  }

  /** `b_u + b_i` of each pair in float32 (TF.js's sum of the two gathers), or null without biases. */
  #rowBias(pairs: PairIndices): Float32Array | null {
    if (!this.params.bias) return null;
    const bu = this.params.bias.user.dataSync() as Float32Array;
    const bi = this.params.bias.item.dataSync() as Float32Array;
    return Float32Array.from(pairs.users, (u, j) => bu[u] + bi[pairs.items[j]]);
  }

  /**
   * The other side's states before each row of `batch`, gathered from
   * `otherBefore` (`[N, d]`). Called outside the gradient tape: inside it,
   * TF.js would save (copy) all of `otherBefore` for a gradient nobody needs,
   * an O(N) copy per batch that made an epoch quadratic in the data.
   */
  otherRows(batch: SequenceBatch, otherBefore: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.gather(otherBefore, tf.tensor1d(batch.order, "int32")));
  }

  /**
   * Targets and loss weights of rows `order`: weight 1 for a visible rating
   * (and, while DReX-MLP holds ratings out, only for held-out rows).
   */
  targets(order: Int32Array): { targets: Float32Array; weights: Float32Array; count: number } {
    const targets = new Float32Array(order.length);
    const weights = new Float32Array(order.length);
    let count = 0;
    for (let j = 0; j < order.length; j++) {
      const r = this.data.ratings[order[j]];
      if (Number.isNaN(r) || (this.heldOut && !this.heldOut[order[j]])) continue;
      targets[j] = r;
      weights[j] = 1;
      count++;
    }
    return { targets, weights, count };
  }

  /**
   * The ridge penalty of the biases, spread over rows so that a pass over all
   * rows adds up to `(userReg Σ b_u² + itemReg Σ b_i²) / rated rows`, the
   * closed-form bias model's objective divided like the MSE: row (u, i) carries
   * `userReg b_u² / n_u + itemReg b_i² / n_i`.
   */
  #biasPenalty(pairs: PairIndices, weights: tf.Tensor1D, denom: number): tf.Scalar {
    const bias = this.params.bias!;
    const { userCounts, itemCounts } = this.data;
    const o = this.options;
    const wu = Float32Array.from(pairs.users, (u) => o.biasUserReg / Math.max(userCounts[u], 1));
    const wi = Float32Array.from(pairs.items, (i) => o.biasItemReg / Math.max(itemCounts[i], 1));
    const bu = tf.gather(bias.user, tf.tensor1d(pairs.users, "int32"));
    const bi = tf.gather(bias.item, tf.tensor1d(pairs.items, "int32"));
    const per = tf.add(
      tf.mul(tf.square(bu), tf.tensor1d(wu)),
      tf.mul(tf.square(bi), tf.tensor1d(wi)),
    );
    return tf.div(tf.sum(tf.mul(per, weights)), denom) as tf.Scalar;
  }
}
