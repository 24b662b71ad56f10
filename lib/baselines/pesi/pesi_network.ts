/**
 * PESI's forward computations over one training set.
 *
 * For a pair `(u, i)`:
 *
 * 1. **Review encoder.** A review's vector is `W_t (Σ_k a_k e_k) + b_t`
 *    with word attention `a = softmax(e_k · W_t w)` over its token
 *    features `e_k` (the same encoder as DReX's, on the library's SIMD
 *    attention kernel). A document's vector is the mean of its reviews'
 *    vectors (`pesi_documents.ts`).
 * 2. **Views.** Rating view `r = tanh(P_u W_ru + Q_i W_ri + b_r)` from the
 *    id embeddings (what the ratings teach about the pair); review view
 *    `t = tanh(doc_u W_tu + doc_i W_ti + b_t)` from the two documents.
 * 3. **Disentanglement.** One shared encoder for both views,
 *    `s = tanh(x W_s + b_s)`, and a private encoder per view,
 *    `p_R = tanh(r W_pR + b_pR)`, `p_T = tanh(t W_pT + b_pT)`; trained by the
 *    contrastive objective (`disentangle_losses.ts`).
 * 4. **Rating head.** Fusion weights `a = softmax_k(v · tanh(c_k W_a + b_a))`
 *    over the parts `c = (s_R, p_R, s_T, p_T)`, then
 *    `r̂ = relu([a_1 c_1; …; a_4 c_4] W_1 + b_1) w_2 + b_u + b_i + μ`.
 *
 * Loss of a batch: mean squared error + `contrastiveWeight` × contrastive
 * loss + `entropyWeight` × fusion entropy + `lambda` × the mean squared norm
 * of the batch's id embeddings and biases. Every distinct review of a
 * batch's documents is pooled once; the documents are then one product with
 * each side's averaging matrix, with each pair's own review left out.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import { attentionPool } from "../../drex/attention_pool_op.ts";
import type { AttentionPooler } from "../../kernels/attention_pool.ts";
import { contrastiveLoss, fusionEntropy } from "./disentangle_losses.ts";
import type { ResolvedPesiOptions } from "./options.ts";
import type { StepLoss } from "../common/adam_step.ts";
import { applyDropout } from "../common/training_pairs.ts";
import { reviewList } from "../review_cnn/review_documents.ts";
import { type BatchDocuments, batchDocuments, type EntityReviewLists } from "./pesi_documents.ts";
import type { PesiParams } from "./pesi_params.ts";

/** The four disentangled parts of a batch of pairs, each `[B, d]`. */
export interface DisentangledParts {
  /** Shared part of the rating view. */
  sR: tf.Tensor2D;
  /** Private part of the rating view. */
  pR: tf.Tensor2D;
  /** Shared part of the review view. */
  sT: tf.Tensor2D;
  /** Private part of the review view. */
  pT: tf.Tensor2D;
}

/** The head's output for a batch. */
export interface HeadOutput {
  /** `relu(z W_1 + b_1) w_2`, `[B]` (biases and μ not added). */
  interaction: tf.Tensor1D;
  /** Fusion scores before the softmax, `[B, 4]` (parts in the order sR, pR, sT, pT). */
  scores: tf.Tensor2D;
}

/** A planned mini-batch (everything decided without gradients). */
export interface PesiBatchPlan {
  /** Users of the pairs. */
  users: Int32Array;
  /** Items of the pairs. */
  items: Int32Array;
  /** Target ratings. */
  ratings: Float32Array;
  /** The pairs' documents, each without the pair's own review. */
  docs: BatchDocuments;
}

/** Dropout masks `[B, d]` for the four parts, in the order sR, pR, sT, pT. */
export type PartMasks = [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];

function affine(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  return tf.add(tf.matMul(x, w as tf.Tensor2D), b) as tf.Tensor2D;
}

/** Splits the rating view `r` and review view `t` (`[B, d]`) into shared and private parts. */
export function disentangle(p: PesiParams, r: tf.Tensor2D, t: tf.Tensor2D): DisentangledParts {
  return {
    sR: tf.tanh(affine(r, p.shared.w, p.shared.b)),
    pR: tf.tanh(affine(r, p.ratingPrivate.w, p.ratingPrivate.b)),
    sT: tf.tanh(affine(t, p.shared.w, p.shared.b)),
    pT: tf.tanh(affine(t, p.reviewPrivate.w, p.reviewPrivate.b)),
  };
}

