/**
 * The {@linkcode Recommender} shell the review baselines (DeepCoNN, NARRE,
 * PESI) share once a model is trained: the trained state and its checks,
 * clipped predictions, recommendations (explained where the model can
 * explain), the fields every saved model stores, and disposal. Each model
 * adds its own `fit`, `save`, static `load`, and (NARRE, PESI) `explain`.
 *
 * @module
 */
import { initBackend } from "../../backend/init.ts";
import { IdMap } from "../../data/id_map.ts";
import type { DatasetSplit } from "../../data/types.ts";
import type {
  Explanation,
  FitHooks,
  FitReport,
  ModelInput,
  Recommendation,
  Recommender,
} from "../../recommender.ts";
import { Rng } from "../../random.ts";
import { seenItemsByUser, topUnseen } from "../../seen_items.ts";
import type { TokenFeatures } from "../../text/token_features.ts";
import { checkIndices } from "../biased_mf/rated_pairs.ts";
import type { PairScorer } from "./pair_scorer.ts";
import { clip, type RatedPairs, ratedTrainingPairs } from "./training_pairs.ts";

/** What every trained review model keeps besides its parameters. */
export interface ReviewModelState {
  /** User ids of the training split. */
  users: IdMap;
  /** Item ids of the training split. */
  items: IdMap;
  /** Per user, the items with a training or validation interaction (never recommended). */
  seen: Int32Array[];
  /** Width D of the token features the model was trained on. */
  featureDim: number;
  /** Name of the text encoder that made those features. */
  encoder: string;
  /** The training report. */
  report: FitReport;
}

/** A trained review model: the shared state and the scorer that predicts ratings. */
export interface TrainedReviewModel extends ReviewModelState {
  /** Unclipped predictions of the trained model. */
  scorer: PairScorer;
}

/** The options the shell reads: the rating scale predictions are clipped to. */
export interface RatingScale {
  /** Lowest rating. */
  ratingMin: number;
  /** Highest rating. */
  ratingMax: number;
}

/**
 * The token features of `input` (the training reviews, one row per training
 * interaction); throws naming `model` when they are missing or do not match
 * `input.split.train`.
 */
export function requireReviewFeatures(model: string, input: ModelInput): TokenFeatures {
  const { split, features } = input;
  if (!features) {
    throw new Error(
      `${model} needs token features of the training reviews: ` +
        "extractFeatures(split.train.map((it) => it.review))",
    );
  }
  if (features.tokens.length !== split.train.length) {
    throw new RangeError(
      `${model}: features have ${features.tokens.length} reviews but the split has ` +
        `${split.train.length} training interactions`,
    );
  }
  return features;
}

/** What every review model's `fit` starts from (see {@linkcode beginFit}). */
export interface FitStart {
  /** The split trained on (`input.split`). */
  split: DatasetSplit;
  /** Its checked token features. */
  features: TokenFeatures;
  /** The model's random stream, from `options.seed`. */
  rng: Rng;
  /** The rated training interactions, the regression targets. */
  targets: RatedPairs;
  /** Their mean rating (the models' global offset starts there). */
  mean: number;
}

/**
 * The common start of a review model's `fit`: checks the features
 * ({@linkcode requireReviewFeatures}), readies the TF.js backend, frees what
 * `model` held, and seeds the random stream.
 */
export async function beginFit(
  model: { readonly name: string; readonly options: { seed: number }; dispose(): void },
  input: ModelInput,
): Promise<FitStart> {
  const features = requireReviewFeatures(model.name, input);
  await initBackend();
  model.dispose();
  const targets = ratedTrainingPairs(input.split, model.name);
  const mean = targets.ratings.reduce((a, b) => a + b, 0) / targets.ratings.length;
  return { split: input.split, features, rng: new Rng(model.options.seed), targets, mean };
}

/** The shared state of a model just trained on `split` with `features`. */
export function fittedState(
  split: DatasetSplit,
  features: TokenFeatures,
  report: FitReport,
): ReviewModelState {
  return {
    users: split.users,
    items: split.items,
    seen: seenItemsByUser(split),
    featureDim: features.dim,
    encoder: features.encoder,
    report,
  };
}

/** The shared state stored in a saved model's `model.json` (see {@linkcode ReviewRecommender.savedFields}). */
export function restoredState(json: Record<string, unknown>): ReviewModelState {
  return {
    users: IdMap.fromJSON(json.users as string[]),
    items: IdMap.fromJSON(json.items as string[]),
    seen: (json.seen as number[][]).map((s) => Int32Array.from(s)),
    featureDim: json.featureDim as number,
    encoder: json.encoder as string,
    report: json.report as FitReport,
  };
}

