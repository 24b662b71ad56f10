/**
 * DeepCoNN's computations over one training set: documents, the two towers
 * (review CNN with max-over-time pooling, then a dense ReLU layer), the
 * factorisation-machine head, a mini-batch's loss, and every entity's
 * latent vector for prediction.
 *
 * A document's CNN: convolution windows do not cross review boundaries, so
 * max-over-time pooling over the document is the maximum, over its reviews,
 * of each review's own pooled features (`pooled_review_cnn.ts`). Each
 * training step first *plans* the batch without gradients (documents with
 * the target review left out, a scan of their reviews, and for every pair
 * and filter the window attaining the document maximum), then computes the
 * loss with gradients through exactly those windows: the same values and
 * gradients as convolving every document in full.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import type { StepLoss } from "../common/adam_step.ts";
import { squaredErrorLoss } from "../common/squared_error_loss.ts";
import { applyDropout } from "../common/training_pairs.ts";
import { documentUnits } from "../review_cnn/document_units.ts";
import type { PooledReviewCnn, WindowRefs } from "../review_cnn/pooled_review_cnn.ts";
import { documentParts, type EntityReviews } from "../review_cnn/review_documents.ts";
import { type DeepConnParams, deepConnPenalised, type DeepConnTower } from "./deepconn_params.ts";
import { FmScores } from "./fm_scores.ts";
import type { ResolvedDeepConnOptions } from "./options.ts";

/** Which tower. */
export type Side = "user" | "item";

/** One side of a planned batch: the window attaining each pair's document maximum, per filter. */
export interface SidePlan {
  /** `B × F` windows, pair-major. */
  refs: WindowRefs;
  /** 1 where the pair's document has at least one review, else 0 (its pooled features are 0). */
  nonEmpty: Float32Array;
}

/** A planned mini-batch. */
export interface BatchPlan {
  /** User documents. */
  user: SidePlan;
  /** Item documents. */
  item: SidePlan;
  /** Users of the pairs. */
  users: Int32Array;
  /** Items of the pairs. */
  items: Int32Array;
  /** Target ratings. */
  ratings: Float32Array;
}

/** DeepCoNN's forward computations. */
export class DeepConnNetwork {
  /** Trainable parameters. */
  readonly params: DeepConnParams;
  /** The review CNN (weights are passed per call, so both towers share it). */
  readonly cnn: PooledReviewCnn;
  /** Each entity's training reviews. */
  readonly reviews: EntityReviews;
  /** Resolved options. */
  readonly options: ResolvedDeepConnOptions;

  /** Binds parameters, CNN, reviews and options. */
  constructor(
    params: DeepConnParams,
    cnn: PooledReviewCnn,
    reviews: EntityReviews,
    options: ResolvedDeepConnOptions,
  ) {
    this.params = params;
    this.cnn = cnn;
    this.reviews = reviews;
    this.options = options;
  }

  /** The tower of `side`. */
  tower(side: Side): DeepConnTower {
    return side === "user" ? this.params.user : this.params.item;
  }

  /** The document of each `entities[j]` on `side`, leaving out row `exclude[j]` (-1: none). */
  documents(side: Side, entities: Int32Array, exclude: Int32Array) {
    const lists = side === "user" ? this.reviews.users : this.reviews.items;
    return Array.from(
      entities,
      (e, j) =>
        documentParts(lists[e], this.reviews.lengths, exclude[j], this.options.maxDocumentWords),
    );
  }

  /** Plans one side of a batch without gradients (see the module doc). */
  planSide(side: Side, entities: Int32Array, exclude: Int32Array): SidePlan {
    const F = this.options.filters;
    const B = entities.length;
    const { units, members } = documentUnits(this.documents(side, entities, exclude));
    const scan = this.cnn.scan(units, this.tower(side).convW as tf.Tensor2D);
    const refs: WindowRefs = {
      rows: new Int32Array(B * F).fill(-1),
      words: new Int32Array(B * F),
      starts: new Int32Array(B * F),
      filters: new Int32Array(B * F),
    };
    const nonEmpty = new Float32Array(B);
    for (let j = 0; j < B; j++) {
      const m = members[j];
      for (let f = 0; f < F; f++) refs.filters[j * F + f] = f;
      if (m.length === 0) continue;
      nonEmpty[j] = 1;
      for (let f = 0; f < F; f++) {
        let best = -Infinity;
        let bu = m[0];
        for (const u of m) {
          if (scan.max[u * F + f] > best) {
            best = scan.max[u * F + f];
            bu = u;
          }
        }
        refs.rows[j * F + f] = units.rows[bu];
        refs.words[j * F + f] = units.words[bu];
        refs.starts[j * F + f] = scan.start[bu * F + f];
      }
    }
    return { refs, nonEmpty };
  }

