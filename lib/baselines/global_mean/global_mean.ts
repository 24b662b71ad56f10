/**
 * The global-mean baseline: predicts the mean training rating for every
 * pair. Every model should beat it; it calibrates the other numbers.
 *
 * @module
 */
import { IdMap, resolveUser } from "../../data/id_map.ts";
import type { FitReport, ModelInput, Recommendation, Recommender } from "../../recommender.ts";
import { readJsonModel, writeJsonModel } from "../../io/json_model.ts";
import { seenItemsByUser, topUnseen } from "../../seen_items.ts";

const FORMAT = "drex-global-mean";

/**
 * Predicts the mean of the training ratings.
 *
 * @example
 * ```ts ignore
 * const model = new GlobalMean();
 * await model.fit({ split });
 * model.predict(Int32Array.of(0), Int32Array.of(3)); // [mean]
 * ```
 */
export class GlobalMean implements Recommender {
  /** Table name. */
  readonly name: string = "GlobalMean";
  #mean = NaN;
  #items?: IdMap;
  #users?: IdMap;
  #seen: Int32Array[] = [];

  /** Number of items (after `fit` or `load`). */
  get numItems(): number {
    return this.#trainedItems().size;
  }

  /** The fitted mean rating. */
  get mean(): number {
    this.#trainedItems();
    return this.#mean;
  }

  /** Computes the mean of `split.train` ratings. */
  fit(input: ModelInput): Promise<FitReport> {
    const started = performance.now();
    let sum = 0;
    let n = 0;
    for (const it of input.split.train) {
      if (it.rating === undefined) continue;
      sum += it.rating;
      n++;
    }
    if (n === 0) throw new Error("GlobalMean: no training interaction has a rating");
    this.#mean = sum / n;
    this.#items = input.split.items;
    this.#users = input.split.users;
    this.#seen = seenItemsByUser(input.split);
    return Promise.resolve({
      history: [],
      bestEpoch: 0,
      stoppedEarly: false,
      seconds: (performance.now() - started) / 1000,
    });
  }

  /** The mean, for every pair. */
  predict(users: Int32Array, items: Int32Array): Float32Array {
    this.#trainedItems();
    if (users.length !== items.length) {
      throw new RangeError(`predict: ${users.length} users but ${items.length} items`);
    }
    return new Float32Array(users.length).fill(this.#mean);
  }

  /** The mean for every item: rankings are all ties (the evaluator breaks them at random). */
  scoreAllItems(users: Int32Array): Float32Array {
    return new Float32Array(users.length * this.numItems).fill(this.#mean);
  }

  /** Any `k` unseen items (all score the same). */
  recommend(userRef: number | string, k: number): Recommendation[] {
    const user = resolveUser(this.name, this.#users, userRef);
    const items = this.#trainedItems();
    return topUnseen(
      this.scoreAllItems(Int32Array.of(user)),
      this.#seen[user] ?? new Int32Array(),
      k,
    )
      .map((item) => ({ item, itemId: items.id(item), score: this.#mean }));
  }

  /** Writes `model.json` to `dir`. */
  async save(dir: string): Promise<void> {
    await writeJsonModel(dir, FORMAT, 1, {
      mean: this.#mean,
      items: this.#trainedItems().toJSON(),
      users: this.#users?.toJSON(),
      seen: this.#seen.map((s) => Array.from(s)),
    });
  }

  /** Restores a model written by {@linkcode GlobalMean.save}. */
  static async load(dir: string): Promise<GlobalMean> {
    const json = await readJsonModel(dir, FORMAT, 1);
    const model = new GlobalMean();
    model.#mean = json.mean as number;
    model.#items = IdMap.fromJSON(json.items as string[]);
    // Models saved before user ids were kept have none.
    if (Array.isArray(json.users)) model.#users = IdMap.fromJSON(json.users as string[]);
    model.#seen = (json.seen as number[][]).map((s) => Int32Array.from(s));
    return model;
  }

  /** Nothing to free. */
  dispose(): void {}

  #trainedItems(): IdMap {
    if (!this.#items) throw new Error("GlobalMean: not trained; call fit() or GlobalMean.load()");
    return this.#items;
  }
}