/**
 * Base of the review baselines: everything but training, saving, loading
 * and explaining. Errors name the model (`name`), e.g.
 * `"DeepCoNN: user index 5 outside [0, 3)"`.
 *
 * Subclasses set `name`, pass their resolved options to the constructor,
 * store what `fit` or `load` produced in {@linkcode ReviewRecommender.trained},
 * free it in {@linkcode ReviewRecommender.release}, and may define
 * `explain`, which `recommend` then attaches to every recommendation.
 */
export abstract class ReviewRecommender<
  T extends TrainedReviewModel = TrainedReviewModel,
  O extends RatingScale = RatingScale,
> implements Recommender {
  /** Table name; errors start with it. */
  abstract readonly name: string;
  /** Resolved hyperparameters. */
  readonly options: O;
  /** The trained state; `undefined` before `fit` or `load` and after `dispose`. */
  protected trained?: T;
  /** The explanation of recommending `item` to `user`, for models that give one. */
  explain?(user: number, item: number): Explanation;
  readonly #loader: string;

  /**
   * A model with resolved `options`; `loader` names the static method that
   * restores a saved one (e.g. `"DeepConn.load()"`) in the error an
   * untrained model gives.
   */
  protected constructor(options: O, loader: string) {
    this.options = options;
    this.#loader = loader;
  }

  /** Trains from scratch on `input`; see each model. */
  abstract fit(input: ModelInput, hooks?: FitHooks): Promise<FitReport>;

  /** Writes the model to directory `dir`; see each model. */
  abstract save(dir: string): Promise<void>;

  /** Frees what `t` holds (its tensors); called by `dispose`. */
  protected abstract release(t: T): void;

  /** The trained state; throws when the model is not trained. */
  protected state(): T {
    if (!this.trained) {
      throw new Error(`${this.name}: the model is not trained; call fit() or ${this.#loader}`);
    }
    return this.trained;
  }

  /** Throws a `RangeError` naming the model unless every index in `ids` is a known user (item). */
  protected checkIds(what: "user" | "item", ids: ArrayLike<number>): void {
    const t = this.state();
    checkIndices(this.name, what, ids, what === "user" ? t.users.size : t.items.size);
  }

  /**
   * The fields every saved review model stores in `model.json` (name,
   * options, feature width and encoder, ids, seen items, report), read back
   * by {@linkcode restoredState}.
   */
  protected savedFields(t: T): Record<string, unknown> {
    return {
      name: this.name,
      options: this.options,
      featureDim: t.featureDim,
      encoder: t.encoder,
      users: t.users.toJSON(),
      items: t.items.toJSON(),
      seen: t.seen.map((s) => Array.from(s)),
      report: t.report,
    };
  }

  /** Number of users. */
  get numUsers(): number {
    return this.state().users.size;
  }

  /** Number of items. */
  get numItems(): number {
    return this.state().items.size;
  }

  /** The training report (history, best epoch). */
  get report(): FitReport {
    return this.state().report;
  }

  /** Predicted ratings for pairs `(users[j], items[j])`, clipped to the rating scale. */
  predict(users: Int32Array, items: Int32Array): Float32Array {
    const t = this.state();
    if (users.length !== items.length) {
      throw new RangeError(`predict: ${users.length} users but ${items.length} items`);
    }
    this.checkIds("user", users);
    this.checkIds("item", items);
    return this.#clip(t.scorer.predict(users, items));
  }

  /** Predicted ratings of every item for each of `users`, `users.length × numItems` row-major. */
  scoreAllItems(users: Int32Array): Float32Array {
    const t = this.state();
    this.checkIds("user", users);
    return this.#clip(t.scorer.scoreAll(users));
  }

  /**
   * The `k` unseen items (no training or validation interaction) with the
   * highest predicted rating, each explained when the model has `explain`.
   */
  recommend(user: number, k: number): Recommendation[] {
    const t = this.state();
    this.checkIds("user", [user]);
    const scores = this.scoreAllItems(Int32Array.of(user));
    return topUnseen(scores, t.seen[user], k).map((item) => {
      const rec: Recommendation = { item, itemId: t.items.id(item), score: scores[item] };
      if (this.explain) rec.explanation = this.explain(user, item);
      return rec;
    });
  }

  /** Frees the model's tensors; the model must be trained or loaded again before use. */
  dispose(): void {
    const t = this.trained;
    if (!t) return;
    this.release(t);
    this.trained = undefined;
  }

  #clip(values: Float32Array): Float32Array {
    const { ratingMin, ratingMax } = this.options;
    for (let j = 0; j < values.length; j++) values[j] = clip(values[j], ratingMin, ratingMax);
    return values;
  }
}
