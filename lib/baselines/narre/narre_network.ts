/**
 * NARRE's computations over one training set: review lists, review
 * encodings (CNN, ReLU, max-over-time pooling), review-level attention,
 * latent factors, the rating layer, a mini-batch's loss, and every
 * entity's factors (with its attention weights) for prediction.
 *
 * Attention (Chen et al., 2018): review `l` of user `u`, with CNN features
 * `O_l` and written for item `i_l`, scores `a*_l = hᵀ ReLU(W_O O_l + W_u e(i_l) + b1)`,
 * where `e(i_l)` is an attention id embedding of the item; weights are the
 * softmax of the scores over the user's review list, and
 * `X_u = W_0 (Σ_l a_l O_l) + b_0`. Items likewise, with the authors' user
 * ids. The rating is `w1 · ((p_u + X_u) ⊙ (q_i + Y_i)) + b_u + b_i + μ`.
 * (The paper's constant `b2` inside the score cancels in the softmax and is
 * left out.) A review's score depends on the review and its other side only,
 * not on the pair being predicted, so each distinct review of a batch is
 * encoded and scored once, then gathered into each pair's list.
 *
 * Each step first *plans* the batch without gradients (the pairs' review
 * lists with the target review left out, and a scan of their reviews that
 * finds each review's maximising window per filter; see
 * `pooled_review_cnn.ts`), then computes the loss with gradients.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import type { IndexedInteraction } from "../../data/types.ts";
import type { StepLoss } from "../common/adam_step.ts";
import { squaredErrorLoss } from "../common/squared_error_loss.ts";
import { applyDropout } from "../common/training_pairs.ts";
import { gatherRows } from "../review_cnn/gather_rows.ts";
import {
  argmaxWindows,
  type PooledReviewCnn,
  type ReviewUnits,
  type WindowRefs,
} from "../review_cnn/pooled_review_cnn.ts";
import { type EntityReviews, reviewList } from "../review_cnn/review_documents.ts";
import { type NarreParams, narrePenalised, type NarreTower } from "./narre_params.ts";
import type { ResolvedNarreOptions } from "./options.ts";

/** Which tower. */
export type Side = "user" | "item";

/** One side of a planned batch. */
export interface ListPlan {
  /** The distinct reviews of the pairs' lists (whole reviews). */
  units: ReviewUnits;
  /** Each unit's maximising window per filter (`units × F`). */
  refs: WindowRefs;
  /** Per unit, the other-side entity of its review (the item, for the user side). */
  others: Int32Array;
  /** `B × width` unit indices of each pair's list, padded with 0. */
  slots: Int32Array;
  /** `B × width`: 1 for a real list entry, 0 for padding. */
  mask: Float32Array;
  /** Longest list in the batch (at least 1). */
  width: number;
}

/** A planned mini-batch. */
export interface NarreBatchPlan {
  /** User review lists. */
  user: ListPlan;
  /** Item review lists. */
  item: ListPlan;
  /** Users of the pairs. */
  users: Int32Array;
  /** Items of the pairs. */
  items: Int32Array;
  /** Target ratings. */
  ratings: Float32Array;
}

/** Every entity's factors on one side, and where its attention went. */
export interface SideEncoding {
  /** `p_u = emb + X_u` (or `q_i`), `count × k` row-major. */
  factors: Float32Array;
  /** Per entity, the training rows of its review list, in list order. */
  lists: Int32Array[];
  /** Per entity, the attention weight of each review of its list. */
  weights: Float32Array[];
}

/** Large negative score given to padding before the softmax. */
const MASKED = -1e9;

/** NARRE's forward computations. */
export class NarreNetwork {
  /** Trainable parameters. */
  readonly params: NarreParams;
  /** The review CNN (weights are passed per call, so both towers share it). */
  readonly cnn: PooledReviewCnn;
  /** Each entity's training reviews. */
  readonly reviews: EntityReviews;
  /** The training interactions (each review's user and item). */
  readonly train: readonly IndexedInteraction[];
  /** Resolved options. */
  readonly options: ResolvedNarreOptions;