/** The fusion attention and rating head on `parts`; `masks` (training) multiply the parts first. */
export function ratingHead(p: PesiParams, parts: DisentangledParts, masks?: PartMasks): HeadOutput {
  const list = applyDropout([parts.sR, parts.pR, parts.sT, parts.pT], masks);
  const B = list[0].shape[0];
  const stacked = tf.concat(list, 0);
  const hidden = tf.tanh(affine(stacked, p.fusion.w, p.fusion.b));
  const scores = tf.transpose(tf.reshape(tf.matMul(hidden, p.fusion.v), [4, B])) as tf.Tensor2D;
  const a = tf.softmax(scores);
  const weighted = list.map((c, k) => tf.mul(c, tf.slice(a, [0, k], [B, 1])) as tf.Tensor2D);
  const h = tf.relu(affine(tf.concat(weighted, 1), p.head.w1, p.head.b1));
  return { interaction: tf.reshape(tf.matMul(h, p.head.w2), [-1]) as tf.Tensor1D, scores };
}

/** Encoded training reviews: vectors and word attention. */
export interface EncodedReviews {
  /** The training rows encoded. */
  rows: Int32Array;
  /** Their review vectors, `rows.length × d` row-major. */
  vectors: Float32Array;
  /** Per review, the attention weight of each of its tokens (token order). */
  attention: Float32Array[];
}

/**
 * Floats one pooling call may hold when encoding many reviews: the `[R, D]`
 * output, plus the copied token rows for per-token (contextual) features.
 */
const ENCODE_BUDGET = 1 << 23;

/** PESI's forward computations; see the module doc. */
export class PesiNetwork {
  /** Trainable parameters. */
  readonly params: PesiParams;
  /** Word attention pooling over the training reviews' token features. */
  readonly pooler: AttentionPooler;
  /** Each entity's training reviews. */
  readonly lists: EntityReviewLists;
  /** Resolved options. */
  readonly options: ResolvedPesiOptions;

  /** Binds parameters, pooler, review lists and options. */
  constructor(
    params: PesiParams,
    pooler: AttentionPooler,
    lists: EntityReviewLists,
    options: ResolvedPesiOptions,
  ) {
    this.params = params;
    this.pooler = pooler;
    this.lists = lists;
    this.options = options;
  }

  /** Plans a batch of training targets (training rows `rows`), leaving each target's review out. */
  planBatch(
    rows: Int32Array,
    users: Int32Array,
    items: Int32Array,
    ratings: Float32Array,
  ): PesiBatchPlan {
    const docs = batchDocuments(this.lists, users, items, rows, this.options.maxReviews);
    return { users, items, ratings, docs };
  }

