/**
 * The user + item bias baseline: `r̂ = μ + b_u + b_i`, the strongest model
 * that knows nothing about which users like which items. A personalised model
 * has to beat it to show it learned preferences, not just popularity and
 * leniency.
 *
 * @module
 */
import { IdMap, resolveUser } from "../../data/id_map.ts";
import type { FitReport, ModelInput, Recommendation, Recommender } from "../../recommender.ts";
import { readJsonModel, writeJsonModel } from "../../io/json_model.ts";
import { seenItemsByUser, topUnseen } from "../../seen_items.ts";
import { ridgeBiases } from "../../stats/ridge_biases.ts";

const FORMAT = "drex-user-item-bias";

/** Options of {@linkcode UserItemBias}. */
export interface UserItemBiasOptions {
  /** Shrinkage of user biases toward 0 (acts like that many ratings at the mean). @default 5 */
  userReg?: number;
  /** Shrinkage of item biases toward 0. @default 5 */
  itemReg?: number;
  /** Alternating least-squares sweeps (it converges in a handful). @default 10 */
  iterations?: number;
}

/** The defaults, in one place. */
export const USER_ITEM_BIAS_DEFAULTS: Readonly<Required<UserItemBiasOptions>> = Object.freeze({
  userReg: 5,
  itemReg: 5,
  iterations: 10,
});

/**
 * `μ + b_u + b_i`, fitted by alternating regularised least squares: each sweep
 * sets `b_i = Σ(r − μ − b_u) / (itemReg + n_i)`, then
 * `b_u = Σ(r − μ − b_i) / (userReg + n_u)`. Deterministic, no randomness.
 */
export class UserItemBias implements Recommender {
  /** Table name. */
  readonly name: string = "UserItemBias";
  /** Resolved options. */
  readonly options: Required<UserItemBiasOptions>;
  #mean = NaN;
  #userBias = new Float64Array();
  #itemBias = new Float64Array();
  #items?: IdMap;
  #users?: IdMap;
  #seen: Int32Array[] = [];
  /** Lowest and highest training rating: predictions are clipped to them, as every rating model here does. */
  #range: [number, number] = [-Infinity, Infinity];

  /** A model with `options` (see {@linkcode UserItemBiasOptions}). */
  constructor(options: UserItemBiasOptions = {}) {
    this.options = { ...USER_ITEM_BIAS_DEFAULTS, ...options };
    for (const [k, v] of Object.entries(this.options)) {
      if (!(v >= 0) || (k === "iterations" && !Number.isInteger(v))) {
        throw new RangeError(`UserItemBias option "${k}" must be a non-negative number, got ${v}`);
      }
    }
  }

  /** Number of items. */
  get numItems(): number {
    return this.#trained().size;
  }

  /** Fits μ, b_u and b_i on the training ratings. */
  fit(input: ModelInput): Promise<FitReport> {
    const started = performance.now();
    const { split } = input;
    const rated = split.train.filter((it) => it.rating !== undefined);
    if (rated.length === 0) throw new Error("UserItemBias: no training interaction has a rating");
    const ratings = Float32Array.from(rated, (it) => it.rating as number);
    const mean = ratings.reduce((sum, r) => sum + r, 0) / ratings.length;
    const fitted = ridgeBiases(
      Int32Array.from(rated, (it) => it.user),
      Int32Array.from(rated, (it) => it.item),
      ratings,
      split.users.size,
      split.items.size,
      mean,
      {
        userReg: this.options.userReg,
        itemReg: this.options.itemReg,
        sweeps: this.options.iterations,
      },
    );
    const bu = Float64Array.from(fitted.user);
    const bi = Float64Array.from(fitted.item);
    this.#range = ratings.reduce(
      ([lo, hi], r) => [Math.min(lo, r), Math.max(hi, r)] as [number, number],
      [Infinity, -Infinity] as [number, number],
    );
    this.#mean = mean;
    this.#userBias = bu;
    this.#itemBias = bi;
    this.#items = split.items;
    this.#users = split.users;
    this.#seen = seenItemsByUser(split);
    return Promise.resolve({
      history: [],
      bestEpoch: 0,
      stoppedEarly: false,
      seconds: (performance.now() - started) / 1000,
    });
  }

  /** `μ + b_u + b_i` for each pair, clipped to the training ratings' range. */
  predict(users: Int32Array, items: Int32Array): Float32Array {
    this.#trained();
    if (users.length !== items.length) {
      throw new RangeError(`predict: ${users.length} users but ${items.length} items`);
    }
    const out = new Float32Array(users.length);
    for (let j = 0; j < users.length; j++) {
      const raw = this.#mean + this.#userBias[users[j]] + this.#itemBias[items[j]];
      out[j] = Math.min(this.#range[1], Math.max(this.#range[0], raw));
    }
    return out;
  }

  /** Every item's prediction for each user. */
  scoreAllItems(users: Int32Array): Float32Array {
    const nI = this.numItems;
    const out = new Float32Array(users.length * nI);
    for (let b = 0; b < users.length; b++) {
      const base = this.#mean + this.#userBias[users[b]];
      for (let i = 0; i < nI; i++) out[b * nI + i] = base + this.#itemBias[i];
    }
    return out;
  }

  /** The `k` unseen items with the largest item bias. */
  recommend(userRef: number | string, k: number): Recommendation[] {
    const user = resolveUser(this.name, this.#users, userRef);
    const items = this.#trained();
    const scores = this.scoreAllItems(Int32Array.of(user));
    return topUnseen(scores, this.#seen[user] ?? new Int32Array(), k)
      .map((item) => ({ item, itemId: items.id(item), score: scores[item] }));
  }

  /** Writes `model.json` to `dir`. */
  async save(dir: string): Promise<void> {
    await writeJsonModel(dir, FORMAT, 1, {
      options: this.options,
      mean: this.#mean,
      range: this.#range,
      userBias: Array.from(this.#userBias),
      itemBias: Array.from(this.#itemBias),
      items: this.#trained().toJSON(),
      users: this.#users?.toJSON(),
      seen: this.#seen.map((s) => Array.from(s)),
    });
  }

  /** Restores a model written by {@linkcode UserItemBias.save}. */
  static async load(dir: string): Promise<UserItemBias> {
    const json = await readJsonModel(dir, FORMAT, 1);
    const model = new UserItemBias(json.options as UserItemBiasOptions);
    model.#mean = json.mean as number;
    if (Array.isArray(json.range)) model.#range = json.range as [number, number];
    model.#userBias = Float64Array.from(json.userBias as number[]);
    model.#itemBias = Float64Array.from(json.itemBias as number[]);
    model.#items = IdMap.fromJSON(json.items as string[]);
    // Models saved before user ids were kept have none.
    if (Array.isArray(json.users)) model.#users = IdMap.fromJSON(json.users as string[]);
    model.#seen = (json.seen as number[][]).map((s) => Int32Array.from(s));
    return model;
  }

  /** Nothing to free. */
  dispose(): void {}

  #trained(): IdMap {
    if (!this.#items) {
      throw new Error("UserItemBias: not trained; call fit() or UserItemBias.load()");
    }
    return this.#items;
  }
}
