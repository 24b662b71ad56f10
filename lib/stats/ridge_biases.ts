/**
 * The closed-form user + item bias model: `μ + b_u + b_i` minimising squared
 * error plus `userReg Σ b_u² + itemReg Σ b_i²`, by alternating exact updates
 * (each sweep solves the items given the users, then the users given the
 * items). The `UserItemBias` baseline is this model; DReX's biases start from
 * it, so DReX begins at the strongest model that knows nothing about who
 * likes what, and its predictor only has to learn the rest.
 *
 * @module
 */

/** Fitted biases (around a given mean). */
export interface RidgeBiases {
  /** `b_u` per user. */
  user: Float32Array;
  /** `b_i` per item. */
  item: Float32Array;
}

/** Options of {@linkcode ridgeBiases}. */
export interface RidgeBiasOptions {
  /** Penalty on user biases (acts like that many ratings at the mean). */
  userReg: number;
  /** Penalty on item biases. */
  itemReg: number;
  /** Alternating sweeps; the updates converge in a handful. @default 20 */
  sweeps?: number;
}

/**
 * Fits user and item biases around `mean` from rows `(users[n], items[n],
 * ratings[n])`; rows whose rating is NaN are skipped.
 */
export function ridgeBiases(
  users: Int32Array,
  items: Int32Array,
  ratings: Float32Array,
  numUsers: number,
  numItems: number,
  mean: number,
  options: RidgeBiasOptions,
): RidgeBiases {
  const bu = new Float64Array(numUsers);
  const bi = new Float64Array(numItems);
  const nU = new Float64Array(numUsers);
  const nI = new Float64Array(numItems);
  for (let n = 0; n < ratings.length; n++) {
    if (Number.isNaN(ratings[n])) continue;
    nU[users[n]]++;
    nI[items[n]]++;
  }
  for (let sweep = 0; sweep < (options.sweeps ?? 20); sweep++) {
    bi.fill(0);
    for (let n = 0; n < ratings.length; n++) {
      if (!Number.isNaN(ratings[n])) bi[items[n]] += ratings[n] - mean - bu[users[n]];
    }
    for (let i = 0; i < numItems; i++) bi[i] /= options.itemReg + nI[i] || 1;
    bu.fill(0);
    for (let n = 0; n < ratings.length; n++) {
      if (!Number.isNaN(ratings[n])) bu[users[n]] += ratings[n] - mean - bi[items[n]];
    }
    for (let u = 0; u < numUsers; u++) bu[u] /= options.userReg + nU[u] || 1;
  }
  return { user: Float32Array.from(bu), item: Float32Array.from(bi) };
}

/** Penalties {@linkcode chooseBiasPenalties} tries for each side (in ratings at the mean). */
export const BIAS_PENALTY_GRID: readonly number[] = [0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50];

/** Held-out ratings the penalties are chosen on. */
export interface HeldOutRatings {
  /** User per rating. */
  users: Int32Array;
  /** Item per rating. */
  items: Int32Array;
  /** The ratings. */
  ratings: Float32Array;
}

/**
 * Picks the user and item penalties of the grid whose ridge biases predict
 * `heldOut` with the lowest RMSE (the same choice `deno task tune` makes for
 * the bias baseline, but in closed form, so it costs a second).
 */
export function chooseBiasPenalties(
  users: Int32Array,
  items: Int32Array,
  ratings: Float32Array,
  numUsers: number,
  numItems: number,
  mean: number,
  heldOut: HeldOutRatings,
  grid: readonly number[] = BIAS_PENALTY_GRID,
): { userReg: number; itemReg: number; rmse: number } {
  let best = { userReg: grid[0], itemReg: grid[0], rmse: Infinity };
  for (const userReg of grid) {
    for (const itemReg of grid) {
      const b = ridgeBiases(users, items, ratings, numUsers, numItems, mean, { userReg, itemReg });
      let sq = 0;
      for (let j = 0; j < heldOut.ratings.length; j++) {
        const e = mean + b.user[heldOut.users[j]] + b.item[heldOut.items[j]] - heldOut.ratings[j];
        sq += e * e;
      }
      const rmse = Math.sqrt(sq / heldOut.ratings.length);
      if (rmse < best.rmse - 1e-12) best = { userReg, itemReg, rmse };
    }
  }
  return best;
}
