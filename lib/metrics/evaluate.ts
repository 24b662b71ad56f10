/**
 * Evaluates a trained model on a split's test interactions: rating accuracy
 * (MAE, RMSE) and the two ranking protocols of spec section 4.
 *
 * Rating accuracy: every test interaction that has a rating is predicted
 * with `model.predict`; interactions without a rating are skipped.
 *
 * Protocol `"test-items"` (the paper's; it explains the paper's high NDCG):
 * - Users: every user with at least `minRatedTestItems` (2) rated test
 *   interactions. A user's list is those interactions (unrated ones are left
 *   out, they have no gain), ranked by `model.predict`, ties in a seeded
 *   random order ({@linkcode rankItems}).
 * - NDCG@k: gain = the true rating, `DCG = sum_i rating_i / log2(i + 2)`
 *   over the first `min(k, n)` positions (0-based `i`); the ideal DCG ranks
 *   the same items by true rating. Averaged over the users whose ideal DCG
 *   is positive (every listed user on a 1..5 scale; only a user whose test
 *   ratings are all 0 is skipped). `users` reports how many counted.
 * - Relevant = true rating >= `relevanceThreshold` (4). Precision@k =
 *   hits / `min(k, n)`: the list is all the user's test items, so a user
 *   with `n < k` items cannot fill `k` slots and is not charged for the
 *   empty ones (with 2 test items, both relevant and ranked first, P@5 = 1).
 *   Recall@k = hits / (relevant items in the list). Hit@k = 1 when a
 *   relevant item is in the top k.
 * - Precision, recall, F1 and hit rate are averaged over the users with at
 *   least one relevant item (`usersWithRelevant`); users without one still
 *   count for NDCG.
 *
 * Protocol `"full"`:
 * - Candidates for a user: every item the user has no training or
 *   validation interaction with (its test items, rated or not, and every
 *   item it never touched), scored with `model.scoreAllItems` for batches of
 *   `userBatchSize` users, so memory stays at `userBatchSize × numItems`
 *   scores. Ties are broken by a seeded random order.
 * - Relevant: the user's test items rated >= `relevanceThreshold` (a test
 *   item that is also one of the user's training or validation items cannot
 *   be ranked and is not counted; after deduplication there is none).
 *   Users: those with at least one relevant item; `users` and
 *   `usersWithRelevant` both report them.
 * - NDCG@k with binary gain (1 relevant, 0 not), ideal DCG =
 *   `sum_{i < min(k, |relevant|)} 1 / log2(i + 2)`. Precision@k = hits / k
 *   (a top-k recommendation list has k slots). Recall@k = hits /
 *   |relevant|. Hit rate@k = share of users with a hit in the top k.
 *
 * Both protocols: F1@k is computed per user as `2PR / (P + R)` (0 when both
 * are 0) and then averaged over users; it is not the F1 of the averaged P
 * and R. A metric no user counted for is `NaN` (which `JSON.stringify`
 * writes as `null`). Each user's tie-breaking generator is seeded from
 * `seed`, the protocol and the user index, so a user's ranking does not
 * depend on which other users are evaluated or on the batch size.
 *
 * @module
 */
import type { DatasetSplit, IndexedInteraction } from "../data/types.ts";
import type { RatingPredictor } from "../recommender.ts";
import { Rng } from "../random.ts";
import { seenItemsByUser } from "../seen_items.ts";
import { meanAbsoluteError, rootMeanSquaredError } from "./rating_metrics.ts";
import { f1Score, hitAtK, ndcgAtK, precisionAtK, recallAtK } from "./ranking_metrics.ts";
import { rankItems } from "./rank_items.ts";

/** The two ranking protocols: the paper's per-user test-item ranking, and ranking every unseen item. */
export type RankingProtocol = "test-items" | "full";

/** The cut-offs reported by default, as in the paper: 1, 2, 3, 4, 5, 10, 15, 20. */
export const DEFAULT_CUTOFFS: readonly number[] = Object.freeze([1, 2, 3, 4, 5, 10, 15, 20]);

/** Options for {@linkcode evaluate}. */
export interface EvaluateOptions {
  /**
   * Which ranking protocols to run (rating metrics are always computed).
   * @default ["test-items", "full"]
   */
  protocols?: readonly RankingProtocol[];
  /**
   * The cut-offs k to report ranking metrics at; positive integers.
   * @default [1, 2, 3, 4, 5, 10, 15, 20]
   */
  cutoffs?: readonly number[];
  /**
   * A test item is relevant when its true rating is at least this.
   * @default 4
   */
  relevanceThreshold?: number;
  /**
   * Fewest rated test interactions a user needs to be ranked under the
   * "test-items" protocol (ranking one item says nothing).
   * @default 2
   */
  minRatedTestItems?: number;
  /**
   * Seed of the random tie-breaking.
   * @default 0
   */
  seed?: number;
  /**
   * Users scored per `model.scoreAllItems` call in the "full" protocol;
   * bounds memory to `userBatchSize × numItems` scores.
   * @default 256
   */
  userBatchSize?: number;
  /**
   * Pairs per `model.predict` call.
   * @default 8192
   */
  predictBatchSize?: number;
}

