/**
 * Biased matrix factorisation (Koren, Bell & Volinsky 2009):
 * `r̂ = μ + b_u + b_i + p_u · q_i`, trained on mini-batches of training
 * ratings with lazy Adam (or SGD), L2 weight `lambda`, early stopping on the
 * validation ratings. The standard latent-factor baseline: a review-aware
 * model should beat it to show that reviews add something.
 *
 * @module
 */
import { IdMap } from "../../data/id_map.ts";
import { readJsonModel, writeJsonModel } from "../../io/json_model.ts";
import { Rng } from "../../random.ts";
import type { FitHooks, FitReport, ModelInput } from "../../recommender.ts";
import { seenItemsByUser } from "../../seen_items.ts";
import { runEpochLoop } from "../../train/early_stopping.ts";
import {
  type FactorParams,
  FactorScorer,
  fillNormal,
  pairScores,
} from "../common/factor_scores.ts";
import { type TrainedCore, TrainedRecommender } from "../common/trained_recommender.ts";
import {
  type BiasedMfOptions,
  resolveBiasedMfOptions,
  type ResolvedBiasedMfOptions,
} from "./options.ts";
import { randomPermutation } from "../common/permutation.ts";
import { pairErrors, type RatedPairs, ratedPairs, ratingSummary } from "../common/rated_pairs.ts";
import { RowOptimizer } from "../common/row_optimizer.ts";

const FORMAT = "drex-biased-mf";
const VERSION = 1;

/**
 * Everything a trained BiasedMF holds (the type argument of its
 * {@linkcode TrainedRecommender} base; not part of the public API).
 *
 * @internal
 */
interface TrainedBiasedMf extends TrainedCore {
  params: Required<FactorParams>;
  /** Range of the training ratings; recommendations show scores clipped to it. */
  ratingMin: number;
  ratingMax: number;
}

/** One epoch of mini-batch training; returns the mean per-rating loss. */
function trainEpoch(
  p: Required<FactorParams>,
  train: RatedPairs,
  opt: RowOptimizer,
  o: ResolvedBiasedMfOptions,
  rng: Rng,
): number {
  const d = p.dim;
  const order = randomPermutation(train.ratings.length, rng);
  const [gBu, gBi, gP, gQ] = opt.grads;
  const { userBias: bu, itemBias: bi, userFactors: P, itemFactors: Q } = p;
  const lambda = o.lambda;
  let total = 0;
  for (let start = 0; start < order.length; start += o.batchSize) {
    const end = Math.min(order.length, start + o.batchSize);
    const scale = 2 / (end - start); // d/dx of the batch mean of squares
    for (let j = start; j < end; j++) {
      const n = order[j];
      const u = train.users[n];
      const i = train.items[n];
      const ou = u * d;
      const oi = i * d;
      let dot = 0;
      let norms = bu[u] * bu[u] + bi[i] * bi[i];
      for (let k = 0; k < d; k++) {
        dot += P[ou + k] * Q[oi + k];
        norms += P[ou + k] * P[ou + k] + Q[oi + k] * Q[oi + k];
      }
      const e = p.mean + bu[u] + bi[i] + dot - train.ratings[n];
      total += e * e + lambda * norms;
      opt.touch(0, u);
      opt.touch(1, i);
      opt.touch(2, u);
      opt.touch(3, i);
      gBu[u] += scale * (e + lambda * bu[u]);
      gBi[i] += scale * (e + lambda * bi[i]);
      for (let k = 0; k < d; k++) {
        gP[ou + k] += scale * (e * Q[oi + k] + lambda * P[ou + k]);
        gQ[oi + k] += scale * (e * P[ou + k] + lambda * Q[oi + k]);
      }
    }
    opt.step();
  }
  return total / Math.max(1, order.length);
}

/**
 * Biased matrix factorisation, `μ + b_u + b_i + p_u · q_i`.
 *
 * - μ is the mean training rating (fixed); biases start at 0 and factors at
 *   `N(0, initScale²)` from the seed.
 * - Objective: the mean over a mini-batch of
 *   `(r − r̂)² + lambda · (||p_u||² + ||q_i||² + b_u² + b_i²)`, so every
 *   parameter is regularised once per rating it takes part in.
 * - Predictions are raw (not clipped to the rating scale), as DReX's are;
 *   `recommend` shows scores clipped to the training ratings' range.
 *
 * @example
 * ```ts ignore
 * const model = new BiasedMF({ latentDim: 64 });
 * await model.fit({ split });
 * model.predict(Int32Array.of(0), Int32Array.of(3));
 * ```
 */
