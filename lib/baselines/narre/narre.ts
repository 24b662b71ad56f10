/**
 * NARRE (Chen, Zhang, Liu and Ma, WWW 2018) as a {@linkcode Recommender}:
 * every review is encoded by a CNN; a review-level attention decides how
 * much each of a user's (item's) reviews counts; the attended review
 * features plus id embeddings give latent factors, and
 * `r̂ = w1 · (p_u ⊙ q_i) + b_u + b_i + μ`. The item's most attended reviews
 * explain a recommendation.
 *
 * - **Review lists.** A user's list is the user's most recent training
 *   reviews, at most `maxReviews`; an item's likewise
 *   (`../deepconn/review_documents.ts`). Words are the token features the
 *   text pipeline made from the training reviews (static wink 100-d by
 *   default, or BERT).
 * - **Review CNN.** Convolution (window 3, `filters` filters), ReLU,
 *   max-over-time pooling, separate weights for the user and item towers.
 * - **Attention.** Scored from the review's CNN features and an id
 *   embedding of the item the review was written for (for items: of the
 *   review's author), softmax over the list (`narre_network.ts`).
 * - **No leakage.** During training, the review of the interaction being
 *   predicted is left out of both lists (the original training kept it).
 *   At prediction time lists hold training reviews only.
 * - **Training.** Adam on mean squared error (+ `lambda` L2), dropout on the
 *   review features `X_u`, `Y_i`, early stopping on validation MAE. After
 *   training every user and item is encoded once, so `predict` and
 *   `scoreAllItems` only take dot products.
 *
 * @module
 */
import { initBackend } from "../../backend/init.ts";
import { IdMap } from "../../data/id_map.ts";
import { Rng } from "../../random.ts";
import type {
  Explanation,
  FitHooks,
  FitReport,
  ModelInput,
  Recommendation,
  Recommender,
} from "../../recommender.ts";
import { seenItemsByUser, topUnseen } from "../../seen_items.ts";
import { assignArrays, variableArrays } from "../deepconn/param_init.ts";
import { PooledReviewCnn } from "../deepconn/pooled_review_cnn.ts";
import { entityReviews } from "../deepconn/review_documents.ts";
import { TokenRows } from "../deepconn/token_rows.ts";
import { trainReviewModel } from "../deepconn/train_review_model.ts";
import {
  clip,
  ratedTrainingPairs,
  ratingErrors,
  validationPairs,
} from "../deepconn/training_pairs.ts";
import { readWeightsModel, writeWeightsModel } from "../deepconn/weights_file.ts";
import { NarreNetwork, type SideEncoding } from "./narre_network.ts";
import { createNarreParams, type NarreParams, narreVariables } from "./narre_params.ts";
import { NarreScores } from "./narre_scores.ts";
import { type NarreOptions, type ResolvedNarreOptions, resolveNarreOptions } from "./options.ts";

const FORMAT = "drex-narre";
const VERSION = 1;

/** One review shown as evidence: its text and attention weight. */
type EvidenceReview = { text: string; weight: number };

/** What a trained NARRE holds. */
interface TrainedNarre {
  params: NarreParams;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  scores: NarreScores;
  /** Per item, its most attended training reviews, strongest first. */
  itemEvidence: EvidenceReview[][];
  users: IdMap;
  items: IdMap;
  seen: Int32Array[];
  featureDim: number;
  encoder: string;
  report: FitReport;
}

function scoresOf(params: NarreParams, userFactors: Float32Array, itemFactors: Float32Array) {
  return new NarreScores({
    userFactors,
    itemFactors,
    w1: params.w1.dataSync() as Float32Array,
    userBias: params.user.bias.dataSync() as Float32Array,
    itemBias: params.item.bias.dataSync() as Float32Array,
    global: params.global.dataSync()[0],
  });
}

