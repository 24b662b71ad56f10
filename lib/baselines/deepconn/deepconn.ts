/**
 * DeepCoNN (Zheng, Noroozi and Yu, WSDM 2017) as a {@linkcode Recommender}:
 * a user tower reads the user's reviews, an item tower the item's, and a
 * factorisation machine on the two latent vectors predicts the rating.
 *
 * - **Documents.** A user's document is the user's training reviews, most
 *   recent first, concatenated and cut after `maxDocumentWords` words (whole
 *   reviews while they fit, then a prefix of the next); an item's likewise
 *   (`review_documents.ts`). Words are the token features the text pipeline
 *   made from the training reviews (static wink 100-d by default, or BERT).
 * - **Towers.** Convolution with window `window` (3) and `filters` (100)
 *   filters, ReLU, max-over-time pooling, then a dense ReLU layer to
 *   `latentDim`. Windows do not cross review boundaries.
 * - **Head.** A factorisation machine on `[x_u ; y_i]` with `fmFactors`
 *   factors, its global bias starting at the training mean.
 * - **No leakage.** During training, the review of the interaction being
 *   predicted is left out of both documents (the original training kept it,
 *   so the model could read the rating's own review: a known leak). At
 *   prediction time documents hold all training reviews and nothing else.
 * - **Training.** Adam on mean squared error (+ `lambda` L2), dropout on the
 *   tower outputs, early stopping on validation MAE (`runEpochLoop`).
 *   After training every user and item is encoded once; predictions and
 *   `scoreAllItems` only evaluate the FM on those vectors.
 *
 * @module
 */
import { initBackend } from "../../backend/init.ts";
import { IdMap } from "../../data/id_map.ts";
import { Rng } from "../../random.ts";
import type {
  FitHooks,
  FitReport,
  ModelInput,
  Recommendation,
  Recommender,
} from "../../recommender.ts";
import { seenItemsByUser, topUnseen } from "../../seen_items.ts";
import { createDeepConnParams, type DeepConnParams, deepConnVariables } from "./deepconn_params.ts";
import { DeepConnNetwork, deepConnScores } from "./deepconn_network.ts";
import type { FmScores } from "./fm_scores.ts";
import {
  type DeepConnOptions,
  type ResolvedDeepConnOptions,
  resolveDeepConnOptions,
} from "./options.ts";
import { assignArrays, variableArrays } from "./param_init.ts";
import { PooledReviewCnn } from "./pooled_review_cnn.ts";
import { entityReviews } from "./review_documents.ts";
import { TokenRows } from "./token_rows.ts";
import { trainReviewModel } from "./train_review_model.ts";
import { clip, ratedTrainingPairs, ratingErrors, validationPairs } from "./training_pairs.ts";
import { readWeightsModel, writeWeightsModel } from "./weights_file.ts";

const FORMAT = "drex-deepconn";
const VERSION = 1;

/** What a trained DeepCoNN holds. */
interface TrainedDeepConn {
  params: DeepConnParams;
  /** User latent vectors from whole documents, `numUsers × d`. */
  userVectors: Float32Array;
  /** Item latent vectors, `numItems × d`. */
  itemVectors: Float32Array;
  scores: FmScores;
  users: IdMap;
  items: IdMap;
  seen: Int32Array[];
  featureDim: number;
  encoder: string;
  report: FitReport;
}

/**
 * The DeepCoNN recommender; see the module documentation.
 *
 * @example
 * ```ts ignore
 * const { features } = await extractFeatures(split.train.map((it) => it.review));
 * const model = new DeepConn({ latentDim: 64 });
 * await model.fit({ split, features });
 * model.recommend(0, 5);
 * ```
 */
export class DeepConn implements Recommender {
  /** Table name. */
  readonly name: string = "DeepCoNN";
  /** Resolved hyperparameters. */
  readonly options: ResolvedDeepConnOptions;
  #trained?: TrainedDeepConn;

  /** A model with `options` (see {@linkcode DeepConnOptions} for defaults); call `fit` next. */
  constructor(options: DeepConnOptions = {}) {
    this.options = resolveDeepConnOptions(options);
  }

