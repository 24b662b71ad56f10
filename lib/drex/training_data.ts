/**
 * The training interactions in the flat form DReX's passes use: per-row
 * inputs, targets and chronological sequences. Built only from `split.train`
 * and the features extracted from it, which is what keeps validation and test
 * data out of every input and state.
 *
 * @module
 */
import type { DatasetSplit } from "../data/types.ts";
import type { Rng } from "../random.ts";
import type { TokenFeatures } from "../text/token_features.ts";
import type { InteractionInputs } from "./interaction_encoder.ts";
import { ratingLevel, type ResolvedDrexOptions } from "./options.ts";
import { chronologicalSequences, tieBreakKeys } from "./sequences.ts";

/** Sparse training ratings of one entity, for DReX-MLP's rating vectors. */
export interface SparseRatings {
  /** Indices of the rated counterpart entities. */
  index: Int32Array;
  /** Ratings divided by the scale maximum (in (0, 1]). */
  value: Float32Array;
  /** The training row of each rating (so a row can be held out of the vector). */
  rows: Int32Array;
}

/** Flat training data for DReX. Row `n` is `split.train[n]`. */
export interface DrexTrainingData {
  /** Number of users in the split. */
  numUsers: number;
  /** Number of items in the split. */
  numItems: number;
  /** User of each row. */
  users: Int32Array;
  /** Item of each row. */
  items: Int32Array;
  /** Target rating of each row; NaN when the row has no (visible) rating. */
  ratings: Float32Array;
  /** Review rows and rating levels: what the interaction encoder sees. */
  inputs: InteractionInputs;
  /** Rows with a visible rating. */
  ratedCount: number;
  /** Each user's rows in time order. */
  userSequences: Int32Array[];
  /** Each item's rows in time order. */
  itemSequences: Int32Array[];
  /** Mean visible training rating (the predictor's starting output bias). */
  meanRating: number;
  /** Each user's training ratings over items (DReX-MLP input). */
  userRatings: SparseRatings[];
  /** Each item's training ratings over users (DReX-MLP input). */
  itemRatings: SparseRatings[];
  /** Visible training ratings per user (weights of the bias penalty). */
  userCounts: Int32Array;
  /** Visible training ratings per item. */
  itemCounts: Int32Array;
  /** How many reviews and ratings the hide options removed. */
  hidden: { reviews: number; ratings: number };
}

/** Picks `round(fraction * candidates.length)` of `candidates` at random. */
function pickFraction(candidates: number[], fraction: number, rng: Rng): Set<number> {
  const count = Math.round(fraction * candidates.length);
  return new Set(rng.shuffle(candidates.slice()).slice(0, count));
}

interface RatingList {
  index: number[];
  value: number[];
  rows: number[];
}

function sparse(lists: RatingList[]): SparseRatings[] {
  return lists.map((l) => ({
    index: Int32Array.from(l.index),
    value: Float32Array.from(l.value),
    rows: Int32Array.from(l.rows),
  }));
}

/**
 * Builds DReX's training view of `split.train`. `features.tokens[n]` must be
 * the tokens of `split.train[n].review`. Ratings must lie on the options'
 * scale; a non-integer rating uses the nearest level for its one-hot input.
 */
export function prepareDrexTrainingData(
  split: DatasetSplit,
  features: TokenFeatures,
  options: ResolvedDrexOptions,
  rng: Rng,
): DrexTrainingData {
  const train = split.train;
  const N = train.length;
  if (N === 0) throw new Error("DReX: the split has no training interactions");
  if (features.tokens.length !== N) {
    throw new Error(
      `DReX: features cover ${features.tokens.length} reviews but the split has ${N} training interactions; ` +
        "extract features from split.train in order",
    );
  }
  const numUsers = split.users.size;
  const numItems = split.items.size;
  const users = new Int32Array(N);
  const items = new Int32Array(N);
  const ratings = new Float32Array(N).fill(NaN);
  const reviews = new Int32Array(N).fill(-1);
  const levels = new Int32Array(N).fill(-1);
  const withReview: number[] = [];
  const withRating: number[] = [];
  for (let n = 0; n < N; n++) {
    const it = train[n];
    users[n] = it.user;
    items[n] = it.item;
    if (features.tokens[n].length > 0) withReview.push(n);
    if (it.rating !== undefined) {
      if (!(it.rating >= options.ratingMin && it.rating <= options.ratingMax)) {
        throw new RangeError(
          `DReX: training interaction ${n} (user ${split.users.id(it.user)}, item ${
            split.items.id(it.item)
          }) ` +
            `has rating ${it.rating} outside the scale ${options.ratingMin}..${options.ratingMax}`,
        );
      }
      withRating.push(n);
    }
  }
  const hiddenReviews = pickFraction(withReview, options.hideReviews, rng);
  const hiddenRatings = pickFraction(withRating, options.hideRatings, rng);
  for (const n of withReview) if (!hiddenReviews.has(n)) reviews[n] = n;
  let sum = 0;
  let ratedCount = 0;
  const userLists = Array.from(
    { length: numUsers },
    (): RatingList => ({ index: [], value: [], rows: [] }),
  );
  const itemLists = Array.from(
    { length: numItems },
    (): RatingList => ({ index: [], value: [], rows: [] }),
  );
  for (const n of withRating) {
    if (hiddenRatings.has(n)) continue;
    const r = train[n].rating as number;
    ratings[n] = r;
    levels[n] = ratingLevel(options, r);
    sum += r;
    ratedCount++;
    userLists[users[n]].index.push(items[n]);
    userLists[users[n]].value.push(r / options.ratingMax);
    userLists[users[n]].rows.push(n);
    itemLists[items[n]].rows.push(n);
    itemLists[items[n]].index.push(users[n]);
    itemLists[items[n]].value.push(r / options.ratingMax);
  }
  if (ratedCount === 0) {
    throw new Error("DReX: no training interaction has a (visible) rating to learn from");
  }
  const ties = tieBreakKeys(N, rng);
  return {
    numUsers,
    numItems,
    users,
    items,
    ratings,
    inputs: { reviews, levels },
    ratedCount,
    userSequences: chronologicalSequences(train, "user", numUsers, ties),
    itemSequences: chronologicalSequences(train, "item", numItems, ties),
    meanRating: sum / ratedCount,
    userRatings: sparse(userLists),
    itemRatings: sparse(itemLists),
    userCounts: Int32Array.from(userLists, (l) => l.index.length),
    itemCounts: Int32Array.from(itemLists, (l) => l.index.length),
    hidden: { reviews: hiddenReviews.size, ratings: hiddenRatings.size },
  };
}