/** Each item's `top` most attended reviews, with texts from the training interactions. */
function evidence(
  items: SideEncoding,
  texts: readonly (string | undefined)[],
  top: number,
): EvidenceReview[][] {
  return items.lists.map((list, i) => {
    const w = items.weights[i];
    const order = Array.from(list, (_, m) => m).sort((a, b) => w[b] - w[a] || a - b);
    return order.slice(0, top).map((m) => ({ text: texts[list[m]] ?? "", weight: w[m] }));
  });
}

/**
 * The NARRE recommender; see the module documentation.
 *
 * @example
 * ```ts ignore
 * const { features } = await extractFeatures(split.train.map((it) => it.review));
 * const model = new Narre({ latentDim: 64 });
 * await model.fit({ split, features });
 * model.recommend(0, 5); // each with the item's most attended reviews
 * ```
 */
export class Narre implements Recommender {
  /** Table name. */
  readonly name: string = "NARRE";
  /** Resolved hyperparameters. */
  readonly options: ResolvedNarreOptions;
  #trained?: TrainedNarre;

  /** A model with `options` (see {@linkcode NarreOptions} for defaults); call `fit` next. */
  constructor(options: NarreOptions = {}) {
    this.options = resolveNarreOptions(options);
  }

  #state(): TrainedNarre {
    if (!this.#trained) {
      throw new Error("NARRE: the model is not trained; call fit() or Narre.load()");
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
        "NARRE needs token features of the training reviews: " +
          "extractFeatures(split.train.map((it) => it.review))",
      );
    }
    if (features.tokens.length !== split.train.length) {
      throw new RangeError(
        `NARRE: features have ${features.tokens.length} reviews but the split has ` +
          `${split.train.length} training interactions`,
      );
    }
    await initBackend();
    this.dispose();
    const o = this.options;
    const rng = new Rng(o.seed);
    const targets = ratedTrainingPairs(split, this.name);
    const mean = targets.ratings.reduce((a, b) => a + b, 0) / targets.ratings.length;
    const params = createNarreParams(
      {
        featureDim: features.dim,
        window: o.window,
        filters: o.filters,
        latentDim: o.latentDim,
        attentionDim: o.attentionDim,
        numUsers: split.users.size,
        numItems: split.items.size,
      },
      mean,
      rng.fork(),
    );
    try {
      const net = new NarreNetwork(
        params,
        new PooledReviewCnn(new TokenRows(features), o.window, o.filters),
        entityReviews(split.train, features.tokens, split.users.size, split.items.size),
        split.train,
        o,
      );
      const validation = validationPairs(split);
      const report = await trainReviewModel(
        {
          label: this.name,
          options: o,
          variables: narreVariables(params),
          plan: (rows, users, items, ratings) => net.planBatch(rows, users, items, ratings),
          loss: (plan, dropout) => net.batchLoss(plan, dropout),
          validate: () => {
            if (validation.users.length === 0) return { mae: NaN, rmse: NaN };
            const scores = scoresOf(
              params,
              net.encodeAll("user").factors,
              net.encodeAll("item").factors,
            );
            const predicted = scores.predict(validation.users, validation.items);
            return ratingErrors(predicted, validation.ratings, o.ratingMin, o.ratingMax);
          },
        },
        targets,
        rng.fork(),
        hooks,
      );
      const userFactors = net.encodeAll("user").factors;
      const items = net.encodeAll("item");
      this.#trained = {
        params,
        userFactors,
        itemFactors: items.factors,
        scores: scoresOf(params, userFactors, items.factors),
        itemEvidence: evidence(
          items,
          split.train.map((it) => it.review),
          o.explanationReviews,
        ),
        users: split.users,
        items: split.items,
        seen: seenItemsByUser(split),
        featureDim: features.dim,
        encoder: features.encoder,
        report,
      };
      return report;
    } catch (err) {
      for (const [, v] of narreVariables(params)) v.dispose();
      throw err;
    }
  }

  #check(ids: ArrayLike<number>, size: number, what: string): void {
    for (let j = 0; j < ids.length; j++) {
      const v = ids[j];
      if (!Number.isInteger(v) || v < 0 || v >= size) {
        throw new RangeError(`NARRE: ${what} index ${v} outside [0, ${size})`);
      }
    }
  }

  #clip(values: Float32Array): Float32Array {
    const { ratingMin, ratingMax } = this.options;
    for (let j = 0; j < values.length; j++) values[j] = clip(values[j], ratingMin, ratingMax);
    return values;
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

  /**
   * Why `item` for `user`: the item's most attended training reviews
   * (at most `explanationReviews`), strongest first, with their attention
   * weights. NARRE's item attention does not depend on the user; `user` is
   * checked only.
   */
  explain(user: number, item: number): Explanation {
    const t = this.#state();
    this.#check([user], t.users.size, "user");
    this.#check([item], t.items.size, "item");
    return { reviews: t.itemEvidence[item].map((r) => ({ ...r })) };
  }

  /**
   * The `k` unseen items (no training or validation interaction) with the
   * highest predicted rating, each explained by its most attended reviews.
   */
  recommend(user: number, k: number): Recommendation[] {
    const t = this.#state();
    this.#check([user], t.users.size, "user");
    const scores = this.scoreAllItems(Int32Array.of(user));
    return topUnseen(scores, t.seen[user], k).map((item) => ({
      item,
      itemId: t.items.id(item),
      score: scores[item],
      explanation: this.explain(user, item),
    }));
  }

  /** Writes the model to directory `dir` (replaced as a unit). */
  async save(dir: string): Promise<void> {
    const t = this.#state();
    const k = this.options.latentDim;
    await writeWeightsModel(dir, FORMAT, VERSION, {
      name: this.name,
      options: this.options,
      featureDim: t.featureDim,
      encoder: t.encoder,
      users: t.users.toJSON(),
      items: t.items.toJSON(),
      seen: t.seen.map((s) => Array.from(s)),
      itemEvidence: t.itemEvidence,
      report: t.report,
    }, [
      ...variableArrays(narreVariables(t.params)),
      { name: "userFactors", shape: [t.users.size, k], values: t.userFactors },
      { name: "itemFactors", shape: [t.items.size, k], values: t.itemFactors },
    ]);
  }

  /** Restores a model written by {@linkcode Narre.save}; predictions are identical. */
  static async load(dir: string): Promise<Narre> {
    await initBackend();
    const saved = await readWeightsModel(dir, FORMAT, VERSION);
    const json = saved.json;
    const model = new Narre(json.options as NarreOptions);
    const o = model.options;
    const users = IdMap.fromJSON(json.users as string[]);
    const items = IdMap.fromJSON(json.items as string[]);
    const featureDim = json.featureDim as number;
    const params = createNarreParams(
      {
        featureDim,
        window: o.window,
        filters: o.filters,
        latentDim: o.latentDim,
        attentionDim: o.attentionDim,
        numUsers: users.size,
        numItems: items.size,
      },
      0,
      new Rng(0),
    );
    try {
      assignArrays(narreVariables(params), saved.take);
      const userFactors = saved.take("userFactors", [users.size, o.latentDim]);
      const itemFactors = saved.take("itemFactors", [items.size, o.latentDim]);
      model.#trained = {
        params,
        userFactors,
        itemFactors,
        scores: scoresOf(params, userFactors, itemFactors),
        itemEvidence: json.itemEvidence as EvidenceReview[][],
        users,
        items,
        seen: (json.seen as number[][]).map((s) => Int32Array.from(s)),
        featureDim,
        encoder: json.encoder as string,
        report: json.report as FitReport,
      };
    } catch (err) {
      for (const [, v] of narreVariables(params)) v.dispose();
      throw err;
    }
    return model;
  }

  /** Frees the model's tensors; the model must be trained or loaded again before use. */
  dispose(): void {
    const t = this.#trained;
    if (!t) return;
    for (const [, v] of narreVariables(t.params)) v.dispose();
    this.#trained = undefined;
  }
}