  #state(): TrainedDeepConn {
    if (!this.#trained) {
      throw new Error("DeepCoNN: the model is not trained; call fit() or DeepConn.load()");
    }
    return this.#trained;
  }

  /** Number of users. */
  get numUsers(): number {
    return this.#state().users.size;
  }

  /** Number of items. */
  get numItems(): number {
    return this.#state().items.size;
  }

  /** The training report (history, best epoch). */
  get report(): FitReport {
    return this.#state().report;
  }

  /**
   * Trains from scratch on `input.split.train` and `input.features` (token
   * features of the training reviews, one row per training interaction),
   * with early stopping on the validation ratings.
   */
  async fit(input: ModelInput, hooks: FitHooks = {}): Promise<FitReport> {
    const { split, features } = input;
    if (!features) {
      throw new Error(
        "DeepCoNN needs token features of the training reviews: " +
          "extractFeatures(split.train.map((it) => it.review))",
      );
    }
    if (features.tokens.length !== split.train.length) {
      throw new RangeError(
        `DeepCoNN: features have ${features.tokens.length} reviews but the split has ` +
          `${split.train.length} training interactions`,
      );
    }
    await initBackend();
    this.dispose();
    const o = this.options;
    const rng = new Rng(o.seed);
    const targets = ratedTrainingPairs(split, this.name);
    const mean = targets.ratings.reduce((a, b) => a + b, 0) / targets.ratings.length;
    const params = createDeepConnParams(
      {
        featureDim: features.dim,
        window: o.window,
        filters: o.filters,
        latentDim: o.latentDim,
        fmFactors: o.fmFactors,
      },
      mean,
      rng.fork(),
    );
    try {
      const net = new DeepConnNetwork(
        params,
        new PooledReviewCnn(new TokenRows(features), o.window, o.filters),
        entityReviews(split.train, features.tokens, split.users.size, split.items.size),
        o,
      );
      const validation = validationPairs(split);
      const report = await trainReviewModel(
        {
          label: this.name,
          options: o,
          variables: deepConnVariables(params),
          plan: (rows, users, items, ratings) => net.planBatch(rows, users, items, ratings),
          loss: (plan, dropout) => net.batchLoss(plan, dropout),
          validate: () => {
            if (validation.users.length === 0) return { mae: NaN, rmse: NaN };
            const scores = net.scores(net.encodeAll("user"), net.encodeAll("item"));
            const predicted = scores.predict(validation.users, validation.items);
            return ratingErrors(predicted, validation.ratings, o.ratingMin, o.ratingMax);
          },
        },
        targets,
        rng.fork(),
        hooks,
      );
      const userVectors = net.encodeAll("user");
      const itemVectors = net.encodeAll("item");
      this.#trained = {
        params,
        userVectors,
        itemVectors,
        scores: net.scores(userVectors, itemVectors),
        users: split.users,
        items: split.items,
        seen: seenItemsByUser(split),
        featureDim: features.dim,
        encoder: features.encoder,
        report,
      };
      return report;
    } catch (err) {
      for (const [, v] of deepConnVariables(params)) v.dispose();
      throw err;
    }
  }

  #check(ids: ArrayLike<number>, size: number, what: string): void {
    for (let j = 0; j < ids.length; j++) {
      const v = ids[j];
      if (!Number.isInteger(v) || v < 0 || v >= size) {
        throw new RangeError(`DeepCoNN: ${what} index ${v} outside [0, ${size})`);
      }
    }
  }

  /** Predicted ratings for pairs `(users[j], items[j])`, clipped to the rating scale. */
  predict(users: Int32Array, items: Int32Array): Float32Array {
    const t = this.#state();
    if (users.length !== items.length) {
      throw new RangeError(`predict: ${users.length} users but ${items.length} items`);
    }
    this.#check(users, t.users.size, "user");
    this.#check(items, t.items.size, "item");
    return this.#clip(t.scores.predict(users, items));
  }

  /** Predicted ratings of every item for each of `users`, `users.length × numItems` row-major. */
  scoreAllItems(users: Int32Array): Float32Array {
    const t = this.#state();
    this.#check(users, t.users.size, "user");
    return this.#clip(t.scores.scoreAll(users));
  }

  #clip(values: Float32Array): Float32Array {
    const { ratingMin, ratingMax } = this.options;
    for (let j = 0; j < values.length; j++) values[j] = clip(values[j], ratingMin, ratingMax);
    return values;
  }

  /** The `k` unseen items (no training or validation interaction) with the highest predicted rating. */
  recommend(user: number, k: number): Recommendation[] {
    const t = this.#state();
    this.#check([user], t.users.size, "user");
    const scores = this.scoreAllItems(Int32Array.of(user));
    return topUnseen(scores, t.seen[user], k)
      .map((item) => ({ item, itemId: t.items.id(item), score: scores[item] }));
  }

  /** Writes the model to directory `dir` (replaced as a unit). */
  async save(dir: string): Promise<void> {
    const t = this.#state();
    const d = this.options.latentDim;
    await writeWeightsModel(dir, FORMAT, VERSION, {
      name: this.name,
      options: this.options,
      featureDim: t.featureDim,
      encoder: t.encoder,
      users: t.users.toJSON(),
      items: t.items.toJSON(),
      seen: t.seen.map((s) => Array.from(s)),
      report: t.report,
    }, [
      ...variableArrays(deepConnVariables(t.params)),
      { name: "userVectors", shape: [t.users.size, d], values: t.userVectors },
      { name: "itemVectors", shape: [t.items.size, d], values: t.itemVectors },
    ]);
  }

  /** Restores a model written by {@linkcode DeepConn.save}; predictions are identical. */
  static async load(dir: string): Promise<DeepConn> {
    await initBackend();
    const saved = await readWeightsModel(dir, FORMAT, VERSION);
    const json = saved.json;
    const model = new DeepConn(json.options as DeepConnOptions);
    const o = model.options;
    const users = IdMap.fromJSON(json.users as string[]);
    const items = IdMap.fromJSON(json.items as string[]);
    const featureDim = json.featureDim as number;
    const params = createDeepConnParams(
      {
        featureDim,
        window: o.window,
        filters: o.filters,
        latentDim: o.latentDim,
        fmFactors: o.fmFactors,
      },
      0,
      new Rng(0),
    );
    try {
      assignArrays(deepConnVariables(params), saved.take);
      const userVectors = saved.take("userVectors", [users.size, o.latentDim]);
      const itemVectors = saved.take("itemVectors", [items.size, o.latentDim]);
      model.#trained = {
        params,
        userVectors,
        itemVectors,
        scores: deepConnScores(params, o, userVectors, itemVectors),
        users,
        items,
        seen: (json.seen as number[][]).map((s) => Int32Array.from(s)),
        featureDim,
        encoder: json.encoder as string,
        report: json.report as FitReport,
      };
    } catch (err) {
      for (const [, v] of deepConnVariables(params)) v.dispose();
      throw err;
    }
    return model;
  }

  /** Frees the model's tensors; the model must be trained or loaded again before use. */
  dispose(): void {
    const t = this.#trained;
    if (!t) return;
    for (const [, v] of deepConnVariables(t.params)) v.dispose();
    this.#trained = undefined;
  }
}