/** Metrics keyed by cut-off k (JSON keys "1", "2", ...). */
export type MetricsAtK = Record<number, number>;

/** One protocol's averaged ranking metrics and how many users each family averaged over. */
export interface ProtocolMetrics {
  /** Users NDCG was averaged over. */
  users: number;
  /** Users with at least one relevant item: those precision, recall, F1 and hit rate were averaged over. */
  usersWithRelevant: number;
  /** Mean NDCG@k. */
  ndcg: MetricsAtK;
  /** Mean precision@k. */
  precision: MetricsAtK;
  /** Mean recall@k. */
  recall: MetricsAtK;
  /** Mean of per-user F1@k. */
  f1: MetricsAtK;
  /** Share of users with a relevant item in the top k. */
  hitRate: MetricsAtK;
}

/** What {@linkcode evaluate} returns: plain, JSON-serialisable numbers. */
export interface EvaluationResult {
  /**
   * Mean absolute error over rated test interactions (`NaN` when there is none, or
   * when the model sets `predictsRatings: false`).
   */
  mae: number;
  /** Root mean squared error over rated test interactions (`NaN` like `mae`). */
  rmse: number;
  /** Number of test interactions with a rating (what MAE and RMSE averaged over). */
  ratedTestInteractions: number;
  /** Ranking metrics per protocol run. */
  ranking: { "test-items"?: ProtocolMetrics; full?: ProtocolMetrics };
}

/** One number of an {@linkcode EvaluationResult}, as a table row. */
export interface MetricRow {
  /** `"mae"`, `"rmse"`, `"ratedTestInteractions"`, `"users"`, `"usersWithRelevant"`, `"ndcg"`, `"precision"`, `"recall"`, `"f1"` or `"hitRate"`. */
  metric: string;
  /** `"rating"` for rating metrics, else the ranking protocol. */
  protocol: "rating" | RankingProtocol;
  /** The cut-off, or `null` for metrics without one. */
  k: number | null;
  /** The value. */
  value: number;
}

/** Running sums of per-user metrics at each cut-off. */
class MetricSums {
  readonly ndcg: Float64Array;
  readonly precision: Float64Array;
  readonly recall: Float64Array;
  readonly f1: Float64Array;
  readonly hitRate: Float64Array;
  users = 0;
  usersWithRelevant = 0;

  constructor(readonly cutoffs: readonly number[]) {
    const n = cutoffs.length;
    this.ndcg = new Float64Array(n);
    this.precision = new Float64Array(n);
    this.recall = new Float64Array(n);
    this.f1 = new Float64Array(n);
    this.hitRate = new Float64Array(n);
  }

  result(): ProtocolMetrics {
    const mean = (sums: Float64Array, count: number): MetricsAtK => {
      const out: MetricsAtK = {};
      this.cutoffs.forEach((k, j) => out[k] = count === 0 ? NaN : sums[j] / count);
      return out;
    };
    return {
      users: this.users,
      usersWithRelevant: this.usersWithRelevant,
      ndcg: mean(this.ndcg, this.users),
      precision: mean(this.precision, this.usersWithRelevant),
      recall: mean(this.recall, this.usersWithRelevant),
      f1: mean(this.f1, this.usersWithRelevant),
      hitRate: mean(this.hitRate, this.usersWithRelevant),
    };
  }
}

const PROTOCOL_SALT: Record<RankingProtocol, number> = {
  "test-items": 0x5eed0001,
  full: 0x5eed0002,
};

/** The tie-breaking generator of one user under one protocol. */
function userRng(seed: number, protocol: RankingProtocol, user: number): Rng {
  // Math.imul by an odd constant is a bijection on 32-bit words: distinct users get distinct seeds.
  const mixed = (Math.imul(seed | 0, 0x2c1b3c6d) + Math.imul(user, 0x297a2d39)) | 0;
  return new Rng(mixed ^ PROTOCOL_SALT[protocol]);
}

function checkPositiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`evaluate: ${name} must be a positive integer, got ${value}`);
  }
}

