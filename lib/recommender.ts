/**
 * The interface every model in the library implements (DReX, DReX-MLP and
 * every baseline), so that metrics, the comparison task and notebooks treat
 * them alike. Modelled on Cornac's `fit` / `score` / `rank` / `recommend`.
 *
 * @module
 */
import type { DatasetSplit } from "./data/types.ts";
import type { TokenFeatures } from "./text/token_features.ts";

/** What a model is trained from. Only `split.train` (and `features`, built from it) may be used as input. */
export interface ModelInput {
  /** The split; models read `train`, and `validation` only for early stopping. */
  split: DatasetSplit;
  /** Token features of `split.train[r].review`, row `r` per training interaction. Review models need it. */
  features?: TokenFeatures;
}

/** The least a model must do to be evaluated: predict ratings, and score every item for ranking. */
export interface RatingPredictor {
  /** Number of items; rows of {@linkcode RatingPredictor.scoreAllItems} are this wide. */
  readonly numItems: number;
  /**
   * Whether `predict` returns ratings on the dataset's scale. Models that only
   * score (DMF, as in the paper) set `false` and get no MAE/RMSE. Absent means `true`.
   */
  readonly predictsRatings?: boolean;
  /** Predicted ratings for the pairs `(users[j], items[j])`. */
  predict(users: Int32Array, items: Int32Array): Float32Array;
  /**
   * Predicted scores of every item for each of `users`: a `users.length × numItems`
   * row-major array. Higher means more recommended.
   */
  scoreAllItems(users: Int32Array): Float32Array;
}

/** One recommended item. */
export interface Recommendation {
  /** Item index. */
  item: number;
  /** The dataset's item id. */
  itemId: string;
  /** Predicted rating (or score, for models without a rating scale). */
  score: number;
  /** Why, where the model can say: keywords (DReX) or review indices (NARRE). */
  explanation?: Explanation;
}

/** A model's reason for a recommendation. */
export interface Explanation {
  /** Keywords shared by the user's and the item's profiles, strongest first, with combined weights. */
  keywords?: { word: string; weight: number }[];
  /** Texts (for instance the item's most attended reviews) shown as evidence. */
  reviews?: { text: string; weight: number }[];
}

/** Per-epoch training record. */
export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean training loss over the epoch. */
  trainLoss: number;
  /** Validation MAE after the epoch (NaN when there is no validation rating). */
  validationMae: number;
  /** Validation RMSE after the epoch. */
  validationRmse: number;
  /** Wall-clock seconds the epoch took. */
  seconds: number;
}

/** What `fit` reports. */
export interface FitReport {
  /** One record per epoch run. */
  history: EpochRecord[];
  /** Epoch whose parameters the model kept (best validation). */
  bestEpoch: number;
  /** Whether training stopped before the epoch limit. */
  stoppedEarly: boolean;
  /** Total training seconds. */
  seconds: number;
}

/** Callbacks and switches for a training run, shared by every model. */
export interface FitHooks {
  /** Called after every epoch with its record (for live plots and logs). @default undefined */
  onEpoch?: (record: EpochRecord) => void;
  /**
   * Progress display: a bar on standard error, shown only when it is a
   * terminal; `false` for none.
   * @default true
   */
  progress?: boolean;
  /** Stops training after the current epoch when aborted; the best epoch so far is kept. @default undefined */
  signal?: AbortSignal;
}

/** A trainable, savable recommender. */
export interface Recommender extends RatingPredictor {
  /** Short model name used in tables, e.g. `"DReX"`, `"BiasedMF"`. */
  readonly name: string;
  /** Trains on `input` (from scratch). */
  fit(input: ModelInput, hooks?: FitHooks): Promise<FitReport>;
  /**
   * Top `k` items for `user` that the user has no training or validation
   * interaction with. `user` is an index, or (a string) the dataset's user id.
   */
  recommend(user: number | string, k: number): Recommendation[];
  /** Writes everything needed to restore the model into directory `dir`. */
  save(dir: string): Promise<void>;
  /** Frees tensors the model holds. */
  dispose(): void;
}
