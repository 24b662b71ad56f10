/**
 * DReX and DReX-MLP as a {@linkcode Recommender}: fit on a split and its
 * training-review features, predict ratings, rank items, recommend with
 * keyword explanations, save and load.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import { tidyRead } from "../backend/tidy_read.ts";
import { initBackend } from "../backend/init.ts";
import type { IdMap } from "../data/id_map.ts";
import type { DatasetSplit } from "../data/types.ts";
import { AttentionPooler } from "../kernels/attention_pool.ts";
import { Rng } from "../random.ts";
import type {
  FitHooks,
  FitReport,
  ModelInput,
  Recommendation,
  Recommender,
} from "../recommender.ts";
import { seenItemsByUser, topUnseen } from "../seen_items.ts";
import { createDrexParams, disposeParams, type DrexParams, drexShapes } from "./drex_params.ts";
import { GruSequenceKernel } from "../kernels/gru_sequences.ts";
import { chooseBiasPenalties, ridgeBiases } from "../stats/ridge_biases.ts";
import { DrexNetwork, predictRatings } from "./drex_network.ts";
import { explanationKeywords, type Keyword, type KeywordProfiles } from "./keyword_profiles.ts";
import { type DrexOptions, type ResolvedDrexOptions, resolveDrexOptions } from "./options.ts";
import { readDrexModel, writeDrexModel } from "./drex_serialization.ts";
import { prepareDrexTrainingData } from "./training_data.ts";
import { pairInitials, trainDrex, type ValidationPairs } from "./train_drex.ts";

/** Everything a trained model needs to predict, explain and be saved. */
export interface TrainedDrex {
  /** All parameters (the predictor is used at inference; the rest allows further training or analysis). */
  params: DrexParams;
  /** User states after all training interactions, `[numUsers, d]`. */
  userFinal: tf.Tensor2D;
  /** Item states after all training interactions, `[numItems, d]`. */
  itemFinal: tf.Tensor2D;
  /** Initial user representations, when the model has the long-term term. */
  userInitial?: tf.Tensor2D;
  /** Initial item representations, when the model has the long-term term. */
  itemInitial?: tf.Tensor2D;
  /** Top-K keyword profiles. */
  profiles: KeywordProfiles;
  /** User ids. */
  users: IdMap;
  /** Item ids. */
  items: IdMap;
  /** Per user, the sorted items of its training and validation interactions (never recommended). */
  seen: Int32Array[];
  /** Token feature width the review encoder was trained on. */
  featureDim: number;
  /** Encoder id of the features (a model only makes sense with the same encoder). */
  encoder: string;
  /** The training report. */
  report: FitReport;
  /** The bias penalties used (chosen on validation unless given), when the model has biases. */
  biasPenalties?: { userReg: number; itemReg: number };
}

/** Scores computed per chunk of users in {@linkcode DrexModel.scoreAllItems}: users × items × d floats. */
const SCORE_CHUNK_FLOATS = 1 << 23;

function validationPairs(split: DatasetSplit): ValidationPairs {
  const rated = split.validation.filter((it) => it.rating !== undefined);
  return {
    users: Int32Array.from(rated, (it) => it.user),
    items: Int32Array.from(rated, (it) => it.item),
    ratings: Float32Array.from(rated, (it) => it.rating as number),
  };
}

/**
 * The DReX recommender (paper: Shyam et al., 2026). Review text and ratings
 * are fused per interaction; user and item GRUs refine global representations
 * interaction by interaction; an MLP predicts ratings; attention over review
 * words builds keyword profiles that explain recommendations.
 *
 * @example
 * ```ts ignore
 * import { DrexModel, extractFeatures, loadInteractions, prepareDataset } from "@drex/drex";
 * const { interactions } = await loadInteractions("reviews.jsonl.gz");
 * const { split } = prepareDataset(interactions);
 * const { features } = await extractFeatures(split.train.map((it) => it.review));
 * const model = new DrexModel({ variant: "drex", latentDim: 64 });
 * await model.fit({ split, features });
 * model.recommend(0, 5); // top 5 unseen items for user 0, with keyword explanations
 * await model.save("out/model");
 * ```
 */
export class DrexModel implements Recommender {
  /** `"DReX"` or `"DReX-MLP"`. */
  readonly name: string;
  /** Resolved hyperparameters. */
  readonly options: ResolvedDrexOptions;
  #trained?: TrainedDrex;

  /** A model with `options` (see {@linkcode DrexOptions} for defaults); call `fit` next. */
  constructor(options: DrexOptions = {}) {
    this.options = resolveDrexOptions(options);
    this.name = (this.options.variant === "drex" ? "DReX" : "DReX-MLP") +
      (this.options.preset === "paper" ? " (paper)" : "");
  }

