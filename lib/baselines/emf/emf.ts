/**
 * EMF, explainable matrix factorisation (Abdollahi & Nasraoui, 2016): plain
 * matrix factorisation `r̂ = p_u · q_i` with a regulariser that pulls a user's
 * factors toward the factors of items its nearest neighbours rated, so that
 * the items it ranks high tend to be ones it can be told "your neighbours
 * rated this". One of the DReX paper's baselines.
 *
 * @module
 */
import { IdMap } from "../../data/id_map.ts";
import { readJsonModel, writeJsonModel } from "../../io/json_model.ts";
import { Rng } from "../../random.ts";
import type { Explanation, FitHooks, FitReport, ModelInput } from "../../recommender.ts";
import { seenItemsByUser } from "../../seen_items.ts";
import { runEpochLoop } from "../../train/early_stopping.ts";
import {
  type FactorParams,
  FactorScorer,
  fillNormal,
  pairScores,
} from "../common/factor_scores.ts";
import { type TrainedCore, TrainedRecommender } from "../common/trained_recommender.ts";
import { randomPermutation } from "../common/permutation.ts";
import { pairErrors, type RatedPairs, ratedPairs, ratingSummary } from "../common/rated_pairs.ts";
import { RowOptimizer } from "../common/row_optimizer.ts";
import {
  sparseRatingRows,
  type SparseRows,
  sparseRowsFromJSON,
  sparseRowsToJSON,
} from "../common/sparse_rows.ts";
import {
  explainabilityOfPairs,
  explainabilityScore,
  type NeighbourRating,
  neighboursWhoRated,
} from "./explainability.ts";
import { type EmfOptions, type ResolvedEmfOptions, resolveEmfOptions } from "./options.ts";
import { userNeighbours } from "./user_neighbours.ts";

const FORMAT = "drex-emf";
const VERSION = 1;

/**
 * Everything a trained EMF holds (the type argument of its
 * {@linkcode TrainedRecommender} base; not part of the public API).
 *
 * @internal
 */
interface TrainedEmf extends TrainedCore {
  params: FactorParams;
  /** Per user, its nearest neighbours, most similar first. */
  neighbours: Int32Array[];
  /** Training ratings by user (the neighbours' ratings that explanations cite). */
  byUser: SparseRows;
  /** Range of the training ratings; recommendations show scores clipped to it. */
  ratingMin: number;
  ratingMax: number;
}

/** Why EMF can explain an item to a user: which of the user's neighbours rated it. */
export interface EmfExplanation {
  /** `E_ui`: the share of the user's k neighbours who rated the item (0 when not above the threshold). */
  score: number;
  /** The neighbours who rated it in training, with their ratings, most similar first. */
  neighbours: NeighbourRating[];
}

/** One epoch of mini-batch training; returns the mean per-rating loss. */
function trainEpoch(
  p: FactorParams,
  train: RatedPairs,
  explain: Float64Array,
  opt: RowOptimizer,
  o: ResolvedEmfOptions,
  rng: Rng,
): number {
  const d = p.dim;
  const order = randomPermutation(train.ratings.length, rng);
  const [gP, gQ] = opt.grads;
  const { userFactors: P, itemFactors: Q } = p;
  const beta = o.lambda;
  const lambda = o.explainabilityWeight;
  let total = 0;
  for (let start = 0; start < order.length; start += o.batchSize) {
    const end = Math.min(order.length, start + o.batchSize);
    const scale = 1 / (end - start);
    for (let j = start; j < end; j++) {
      const n = order[j];
      const u = train.users[n];
      const i = train.items[n];
      const w = lambda * explain[n];
      const ou = u * d;
      const oi = i * d;
      let dot = 0;
      let norms = 0;
      let gap = 0;
      for (let k = 0; k < d; k++) {
        const pk = P[ou + k];
        const qk = Q[oi + k];
        dot += pk * qk;
        norms += pk * pk + qk * qk;
        gap += (pk - qk) * (pk - qk);
      }
      const e = dot - train.ratings[n];
      total += e * e + (beta / 2) * norms + (w / 2) * gap;
      opt.touch(0, u);
      opt.touch(1, i);
      for (let k = 0; k < d; k++) {
        const pk = P[ou + k];
        const qk = Q[oi + k];
        const pull = w * (pk - qk);
        gP[ou + k] += scale * (2 * e * qk + beta * pk + pull);
        gQ[oi + k] += scale * (2 * e * pk + beta * qk - pull);
      }
    }
    opt.step();
  }
  return total / Math.max(1, order.length);
}