/** Predictions for `pairs`, in batches. */
function predictPairs(
  model: RatingPredictor,
  pairs: readonly IndexedInteraction[],
  batchSize: number,
): Float64Array {
  const out = new Float64Array(pairs.length);
  for (let start = 0; start < pairs.length; start += batchSize) {
    const batch = pairs.slice(start, start + batchSize);
    const users = Int32Array.from(batch, (x) => x.user);
    const items = Int32Array.from(batch, (x) => x.item);
    const predicted = model.predict(users, items);
    if (predicted.length !== batch.length) {
      throw new RangeError(
        `evaluate: model.predict returned ${predicted.length} values for ${batch.length} pairs`,
      );
    }
    out.set(predicted, start);
  }
  return out;
}

/**
 * The model's predictions for the split's rated test interactions, in
 * `split.test` order: exactly what {@linkcode evaluate}'s MAE and RMSE are
 * computed from, for paired comparisons between models on the same ratings.
 */
export function testRatingPredictions(
  model: RatingPredictor,
  split: DatasetSplit,
  batchSize = 8192,
): Float32Array {
  const rated = split.test.filter((x) => x.rating !== undefined);
  return Float32Array.from(predictPairs(model, rated, batchSize));
}

/** The "test-items" protocol over rated test interactions and their predictions. */
function rankTestItems(
  rated: readonly IndexedInteraction[],
  predicted: Float64Array,
  numUsers: number,
  cutoffs: readonly number[],
  threshold: number,
  minItems: number,
  seed: number,
): ProtocolMetrics {
  const byUser: number[][] = Array.from({ length: numUsers }, () => []);
  rated.forEach((x, j) => byUser[x.user].push(j));
  const sums = new MetricSums(cutoffs);
  for (let user = 0; user < numUsers; user++) {
    const rows = byUser[user];
    if (rows.length < minItems) continue;
    const scores = Float64Array.from(rows, (j) => predicted[j]);
    const order = rankItems(scores, userRng(seed, "test-items", user));
    const rankedGains = Float64Array.from(order, (p) => rated[rows[p]].rating as number);
    const rankedRelevant = Array.from(rankedGains, (g) => g >= threshold);
    const relevant = rankedRelevant.filter(Boolean).length;
    const ndcgs = cutoffs.map((k) => ndcgAtK(rankedGains, k));
    if (!Number.isNaN(ndcgs[0])) {
      sums.users++;
      ndcgs.forEach((v, j) => sums.ndcg[j] += v);
    }
    if (relevant === 0) continue;
    sums.usersWithRelevant++;
    cutoffs.forEach((k, j) => {
      const p = precisionAtK(rankedRelevant, k, { denominator: "listLength" });
      const r = recallAtK(rankedRelevant, k, relevant);
      sums.precision[j] += p;
      sums.recall[j] += r;
      sums.f1[j] += f1Score(p, r);
      sums.hitRate[j] += hitAtK(rankedRelevant, k);
    });
  }
  return sums.result();
}

/** The "full" protocol: rank every unseen item for each user with a relevant test item. */
function rankAllItems(
  model: RatingPredictor,
  split: DatasetSplit,
  cutoffs: readonly number[],
  threshold: number,
  seed: number,
  batchSize: number,
): ProtocolMetrics {
  const numItems = split.items.size;
  const seen = seenItemsByUser(split);
  const relevantByUser = new Map<number, Set<number>>();
  for (const x of split.test) {
    if (x.rating === undefined || x.rating < threshold) continue;
    if (seen[x.user].includes(x.item)) continue;
    let set = relevantByUser.get(x.user);
    if (set === undefined) relevantByUser.set(x.user, set = new Set());
    set.add(x.item);
  }
  const users = Int32Array.from(relevantByUser.keys()).sort();
  const maxK = Math.max(...cutoffs);
  const sums = new MetricSums(cutoffs);
  const isSeen = new Uint8Array(numItems);
  for (let start = 0; start < users.length; start += batchSize) {
    const batch = users.subarray(start, start + batchSize);
    const scores = model.scoreAllItems(batch);
    if (scores.length !== batch.length * numItems) {
      throw new RangeError(
        `evaluate: model.scoreAllItems returned ${scores.length} scores for ` +
          `${batch.length} users × ${numItems} items`,
      );
    }
    batch.forEach((user, b) => {
      for (const item of seen[user]) isSeen[item] = 1;
      const candidates: number[] = [];
      for (let item = 0; item < numItems; item++) if (!isSeen[item]) candidates.push(item);
      for (const item of seen[user]) isSeen[item] = 0;
      const row = scores.subarray(b * numItems, (b + 1) * numItems);
      const top = rankItems(row, userRng(seed, "full", user), { k: maxK, candidates });
      const relevantSet = relevantByUser.get(user) as Set<number>;
      const rankedRelevant = Array.from(top, (item) => relevantSet.has(item));
      const rankedGains = rankedRelevant.map((r) => r ? 1 : 0);
      const idealGains = new Array<number>(relevantSet.size).fill(1);
      sums.users++;
      sums.usersWithRelevant++;
      cutoffs.forEach((k, j) => {
        const p = precisionAtK(rankedRelevant, k, { denominator: "k" });
        const r = recallAtK(rankedRelevant, k, relevantSet.size);
        sums.ndcg[j] += ndcgAtK(rankedGains, k, { idealGains });
        sums.precision[j] += p;
        sums.recall[j] += r;
        sums.f1[j] += f1Score(p, r);
        sums.hitRate[j] += hitAtK(rankedRelevant, k);
      });
    });
  }
  return sums.result();
}

