/**
 * What the review baselines (DeepCoNN, NARRE, PESI) share beyond
 * {@linkcode TrainedRecommender}: the start of `fit`, predictions clipped to
 * the rating scale, `explain` on recommendations, and the fields every
 * saved model stores. Each model adds its own `fit`, `save`, static `load`,
 * and (NARRE, PESI) `explain`.
 *
 * @module
 */
import { initBackend } from "../../backend/init.ts";
import { IdMap } from "../../data/id_map.ts";
import type { DatasetSplit } from "../../data/types.ts";
import type { Explanation, FitReport, ModelInput } from "../../recommender.ts";
import { Rng } from "../../random.ts";
import { seenItemsByUser } from "../../seen_items.ts";
import type { TokenFeatures } from "../../text/token_features.ts";
import { type TrainedCore, TrainedRecommender } from "./trained_recommender.ts";
import { clip, type RatedPairs, ratedTrainingPairs } from "./training_pairs.ts";

/** What every trained review model keeps besides its parameters and scorer. */
export interface ReviewModelState extends Omit<TrainedCore, "scorer"> {
  /** Width D of the token features the model was trained on. */
  featureDim: number;
  /** Name of the text encoder that made those features. */
  encoder: string;
}

/** A trained review model: the shared state and the scorer of unclipped predictions. */
export interface TrainedReviewModel extends ReviewModelState, TrainedCore {}

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
 * Base of the review baselines: a {@linkcode TrainedRecommender} whose
 * predictions are clipped to the rating scale, whose recommendations carry
 * `explain` when the model defines it, and whose saved models share
 * {@linkcode ReviewRecommender.savedFields}. Errors name the model, e.g.
 * `"DeepCoNN: user index 5 outside [0, 3)"`.
 */
export abstract class ReviewRecommender<
  T extends TrainedReviewModel = TrainedReviewModel,
  O extends RatingScale = RatingScale,
> extends TrainedRecommender<T, O> {
  /** The explanation of recommending `item` to `user`, for models that give one. */
  explain?(user: number, item: number): Explanation;

  /** Attaches `explain` to every recommendation when the model defines it. */
  protected override explanationFor(user: number, item: number): Explanation | undefined {
    return this.explain?.(user, item);
  }

  /** Clips predictions to `[ratingMin, ratingMax]`, as the original review models do. */
  protected override adjust(values: Float32Array): Float32Array {
    const { ratingMin, ratingMax } = this.options;
    for (let j = 0; j < values.length; j++) values[j] = clip(values[j], ratingMin, ratingMax);
    return values;
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
}