  /** Plans a batch of training targets (training rows `rows`), leaving each target's review out. */
  planBatch(
    rows: Int32Array,
    users: Int32Array,
    items: Int32Array,
    ratings: Float32Array,
  ): BatchPlan {
    return {
      user: this.planSide("user", users, rows),
      item: this.planSide("item", items, rows),
      users,
      items,
      ratings,
    };
  }

  /** A tower's latent vectors `[B, d]` for a planned side, with gradients. */
  towerOutput(side: Side, plan: SidePlan): tf.Tensor2D {
    const t = this.tower(side);
    const B = plan.nonEmpty.length;
    const F = this.options.filters;
    const values = tf.reshape(this.cnn.windowValues(plan.refs, t.convW as tf.Tensor2D), [B, F]);
    const pooled = tf.mul(tf.relu(tf.add(values, t.convB)), tf.tensor2d(plan.nonEmpty, [B, 1]));
    return tf.relu(tf.add(tf.matMul(pooled, t.denseW), t.denseB)) as tf.Tensor2D;
  }

  /** The FM head on `[x ; y]`: `[B]` predictions (not clipped). */
  fm(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor1D {
    const { w0, w, v } = this.params.fm;
    const z = tf.concat([x, y], 1);
    const linear = tf.add(tf.reshape(tf.matMul(z, w), [-1]), w0);
    const zv = tf.matMul(z, v);
    const pair = tf.mul(
      tf.sum(tf.sub(tf.square(zv), tf.matMul(tf.square(z), tf.square(v))), 1),
      0.5,
    );
    return tf.add(linear, pair) as tf.Tensor1D;
  }

  /**
   * The loss of a planned batch: mean squared error plus `lambda` times the
   * squared weights. `dropout` masks (`[B, d]`, user then item) apply to the
   * tower outputs.
   */
  batchLoss(plan: BatchPlan, dropout?: readonly tf.Tensor2D[]): StepLoss {
    const [x, y] = applyDropout(
      [this.towerOutput("user", plan.user), this.towerOutput("item", plan.item)],
      dropout,
    );
    return squaredErrorLoss(
      this.fm(x, y),
      plan.ratings,
      this.options.lambda,
      () => deepConnPenalised(this.params),
    );
  }

  /**
   * Every entity's latent vector on `side` from its whole training document
   * (nothing left out), without gradients: `count × d` row-major.
   */
  encodeAll(side: Side): Float32Array {
    const count = side === "user" ? this.reviews.users.length : this.reviews.items.length;
    const F = this.options.filters;
    const t = this.tower(side);
    const entities = Int32Array.from({ length: count }, (_, e) => e);
    const { units, members } = documentUnits(
      this.documents(side, entities, new Int32Array(count).fill(-1)),
    );
    const scan = this.cnn.scan(units, t.convW as tf.Tensor2D);
    const bias = t.convB.dataSync();
    const pooled = new Float32Array(count * F);
    for (let e = 0; e < count; e++) {
      const m = members[e];
      if (m.length === 0) continue;
      for (let f = 0; f < F; f++) {
        let best = -Infinity;
        for (const u of m) if (scan.max[u * F + f] > best) best = scan.max[u * F + f];
        pooled[e * F + f] = Math.max(0, best + bias[f]);
      }
    }
    const out = tf.tidy(() =>
      tf.relu(tf.add(tf.matMul(tf.tensor2d(pooled, [count, F]), t.denseW), t.denseB))
    );
    const data = out.dataSync() as Float32Array;
    out.dispose();
    return data;
  }

  /** The FM head over every user's and item's latent vectors (see `fm_scores.ts`). */
  scores(x: Float32Array, y: Float32Array): FmScores {
    return deepConnScores(this.params, this.options, x, y);
  }
}

/** The FM head of `params` over user vectors `x` and item vectors `y` (each `count × latentDim`). */
export function deepConnScores(
  params: DeepConnParams,
  options: ResolvedDeepConnOptions,
  x: Float32Array,
  y: Float32Array,
): FmScores {
  const { w0, w, v } = params.fm;
  return new FmScores(x, y, options.latentDim, options.fmFactors, {
    w0: w0.dataSync()[0],
    w: w.dataSync() as Float32Array,
    v: v.dataSync() as Float32Array,
  });
}