/**
 * Explainable matrix factorisation (EMF).
 *
 * - Neighbourhood: each user's `neighbours` most similar users by cosine
 *   similarity of their training rating vectors.
 * - Explainability `E_ui` = share of u's neighbours who rated i in training,
 *   kept when above `threshold` θ.
 * - Objective, summed over the training ratings as in the original paper
 *   (here averaged per mini-batch): `(r_ui − p_u·q_i)² + β/2 (||p_u||² +
 *   ||q_i||²) + λ/2 E_ui ||p_u − q_i||²`, with β = `lambda` and λ =
 *   `explainabilityWeight`.
 * - Prediction `p_u · q_i` (no biases, as in the original; raw, not clipped).
 * - `recommend` ranks by prediction and explains each item with the
 *   neighbours who rated it ("3 of your 20 most similar users rated it").
 *
 * @example
 * ```ts ignore
 * const model = new EMF({ neighbours: 20, explainabilityWeight: 0.01 });
 * await model.fit({ split });
 * model.recommend(0, 5)[0].explanation?.reviews?.[0].text;
 * ```
 */
export class EMF extends TrainedRecommender<TrainedEmf, ResolvedEmfOptions> {
  /** Table name. */
  readonly name: string = "EMF";
  /** A model with `options` (see {@linkcode EmfOptions} for defaults); call `fit` next. */
  constructor(options: EmfOptions = {}) {
    super(resolveEmfOptions(options), "EMF.load()");
  }

  /** The learned factors (shared, not copied: do not modify). */
  get params(): Readonly<FactorParams> {
    return this.state().params;
  }

  /** The user's nearest neighbours (user indices), most similar first. */
  neighboursOf(user: number): Int32Array {
    const t = this.state();
    this.checkIds("user", [user]);
    return t.neighbours[user];
  }

  /** Trains from scratch on the training ratings, stopping early on the validation ratings. */
  async fit(input: ModelInput, hooks: FitHooks = {}): Promise<FitReport> {
    const { split } = input;
    const o = this.options;
    const train = ratedPairs(split.train);
    if (train.ratings.length === 0) throw new Error("EMF: no training interaction has a rating");
    const validation = ratedPairs(split.validation);
    const summary = ratingSummary(train);
    const nU = split.users.size;
    const nI = split.items.size;
    const byUser = sparseRatingRows(train, nU, nI, "user");
    const byItem = sparseRatingRows(train, nU, nI, "item");
    const neighbours = userNeighbours(byUser, byItem, o.neighbours);
    const explain = explainabilityOfPairs(train, neighbours, byUser, o.neighbours, o.threshold);
    const rng = new Rng(o.seed);
    const d = o.latentDim;
    const params: FactorParams = {
      dim: d,
      mean: 0,
      userFactors: fillNormal(new Float64Array(nU * d), o.initScale, () => rng.normal()),
      itemFactors: fillNormal(new Float64Array(nI * d), o.initScale, () => rng.normal()),
    };
    const tables = [params.userFactors, params.itemFactors];
    const opt = new RowOptimizer(
      tables.map((values) => ({ values, dim: d })),
      { kind: o.optimizer, learningRate: o.learningRate },
    );
    const report = await runEpochLoop<Float64Array[]>({
      label: this.name,
      maxEpochs: o.maxEpochs,
      patience: o.patience,
      minDelta: o.minDelta,
      metric: o.stoppingMetric,
      runEpoch: () => trainEpoch(params, train, explain, opt, o, rng),
      validate: () => pairErrors(validation, (us, is) => pairScores(params, us, is)),
      snapshot: () => tables.map((t) => t.slice()),
      restore: (kept) => tables.forEach((t, j) => t.set(kept[j])),
      release: () => {},
    }, hooks);
    this.trained = {
      params,
      scorer: new FactorScorer(params),
      neighbours,
      byUser,
      users: split.users,
      items: split.items,
      seen: seenItemsByUser(split),
      ratingMin: summary.min,
      ratingMax: summary.max,
      report,
    };
    return report;
  }