export class BiasedMF extends TrainedRecommender<TrainedBiasedMf, ResolvedBiasedMfOptions> {
  /** Table name. */
  readonly name: string = "BiasedMF";
  /** A model with `options` (see {@linkcode BiasedMfOptions} for defaults); call `fit` next. */
  constructor(options: BiasedMfOptions = {}) {
    super(resolveBiasedMfOptions(options), "BiasedMF.load()");
  }

  /** The learned parameters (shared, not copied: do not modify). */
  get params(): Readonly<Required<FactorParams>> {
    return this.state().params;
  }

  /** Trains from scratch on the training ratings, stopping early on the validation ratings. */
  async fit(input: ModelInput, hooks: FitHooks = {}): Promise<FitReport> {
    const { split } = input;
    const o = this.options;
    const train = ratedPairs(split.train);
    if (train.ratings.length === 0) {
      throw new Error("BiasedMF: no training interaction has a rating");
    }
    const validation = ratedPairs(split.validation);
    const summary = ratingSummary(train);
    const rng = new Rng(o.seed);
    const d = o.latentDim;
    const nU = split.users.size;
    const nI = split.items.size;
    const params: Required<FactorParams> = {
      dim: d,
      mean: summary.mean,
      userBias: new Float64Array(nU),
      itemBias: new Float64Array(nI),
      userFactors: fillNormal(new Float64Array(nU * d), o.initScale, () => rng.normal()),
      itemFactors: fillNormal(new Float64Array(nI * d), o.initScale, () => rng.normal()),
    };
    const tables = [params.userBias, params.itemBias, params.userFactors, params.itemFactors];
    const opt = new RowOptimizer(
      tables.map((values, t) => ({ values, dim: t < 2 ? 1 : d })),
      { kind: o.optimizer, learningRate: o.learningRate },
    );
    const report = await runEpochLoop<Float64Array[]>({
      label: this.name,
      maxEpochs: o.maxEpochs,
      patience: o.patience,
      minDelta: o.minDelta,
      metric: o.stoppingMetric,
      runEpoch: () => trainEpoch(params, train, opt, o, rng),
      validate: () => pairErrors(validation, (us, is) => pairScores(params, us, is)),
      snapshot: () => tables.map((t) => t.slice()),
      restore: (kept) => tables.forEach((t, j) => t.set(kept[j])),
      release: () => {},
    }, hooks);
    this.trained = {
      params,
      scorer: new FactorScorer(params),
      users: split.users,
      items: split.items,
      seen: seenItemsByUser(split),
      ratingMin: summary.min,
      ratingMax: summary.max,
      report,
    };
    return report;
  }

  /** Recommendations show scores clipped to the range of the training ratings. */
  protected override shownScore(score: number, t: TrainedBiasedMf): number {
    return Math.min(t.ratingMax, Math.max(t.ratingMin, score));
  }

  /** Writes `model.json` (options, parameters, ids, seen items) to directory `dir`. */
  async save(dir: string): Promise<void> {
    const t = this.state();
    await writeJsonModel(dir, FORMAT, VERSION, {
      options: this.options,
      mean: t.params.mean,
      userBias: Array.from(t.params.userBias),
      itemBias: Array.from(t.params.itemBias),
      userFactors: Array.from(t.params.userFactors),
      itemFactors: Array.from(t.params.itemFactors),
      users: t.users.toJSON(),
      items: t.items.toJSON(),
      seen: t.seen.map((s) => Array.from(s)),
      ratingMin: t.ratingMin,
      ratingMax: t.ratingMax,
    });
  }

  /** Restores a model written by {@linkcode BiasedMF.save}; predictions are identical. */
  static async load(dir: string): Promise<BiasedMF> {
    const json = await readJsonModel(dir, FORMAT, VERSION);
    const model = new BiasedMF(json.options as BiasedMfOptions);
    const d = model.options.latentDim;
    const params: Required<FactorParams> = {
      dim: d,
      mean: json.mean as number,
      userBias: Float64Array.from(json.userBias as number[]),
      itemBias: Float64Array.from(json.itemBias as number[]),
      userFactors: Float64Array.from(json.userFactors as number[]),
      itemFactors: Float64Array.from(json.itemFactors as number[]),
    };
    model.trained = {
      params,
      scorer: new FactorScorer(params),
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