/**
 * Rating metrics on the test interactions that have a rating, and the
 * ranking protocols named in `options.protocols` (see the module
 * documentation for every choice they make).
 *
 * @example
 * ```ts ignore
 * const result = evaluate(model, split, { protocols: ["test-items"] });
 * result.mae;
 * result.ranking["test-items"]?.ndcg[10];
 * ```
 */
export function evaluate(
  model: RatingPredictor,
  split: DatasetSplit,
  options: EvaluateOptions = {},
): EvaluationResult {
  const protocols = options.protocols ?? ["test-items", "full"];
  const cutoffs = [...(options.cutoffs ?? DEFAULT_CUTOFFS)];
  const threshold = options.relevanceThreshold ?? 4;
  const minItems = options.minRatedTestItems ?? 2;
  const seed = options.seed ?? 0;
  const userBatchSize = options.userBatchSize ?? 256;
  const predictBatchSize = options.predictBatchSize ?? 8192;
  if (cutoffs.length === 0) throw new RangeError("evaluate: cutoffs is empty");
  cutoffs.forEach((k) => checkPositiveInteger(k, "every cut-off"));
  checkPositiveInteger(minItems, "minRatedTestItems");
  checkPositiveInteger(userBatchSize, "userBatchSize");
  checkPositiveInteger(predictBatchSize, "predictBatchSize");
  if (!Number.isFinite(threshold)) {
    throw new RangeError(`evaluate: relevanceThreshold must be finite, got ${threshold}`);
  }
  if (!Number.isFinite(seed)) throw new RangeError(`evaluate: seed must be finite, got ${seed}`);
  if (model.numItems !== split.items.size) {
    throw new RangeError(
      `evaluate: the model has ${model.numItems} items but the split has ${split.items.size}`,
    );
  }

  const rated = split.test.filter((x) => x.rating !== undefined);
  const predicted = predictPairs(model, rated, predictBatchSize);
  const truth = Float64Array.from(rated, (x) => x.rating as number);
  // A score-only model (DMF) has no rating error: its scores are not on the rating scale.
  const scoresOnly = model.predictsRatings === false;
  const result: EvaluationResult = {
    mae: scoresOnly ? NaN : meanAbsoluteError(predicted, truth),
    rmse: scoresOnly ? NaN : rootMeanSquaredError(predicted, truth),
    ratedTestInteractions: rated.length,
    ranking: {},
  };
  for (const protocol of protocols) {
    if (protocol === "test-items") {
      result.ranking["test-items"] = rankTestItems(
        rated,
        predicted,
        split.users.size,
        cutoffs,
        threshold,
        minItems,
        seed,
      );
    } else if (protocol === "full") {
      result.ranking.full = rankAllItems(model, split, cutoffs, threshold, seed, userBatchSize);
    } else {
      throw new RangeError(`evaluate: unknown protocol "${protocol}"`);
    }
  }
  return result;
}

const RANKING_METRICS = ["ndcg", "precision", "recall", "f1", "hitRate"] as const;

/**
 * Flattens an {@linkcode EvaluationResult} into one row per number
 * (metric, protocol, k, value), for tables and data frames: first MAE, RMSE
 * and the rated-interaction count (protocol `"rating"`), then per protocol
 * the user counts and every ranking metric at every cut-off.
 */
export function evaluationRows(result: EvaluationResult): MetricRow[] {
  const rows: MetricRow[] = [
    { metric: "mae", protocol: "rating", k: null, value: result.mae },
    { metric: "rmse", protocol: "rating", k: null, value: result.rmse },
    {
      metric: "ratedTestInteractions",
      protocol: "rating",
      k: null,
      value: result.ratedTestInteractions,
    },
  ];
  for (const protocol of ["test-items", "full"] as const) {
    const metrics = result.ranking[protocol];
    if (metrics === undefined) continue;
    rows.push({ metric: "users", protocol, k: null, value: metrics.users });
    rows.push({ metric: "usersWithRelevant", protocol, k: null, value: metrics.usersWithRelevant });
    for (const metric of RANKING_METRICS) {
      const byK = metrics[metric];
      const ks = Object.keys(byK).map(Number).sort((a, b) => a - b);
      for (const k of ks) rows.push({ metric, protocol, k, value: byK[k] });
    }
  }
  return rows;
}