  /** Review vectors `[R, d]` of training rows `reviews`, with gradients. */
  #reviewVectors(reviews: Int32Array): tf.Tensor2D {
    const { wt, bt, watt } = this.params.review;
    const { pooled } = attentionPool(this.pooler, reviews, tf.matMul(wt, watt));
    return affine(pooled, wt, bt);
  }

  /** The user and item document vectors `[B, d]` of a planned batch. */
  documents(plan: PesiBatchPlan): { user: tf.Tensor2D; item: tf.Tensor2D } {
    const B = plan.users.length;
    const R = plan.docs.reviews.length;
    const d = this.options.latentDim;
    if (R === 0) return { user: tf.zeros([B, d]), item: tf.zeros([B, d]) };
    const vectors = this.#reviewVectors(plan.docs.reviews);
    return {
      user: tf.matMul(tf.tensor2d(plan.docs.user, [B, R]), vectors),
      item: tf.matMul(tf.tensor2d(plan.docs.item, [B, R]), vectors),
    };
  }

  /** The rating and review views `[B, d]` of a planned batch, with gradients. */
  views(plan: PesiBatchPlan): { r: tf.Tensor2D; t: tf.Tensor2D; pu: tf.Tensor2D; qi: tf.Tensor2D } {
    const p = this.params;
    const pu = tf.gather(p.userEmb, tf.tensor1d(plan.users, "int32")) as tf.Tensor2D;
    const qi = tf.gather(p.itemEmb, tf.tensor1d(plan.items, "int32")) as tf.Tensor2D;
    const docs = this.documents(plan);
    const rv = p.ratingView;
    const tv = p.reviewView;
    const r = tf.tanh(tf.add(tf.matMul(pu, rv.wu), affine(qi, rv.wi, rv.b))) as tf.Tensor2D;
    const t = tf.tanh(tf.add(tf.matMul(docs.user, tv.wu), affine(docs.item, tv.wi, tv.b)));
    return { r, t: t as tf.Tensor2D, pu, qi };
  }

  /** The objective of a planned batch (see the module doc); `masks` are the training dropout. */
  batchLoss(plan: PesiBatchPlan, masks?: PartMasks): StepLoss {
    const p = this.params;
    const o = this.options;
    const { r, t, pu, qi } = this.views(plan);
    const parts = disentangle(p, r, t);
    const head = ratingHead(p, parts, masks);
    const bu = tf.reshape(tf.gather(p.userBias, tf.tensor1d(plan.users, "int32")), [-1]);
    const bi = tf.reshape(tf.gather(p.itemBias, tf.tensor1d(plan.items, "int32")), [-1]);
    const predicted = tf.add(tf.add(tf.add(head.interaction, bu), bi), p.global);
    const mse = tf.mean(tf.square(tf.sub(predicted, tf.tensor1d(plan.ratings)))) as tf.Scalar;
    let loss: tf.Scalar = mse;
    if (o.contrastiveWeight > 0) {
      const con = contrastiveLoss(parts.sR, parts.sT, parts.pR, parts.pT, o.temperature);
      loss = tf.add(loss, tf.mul(con, o.contrastiveWeight));
    }
    if (o.entropyWeight > 0) {
      loss = tf.add(loss, tf.mul(fusionEntropy(head.scores), o.entropyWeight));
    }
    if (o.lambda > 0) {
      const norms = tf.add(
        tf.add(tf.sum(tf.square(pu), 1), tf.sum(tf.square(qi), 1)),
        tf.add(tf.square(bu), tf.square(bi)),
      );
      loss = tf.add(loss, tf.mul(tf.mean(norms), o.lambda));
    }
    return { loss, mse };
  }

  /** Encodes training rows `rows` without gradients (chunked): vectors and word attention. */
  encodeReviews(rows: Int32Array): EncodedReviews {
    const { vectors } = this.#vectorsOnly(rows);
    const attention: Float32Array[] = [];
    // Attention weights, per review, from the kernel directly (no tensors).
    const v = tf.tidy(() => tf.matMul(this.params.review.wt, this.params.review.watt));
    const vData = v.dataSync() as Float32Array;
    v.dispose();
    for (const [from, to] of this.#chunks(rows)) {
      const chunk = rows.subarray(from, to);
      const res = this.pooler.forward(chunk, vData);
      for (let m = 0; m < chunk.length; m++) {
        attention.push(res.attention.slice(res.offsets[m], res.offsets[m + 1]));
      }
    }
    return { rows, vectors, attention };
  }

  /**
   * Every user's and item's document vector from its whole training
   * document (nothing left out), `count × d` row-major.
   */
  encodeDocuments(): { user: Float32Array; item: Float32Array } {
    const d = this.options.latentDim;
    const M = this.options.maxReviews;
    const userDocs = this.lists.users.map((l) => reviewList(l, -1, M));
    const itemDocs = this.lists.items.map((l) => reviewList(l, -1, M));
    const column = new Map<number, number>();
    const rows: number[] = [];
    for (const doc of [...userDocs, ...itemDocs]) {
      for (const r of doc) {
        if (!column.has(r)) {
          column.set(r, rows.length);
          rows.push(r);
        }
      }
    }
    const { vectors } = this.#vectorsOnly(Int32Array.from(rows));
    const mean = (docs: Int32Array[]) => {
      const out = new Float32Array(docs.length * d);
      docs.forEach((doc, e) => {
        if (doc.length === 0) return;
        const acc = new Float64Array(d);
        for (const r of doc) {
          const at = (column.get(r) as number) * d;
          for (let j = 0; j < d; j++) acc[j] += vectors[at + j];
        }
        for (let j = 0; j < d; j++) out[e * d + j] = acc[j] / doc.length;
      });
      return out;
    };
    return { user: mean(userDocs), item: mean(itemDocs) };
  }

  #vectorsOnly(rows: Int32Array): { vectors: Float32Array } {
    const d = this.options.latentDim;
    const vectors = new Float32Array(rows.length * d);
    for (const [from, to] of this.#chunks(rows)) {
      const chunk = rows.subarray(from, to);
      const out = tf.tidy(() => this.#reviewVectors(chunk));
      vectors.set(out.dataSync() as Float32Array, from * d);
      out.dispose();
    }
    return { vectors };
  }

  /** Consecutive `[from, to)` ranges of `rows` that each fit {@linkcode ENCODE_BUDGET}. */
  #chunks(rows: Int32Array): [number, number][] {
    const f = this.pooler.features;
    const D = f.dim;
    const out: [number, number][] = [];
    let from = 0;
    let used = 0;
    for (let k = 0; k < rows.length; k++) {
      const cost = D * (1 + (f.table ? 0 : f.tokens[rows[k]].length));
      if (k > from && used + cost > ENCODE_BUDGET) {
        out.push([from, k]);
        from = k;
        used = 0;
      }
      used += cost;
    }
    if (from < rows.length) out.push([from, rows.length]);
    return out;
  }
}
