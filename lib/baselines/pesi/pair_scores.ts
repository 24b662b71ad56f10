/**
 * PESI's predictions for many pairs, from per-entity parts computed once.
 *
 * The views split by entity: `r = tanh(U_R[u] + I_R[i])` with
 * `U_R = P W_ru` and `I_R = Q W_ri + b_r`, and `t = tanh(U_T[u] + I_T[i])`
 * with `U_T = docs_u W_tu` and `I_T = docs_i W_ti + b_t`. So every user and
 * item is reduced once; a pair then costs the head only, evaluated with the
 * network's own {@linkcode disentangle} and {@linkcode ratingHead} in chunks
 * of pairs. `predict` and `scoreAll` run the same code on the same kind of
 * chunk, so they agree exactly.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import type { PesiParams } from "./pesi_params.ts";
import { disentangle, ratingHead } from "./pesi_network.ts";

/** Pairs evaluated per chunk (bounds memory: about 40 floats × d per pair). */
const CHUNK = 8192;

function product(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): Float32Array {
  const out = tf.tidy(() => {
    const m = tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D);
    return b ? tf.add(m, b) : m;
  });
  const data = out.dataSync() as Float32Array;
  out.dispose();
  return data;
}

/** Per-entity parts of the views, and the pair head over them; see the module doc. */
export class PesiScorer {
  /** Number of users. */
  readonly numUsers: number;
  /** Number of items. */
  readonly numItems: number;
  /** Latent size d. */
  readonly dim: number;
  /** `U_R`, `numUsers × d`. */
  readonly userRating: Float32Array;
  /** `U_T`, `numUsers × d`. */
  readonly userReview: Float32Array;
  /** `I_R`, `numItems × d`. */
  readonly itemRating: Float32Array;
  /** `I_T`, `numItems × d`. */
  readonly itemReview: Float32Array;
  #params: PesiParams;
  #userBias: Float32Array;
  #itemBias: Float32Array;
  #global: number;

  /** Reduces every user and item under `params`, with document vectors `userDocs`, `itemDocs`. */
  constructor(params: PesiParams, userDocs: Float32Array, itemDocs: Float32Array) {
    const [numUsers, d] = params.userEmb.shape;
    const numItems = params.itemEmb.shape[0];
    if (userDocs.length !== numUsers * d || itemDocs.length !== numItems * d) {
      throw new RangeError("PesiScorer: document vectors do not match the embeddings");
    }
    this.numUsers = numUsers;
    this.numItems = numItems;
    this.dim = d;
    this.#params = params;
    const rv = params.ratingView;
    const tv = params.reviewView;
    this.userRating = product(params.userEmb, rv.wu);
    this.itemRating = product(params.itemEmb, rv.wi, rv.b);
    this.userReview = tf.tidy(() => product(tf.tensor2d(userDocs, [numUsers, d]), tv.wu));
    this.itemReview = tf.tidy(() => product(tf.tensor2d(itemDocs, [numItems, d]), tv.wi, tv.b));
    this.#userBias = params.userBias.dataSync() as Float32Array;
    this.#itemBias = params.itemBias.dataSync() as Float32Array;
    this.#global = params.global.dataSync()[0];
  }

  /** Unclipped predictions for pairs `(users[j], items[j])`. */
  predict(users: Int32Array, items: Int32Array): Float32Array {
    const out = new Float32Array(users.length);
    for (let from = 0; from < users.length; from += CHUNK) {
      const to = Math.min(users.length, from + CHUNK);
      out.set(this.#chunk(users.subarray(from, to), items.subarray(from, to)), from);
    }
    return out;
  }

  /** Unclipped predictions of every item for each of `users`, `users.length × numItems` row-major. */
  scoreAll(users: Int32Array): Float32Array {
    const nI = this.numItems;
    const pairsU = new Int32Array(users.length * nI);
    const pairsI = new Int32Array(users.length * nI);
    for (let b = 0; b < users.length; b++) {
      pairsU.fill(users[b], b * nI, (b + 1) * nI);
      for (let i = 0; i < nI; i++) pairsI[b * nI + i] = i;
    }
    return this.predict(pairsU, pairsI);
  }

  #gather(table: Float32Array, ids: Int32Array): Float32Array {
    const d = this.dim;
    const out = new Float32Array(ids.length * d);
    for (let j = 0; j < ids.length; j++) out.set(table.subarray(ids[j] * d, ids[j] * d + d), j * d);
    return out;
  }

  #chunk(users: Int32Array, items: Int32Array): Float32Array {
    const C = users.length;
    const d = this.dim;
    const view = (a: Float32Array, b: Float32Array) =>
      tf.tanh(tf.add(tf.tensor2d(a, [C, d]), tf.tensor2d(b, [C, d]))) as tf.Tensor2D;
    const out = tf.tidy(() => {
      const r = view(this.#gather(this.userRating, users), this.#gather(this.itemRating, items));
      const t = view(this.#gather(this.userReview, users), this.#gather(this.itemReview, items));
      return ratingHead(this.#params, disentangle(this.#params, r, t)).interaction;
    });
    const values = out.dataSync() as Float32Array;
    out.dispose();
    const res = new Float32Array(C);
    for (let j = 0; j < C; j++) {
      res[j] = values[j] + this.#userBias[users[j]] + this.#itemBias[items[j]] + this.#global;
    }
    return res;
  }
}