  /**
   * The trained state (tensors and parameters); throws a clear error before
   * `fit` or `load`. For the library's own use (saving, analysis).
   *
   * @ignore
   */
  get trained(): TrainedDrex {
    if (!this.#trained) {
      throw new Error(`${this.name}: the model is not trained; call fit() or DrexModel.load()`);
    }
    return this.#trained;
  }

  /** Number of users. */
  get numUsers(): number {
    return this.trained.users.size;
  }

  /** Number of items. */
  get numItems(): number {
    return this.trained.items.size;
  }

  /** The training report (history, best epoch). */
  get report(): FitReport {
    return this.trained.report;
  }

  /** Top-K keyword profiles of every user and item. */
  get profiles(): KeywordProfiles {
    return this.trained.profiles;
  }

  /**
   * Trains from scratch on `input.split.train` and `input.features` (token
   * features of the training reviews, row per training interaction), with
   * early stopping on the validation ratings.
   */
  async fit(input: ModelInput, hooks: FitHooks = {}): Promise<FitReport> {
    const { split, features } = input;
    if (!features) {
      throw new Error(
        `${this.name} needs token features of the training reviews: ` +
          "extractFeatures(split.train.map((it) => it.review))",
      );
    }
    await initBackend();
    this.dispose();
    const o = this.options;
    const rng = new Rng(o.seed);
    const data = prepareDrexTrainingData(split, features, o, rng.fork());
    const params = createDrexParams(
      drexShapes(o, features.dim, data.numUsers, data.numItems),
      data.meanRating,
      rng.fork(),
    );
    const validation = validationPairs(split);
    let biasPenalties: { userReg: number; itemReg: number } | undefined;
    if (params.bias) {
      const args = [data.users, data.items, data.ratings, data.numUsers, data.numItems] as const;
      biasPenalties = o.chooseBiasPenalties && validation.ratings.length > 0
        ? chooseBiasPenalties(...args, data.meanRating, validation)
        : { userReg: o.biasUserReg, itemReg: o.biasItemReg };
      const start = ridgeBiases(...args, data.meanRating, biasPenalties);
      params.bias.user.assign(tf.tensor1d(start.user));
      params.bias.item.assign(tf.tensor1d(start.item));
    }
    const pooler = new AttentionPooler(features, { threads: o.threads });
    const gru = new GruSequenceKernel({ threads: o.threads });
    const net = new DrexNetwork(params, pooler, data, {
      ...o,
      biasUserReg: biasPenalties?.userReg ?? o.biasUserReg,
      biasItemReg: biasPenalties?.itemReg ?? o.biasItemReg,
    }, gru);
    try {
      const outcome = await trainDrex(net, validation, rng.fork(), hooks);
      this.#trained = {
        params,
        userFinal: outcome.userFinal,
        itemFinal: outcome.itemFinal,
        userInitial: outcome.userInitial,
        itemInitial: outcome.itemInitial,
        profiles: outcome.profiles,
        users: split.users,
        items: split.items,
        seen: seenItemsByUser(split),
        featureDim: features.dim,
        encoder: features.encoder,
        report: outcome.report,
        biasPenalties,
      };
    } catch (err) {
      disposeParams(params);
      throw err;
    } finally {
      pooler.dispose();
      gru.dispose();
    }
    return this.#trained.report;
  }

  /**
   * Predicted ratings for pairs `(users[j], items[j])`, clipped to the rating
   * scale: the same definition early stopping validates with, and what the
   * review baselines do. (`scoreAllItems` gives the unclipped scores, for ranking.)
   */
  predict(users: Int32Array, items: Int32Array): Float32Array {
    const t = this.trained;
    if (users.length !== items.length) {
      throw new RangeError(`predict: ${users.length} users but ${items.length} items`);
    }
    this.#checkIndices(users, t.users.size, "user");
    this.#checkIndices(items, t.items.size, "item");
    return tidyRead(() =>
      predictRatings(
        t.params,
        tf.gather(t.userFinal, tf.tensor1d(users, "int32")),
        tf.gather(t.itemFinal, tf.tensor1d(items, "int32")),
        { users, items },
        pairInitials(t, { users, items }),
      ).clipByValue(this.options.ratingMin, this.options.ratingMax)
    );
  }

  /** Predicted ratings of every item for each of `users`, `users.length × numItems` row-major. */
  scoreAllItems(users: Int32Array): Float32Array {
    const t = this.trained;
    this.#checkIndices(users, t.users.size, "user");
    const nI = t.items.size;
    const d = t.userFinal.shape[1];
    const out = new Float32Array(users.length * nI);
    const p = t.params.predictor;
    const itemPart = tf.tidy(() => tf.add(tf.matMul(t.itemFinal, p.w1i), p.b1));
    // Per-entity biases (when the model has them), added on the CPU.
    const userBias = t.params.bias?.user.dataSync();
    const itemBias = t.params.bias?.item.dataSync();
    const chunk = Math.max(1, Math.floor(SCORE_CHUNK_FLOATS / (nI * d)));
    for (let start = 0; start < users.length; start += chunk) {
      const part = users.subarray(start, Math.min(users.length, start + chunk));
      const scores = tidyRead(() => {
        const userPart = tf.matMul(tf.gather(t.userFinal, tf.tensor1d(part, "int32")), p.w1u);
        const hidden = tf.relu(tf.add(tf.expandDims(userPart, 1), tf.expandDims(itemPart, 0)));
        const flat = tf.reshape(
          tf.add(tf.matMul(tf.reshape(hidden, [part.length * nI, d]), p.w2), p.b2),
          [part.length, nI],
        );
        const withLongTerm = t.userInitial && t.itemInitial
          ? tf.add(
            flat,
            tf.matMul(
              tf.gather(t.userInitial, tf.tensor1d(part, "int32")),
              t.itemInitial,
              false,
              true,
            ),
          )
          : flat;
        return withLongTerm;
      });
      if (userBias && itemBias) {
        for (let b = 0; b < part.length; b++) {
          const ub = userBias[part[b]];
          for (let i = 0; i < nI; i++) scores[b * nI + i] += ub + itemBias[i];
        }
      }
      out.set(scores, start * nI);
    }
    itemPart.dispose();
    return out;
  }

  /** The user's top-K keywords; `user` is an index or (a string) the dataset's user id. */
  userProfile(user: number | string): Keyword[] {
    return this.trained.profiles.users[this.trained.users.resolve(user, "user")];
  }

  /** The item's top-K keywords; `item` is an index or (a string) the dataset's item id. */
  itemProfile(item: number | string): Keyword[] {
    return this.trained.profiles.items[this.trained.items.resolve(item, "item")];
  }

  /**
   * Why `item` suits `user`, in `k` words: the words their profiles share, by
   * combined weight, then words only one of them holds (see
   * `explanationKeywords`). Each is an index or (a string) the dataset's id.
   */
  explain(user: number | string, item: number | string, k = 5): Keyword[] {
    return explanationKeywords(this.userProfile(user), this.itemProfile(item), k);
  }

  /** The dataset's user ids, in index order. */
  get userIds(): readonly string[] {
    return this.trained.users.toJSON();
  }

  /** The dataset's item ids, in index order. */
  get itemIds(): readonly string[] {
    return this.trained.items.toJSON();
  }

  /**
   * The `k` items with the highest predicted rating among those the user has
   * no training or validation interaction with, each with its predicted rating
   * (clipped to the scale) and keyword explanation. `user` is an index or (a
   * string) the dataset's user id.
   */
  recommend(userRef: number | string, k: number): Recommendation[] {
    const t = this.trained;
    const user = t.users.resolve(userRef, "user");
    const scores = this.scoreAllItems(Int32Array.of(user));
    const { ratingMin, ratingMax } = this.options;
    return topUnseen(scores, t.seen[user], k).map((item) => ({
      item,
      itemId: t.items.id(item),
      score: Math.min(ratingMax, Math.max(ratingMin, scores[item])),
      explanation: { keywords: this.explain(user, item) },
    }));
  }

  /** Hyperparameters and sizes, as tfjs-layers' `getConfig` does. */
  getConfig(): Record<string, unknown> {
    const t = this.#trained;
    return {
      name: this.name,
      ...this.options,
      ...(t
        ? {
          numUsers: t.users.size,
          numItems: t.items.size,
          featureDim: t.featureDim,
          encoder: t.encoder,
          ...(t.biasPenalties
            ? { biasUserReg: t.biasPenalties.userReg, biasItemReg: t.biasPenalties.itemReg }
            : {}),
        }
        : {}),
    };
  }

  /** Writes the trained model to directory `dir` (replaced as a unit; see `drex_serialization.ts`). */
  async save(dir: string): Promise<void> {
    await writeDrexModel(dir, this.name, this.options, this.trained);
  }

  /** Restores a model saved with {@linkcode DrexModel.save}; predictions are identical. */
  static async load(dir: string): Promise<DrexModel> {
    await initBackend();
    const saved = await readDrexModel(dir);
    const model = new DrexModel(saved.options);
    model.#trained = saved.trained;
    return model;
  }

  /** Frees the model's tensors; the model must be trained or loaded again before use. */
  dispose(): void {
    const t = this.#trained;
    if (!t) return;
    disposeParams(t.params);
    t.userFinal.dispose();
    t.itemFinal.dispose();
    t.userInitial?.dispose();
    t.itemInitial?.dispose();
    this.#trained = undefined;
  }

  #checkIndices(ids: ArrayLike<number>, size: number, what: string): void {
    for (let j = 0; j < ids.length; j++) {
      const v = ids[j];
      if (!Number.isInteger(v) || v < 0 || v >= size) {
        throw new RangeError(`${this.name}: ${what} index ${v} outside [0, ${size})`);
      }
    }
  }
}
