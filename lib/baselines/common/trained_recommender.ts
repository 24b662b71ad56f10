/**
 * The {@linkcode Recommender} shell every trained baseline shares once
 * training is over: the trained state and its checks, predictions through a
 * {@linkcode PairScorer}, recommendations of unseen items (explained where
 * the model can explain), and disposal. Each model adds `fit`, `save` and a
 * static `load`; {@linkcode ReviewRecommender} adds what the review models
 * share (clipping to the rating scale, saved fields).
 *
 * @module
 */
import type { IdMap } from "../../data/id_map.ts";
import type {
  Explanation,
  FitHooks,
  FitReport,
  ModelInput,
  Recommendation,
  Recommender,
} from "../../recommender.ts";
import { topUnseen } from "../../seen_items.ts";
import { checkIndices } from "./rated_pairs.ts";
import type { PairScorer } from "./pair_scorer.ts";

/** What every trained baseline keeps: ids, seen items, its report and its scorer. */
export interface TrainedCore {
  /** User ids of the training split. */
  users: IdMap;
  /** Item ids of the training split. */
  items: IdMap;
  /** Per user, the items with a training or validation interaction (never recommended). */
  seen: Int32Array[];
  /** The training report (empty for a model loaded from a format that does not keep it). */
  report: FitReport;
  /** The trained model's raw scores. */
  scorer: PairScorer;
}

/**
 * Base of the trained baselines: everything but training, saving and
 * loading. Errors name the model (`name`), e.g.
 * `"BiasedMF: user index 5 outside [0, 3)"`.
 *
 * Subclasses set `name`, pass their resolved options to the constructor,
 * store what `fit` or `load` produced in
 * {@linkcode TrainedRecommender.trained}, and may override the hooks:
 * {@linkcode TrainedRecommender.release} (free tensors),
 * {@linkcode TrainedRecommender.adjust} (raw scores to predictions),
 * {@linkcode TrainedRecommender.shownScore} (the score a recommendation
 * shows) and {@linkcode TrainedRecommender.explanationFor}.
 */
export abstract class TrainedRecommender<T extends TrainedCore = TrainedCore, O = unknown>
  implements Recommender {
  /** Table name; errors start with it. */
  abstract readonly name: string;
  /** Resolved hyperparameters. */
  readonly options: O;
  /** The trained state; `undefined` before `fit` or `load` and after `dispose`. */
  protected trained?: T;
  readonly #loader: string;

  /**
   * A model with resolved `options`; `loader` names the static method that
   * restores a saved one (e.g. `"BiasedMF.load()"`) in the error an
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

  /** Frees what `t` holds (tensors); called by `dispose`. Nothing by default. */
  protected release(_t: T): void {}

  /** Raw scores to predictions, in place (clipping, for instance). Unchanged by default. */
  protected adjust(values: Float32Array): Float32Array {
    return values;
  }

  /** The score a recommendation shows for a predicted `score`. Unchanged by default. */
  protected shownScore(score: number, _t: T): number {
    return score;
  }

  /** The explanation attached to recommending `item` to `user`; none by default. */
  protected explanationFor(_user: number, _item: number): Explanation | undefined {
    return undefined;
  }

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

  /** Predictions for pairs `(users[j], items[j])` (see each model for their scale). */
  predict(users: Int32Array, items: Int32Array): Float32Array {
    const t = this.state();
    if (users.length !== items.length) {
      throw new RangeError(`predict: ${users.length} users but ${items.length} items`);
    }
    this.checkIds("user", users);
    this.checkIds("item", items);
    return this.adjust(t.scorer.predict(users, items));
  }

  /** Predictions of every item for each of `users`, `users.length × numItems` row-major. */
  scoreAllItems(users: Int32Array): Float32Array {
    const t = this.state();
    this.checkIds("user", users);
    return this.adjust(t.scorer.scoreAll(users));
  }

  /**
   * The `k` unseen items (no training or validation interaction) with the
   * highest prediction, best first, explained where the model explains.
   * `user` is an index or (a string) the dataset's user id.
   */
  recommend(userRef: number | string, k: number): Recommendation[] {
    const t = this.state();
    const user = t.users.resolve(userRef, "user");
    const scores = this.scoreAllItems(Int32Array.of(user));
    return topUnseen(scores, t.seen[user], k).map((item) => {
      const rec: Recommendation = {
        item,
        itemId: t.items.id(item),
        score: this.shownScore(scores[item], t),
      };
      const explanation = this.explanationFor(user, item);
      if (explanation) rec.explanation = explanation;
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
}