  /** Which of the user's neighbours rated `item` in training, and the explainability score. */
  explain(user: number, item: number): EmfExplanation {
    const t = this.state();
    this.checkIds("user", [user]);
    this.checkIds("item", [item]);
    const raters = neighboursWhoRated(t.neighbours[user], t.byUser, item);
    return {
      score: explainabilityScore(raters.length, this.options.neighbours, this.options.threshold),
      neighbours: raters,
    };
  }

  /** Recommendations show scores clipped to the range of the training ratings. */
  protected override shownScore(score: number, t: TrainedEmf): number {
    return Math.min(t.ratingMax, Math.max(t.ratingMin, score));
  }

  /**
   * A recommended item whose explainability is above the threshold carries a
   * one-line explanation naming how many of the user's neighbours rated it
   * and their mean rating, weighted by `E_ui`; other items carry none.
   */
  protected override explanationFor(user: number, item: number): Explanation | undefined {
    const why = this.explain(user, item);
    if (why.score <= 0) return undefined;
    const t = this.state();
    const n = why.neighbours.length;
    const mean = why.neighbours.reduce((s, x) => s + x.rating, 0) / n;
    const ids = why.neighbours.map((x) => t.users.id(x.user)).join(", ");
    return {
      reviews: [{
        text: `${n} of your ${this.options.neighbours} most similar users rated it ` +
          `(mean rating ${mean.toFixed(1)}): ${ids}`,
        weight: why.score,
      }],
    };
  }

  /** Writes `model.json` (options, factors, neighbourhoods, training ratings, ids, seen items) to `dir`. */
  async save(dir: string): Promise<void> {
    const t = this.state();
    await writeJsonModel(dir, FORMAT, VERSION, {
      options: this.options,
      userFactors: Array.from(t.params.userFactors),
      itemFactors: Array.from(t.params.itemFactors),
      neighbours: t.neighbours.map((n) => Array.from(n)),
      byUser: sparseRowsToJSON(t.byUser),
      users: t.users.toJSON(),
      items: t.items.toJSON(),
      seen: t.seen.map((s) => Array.from(s)),
      ratingMin: t.ratingMin,
      ratingMax: t.ratingMax,
    });
  }

  /** Restores a model written by {@linkcode EMF.save}; predictions and explanations are identical. */
  static async load(dir: string): Promise<EMF> {
    const json = await readJsonModel(dir, FORMAT, VERSION);
    const model = new EMF(json.options as EmfOptions);
    const params: FactorParams = {
      dim: model.options.latentDim,
      mean: 0,
      userFactors: Float64Array.from(json.userFactors as number[]),
      itemFactors: Float64Array.from(json.itemFactors as number[]),
    };
    model.trained = {
      params,
      scorer: new FactorScorer(params),
      neighbours: (json.neighbours as number[][]).map((n) => Int32Array.from(n)),
      byUser: sparseRowsFromJSON(json.byUser as { numCols: number; rows: [number, number][][] }),
      users: IdMap.fromJSON(json.users as string[]),
      items: IdMap.fromJSON(json.items as string[]),
      seen: (json.seen as number[][]).map((s) => Int32Array.from(s)),
      ratingMin: json.ratingMin as number,
      ratingMax: json.ratingMax as number,
      report: { history: [], bestEpoch: 0, stoppedEarly: false, seconds: 0 },
    };
    return model;
  }
}