  /** Binds parameters, CNN, reviews, training interactions and options. */
  constructor(
    params: NarreParams,
    cnn: PooledReviewCnn,
    reviews: EntityReviews,
    train: readonly IndexedInteraction[],
    options: ResolvedNarreOptions,
  ) {
    this.params = params;
    this.cnn = cnn;
    this.reviews = reviews;
    this.train = train;
    this.options = options;
  }

  /** The tower of `side`. */
  tower(side: Side): NarreTower {
    return side === "user" ? this.params.user : this.params.item;
  }

  /** The review list of each `entities[j]`, leaving out row `exclude[j]` (-1: none). */
  lists(side: Side, entities: Int32Array, exclude: Int32Array): Int32Array[] {
    const all = side === "user" ? this.reviews.users : this.reviews.items;
    return Array.from(entities, (e, j) => reviewList(all[e], exclude[j], this.options.maxReviews));
  }

  /** Distinct reviews of `lists`, each pair's slots into them, and the padding mask. */
  #layout(side: Side, lists: Int32Array[]) {
    const unitOf = new Map<number, number>();
    const rows: number[] = [];
    let width = 1;
    for (const l of lists) width = Math.max(width, l.length);
    const slots = new Int32Array(lists.length * width);
    const mask = new Float32Array(lists.length * width);
    lists.forEach((list, j) => {
      list.forEach((r, m) => {
        let u = unitOf.get(r);
        if (u === undefined) {
          u = rows.length;
          unitOf.set(r, u);
          rows.push(r);
        }
        slots[j * width + m] = u;
        mask[j * width + m] = 1;
      });
    });
    const unitRows = Int32Array.from(rows);
    const units: ReviewUnits = {
      rows: unitRows,
      words: unitRows.map((r) => this.reviews.lengths[r]),
    };
    const others = unitRows.map((r) => side === "user" ? this.train[r].item : this.train[r].user);
    return { units, others, slots, mask, width };
  }

  /** Plans one side of a batch without gradients. */
  planSide(side: Side, entities: Int32Array, exclude: Int32Array): ListPlan {
    const layout = this.#layout(side, this.lists(side, entities, exclude));
    const scan = this.cnn.scan(layout.units, this.tower(side).convW as tf.Tensor2D);
    return { ...layout, refs: argmaxWindows(layout.units, scan, this.options.filters) };
  }

  /** Plans a batch of training targets (training rows `rows`), leaving each target's review out. */
  planBatch(
    rows: Int32Array,
    users: Int32Array,
    items: Int32Array,
    ratings: Float32Array,
  ): NarreBatchPlan {
    return {
      user: this.planSide("user", users, rows),
      item: this.planSide("item", items, rows),
      users,
      items,
      ratings,
    };
  }

  /** Attention scores `[R]` of reviews with features `features` (`[R, F]`) and other-side ids `others`. */
  scores(side: Side, features: tf.Tensor2D, others: Int32Array): tf.Tensor1D {
    const t = this.tower(side);
    const ids = gatherRows(t.idAtt, others) as tf.Tensor2D;
    const hidden = tf.relu(
      tf.add(tf.add(tf.matMul(features, t.attReview), tf.matMul(ids, t.attId)), t.attB),
    );
    return tf.reshape(tf.matMul(hidden, t.attH), [-1]) as tf.Tensor1D;
  }

  /** The attended review features `X` (`[B, k]`) of a planned side, with gradients. */
  attended(side: Side, plan: ListPlan): tf.Tensor2D {
    const t = this.tower(side);
    const F = this.options.filters;
    const R = plan.units.rows.length;
    const B = plan.mask.length / plan.width;
    const M = plan.width;
    let features: tf.Tensor2D;
    if (R === 0) {
      features = tf.zeros([1, F]);
    } else {
      const values = tf.reshape(this.cnn.windowValues(plan.refs, t.convW as tf.Tensor2D), [R, F]);
      features = tf.relu(tf.add(values, t.convB)) as tf.Tensor2D;
    }
    const others = R === 0 ? Int32Array.of(0) : plan.others;
    const scores = tf.reshape(this.scores(side, features, others), [-1, 1]);
    const mask = tf.tensor2d(plan.mask, [B, M]);
    const picked = tf.reshape(gatherRows(scores, plan.slots), [B, M]);
    const masked = tf.add(picked, tf.mul(tf.sub(1, mask), MASKED));
    // Softmax over each list; an empty list gets all-zero weights.
    const weights = tf.mul(tf.softmax(masked), mask);
    const listed = tf.reshape(gatherRows(features, plan.slots), [B, M, F]);
    const pooled = tf.sum(tf.mul(listed, tf.reshape(weights, [B, M, 1])), 1);
    return tf.add(tf.matMul(pooled, t.outW), t.outB) as tf.Tensor2D;
  }

  /** Predicted ratings `[B]` from the latent factors `p` and `q` (`[B, k]`) of pairs (users, items). */
  rate(p: tf.Tensor2D, q: tf.Tensor2D, users: Int32Array, items: Int32Array): tf.Tensor1D {
    const { user, item, w1, global } = this.params;
    const interaction = tf.reshape(tf.matMul(tf.mul(p, q), w1), [-1]);
    const biases = tf.add(
      tf.reshape(gatherRows(user.bias, users), [-1]),
      tf.reshape(gatherRows(item.bias, items), [-1]),
    );
    return tf.add(tf.add(interaction, biases), global) as tf.Tensor1D;
  }

  /**
   * The loss of a planned batch: mean squared error plus `lambda` times the
   * squared weights. `dropout` masks (`[B, k]`, user then item) apply to
   * `X_u` and `Y_i`.
   */
  batchLoss(plan: NarreBatchPlan, dropout?: readonly tf.Tensor2D[]): StepLoss {
    const [x, y] = applyDropout(
      [this.attended("user", plan.user), this.attended("item", plan.item)],
      dropout,
    );
    const p = tf.add(gatherRows(this.params.user.emb, plan.users), x) as tf.Tensor2D;
    const q = tf.add(gatherRows(this.params.item.emb, plan.items), y) as tf.Tensor2D;
    return squaredErrorLoss(
      this.rate(p, q, plan.users, plan.items),
      plan.ratings,
      this.options.lambda,
      () => narrePenalised(this.params),
    );
  }

  /**
   * Every entity's factors on `side` from its whole review list (nothing
   * left out), without gradients, with the attention weights of each list.
   */
  encodeAll(side: Side): SideEncoding {
    const count = side === "user" ? this.reviews.users.length : this.reviews.items.length;
    const F = this.options.filters;
    const k = this.options.latentDim;
    const t = this.tower(side);
    const lists = this.lists(
      side,
      Int32Array.from({ length: count }, (_, e) => e),
      new Int32Array(count).fill(-1),
    );
    const { units, others, slots, width } = this.#layout(side, lists);
    const R = units.rows.length;
    const scan = this.cnn.scan(units, t.convW as tf.Tensor2D);
    const bias = t.convB.dataSync();
    const features = new Float32Array(R * F);
    for (let j = 0; j < features.length; j++) {
      features[j] = Math.max(0, scan.max[j] + bias[j % F]);
    }
    let scores: Float32Array = new Float32Array(0);
    if (R > 0) {
      const s = tf.tidy(() => this.scores(side, tf.tensor2d(features, [R, F]), others));
      scores = s.dataSync() as Float32Array;
      s.dispose();
    }
    const pooled = new Float32Array(count * F);
    const weights = lists.map((list, e) => {
      const w = new Float32Array(list.length);
      if (list.length === 0) return w;
      let top = -Infinity;
      for (let m = 0; m < list.length; m++) top = Math.max(top, scores[slots[e * width + m]]);
      let sum = 0;
      for (let m = 0; m < list.length; m++) {
        w[m] = Math.exp(scores[slots[e * width + m]] - top);
        sum += w[m];
      }
      for (let m = 0; m < list.length; m++) {
        w[m] /= sum;
        const u = slots[e * width + m];
        for (let f = 0; f < F; f++) pooled[e * F + f] += w[m] * features[u * F + f];
      }
      return w;
    });
    const out = tf.tidy(() =>
      tf.add(tf.add(tf.matMul(tf.tensor2d(pooled, [count, F]), t.outW), t.outB), t.emb)
    );
    const factors = out.dataSync() as Float32Array;
    out.dispose();
    if (factors.length !== count * k) throw new Error("NARRE: factor matrix has the wrong size");
    return { factors, lists, weights };
  }
}
