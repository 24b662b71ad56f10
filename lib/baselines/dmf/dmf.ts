/**
 * DMF, deep matrix factorisation (Xue et al., IJCAI 2017), as in the DReX
 * paper's comparison: a user tower over each user's row of the training
 * rating matrix and an item tower over each item's column, scored by the
 * cosine of their outputs, trained with normalised cross-entropy (label
 * `rating / maxRating` for training ratings, 0 for sampled unobserved pairs).
 * It scores rather than predicts ratings, so it has no MAE
 * (`predictsRatings = false`), only rankings.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import { join } from "node:path";
import { initBackend } from "../../backend/init.ts";
import { IdMap } from "../../data/id_map.ts";
import type { DatasetSplit } from "../../data/types.ts";
import { readJsonModel } from "../../io/json_model.ts";
import { replaceDir } from "../../io/replace_dir.ts";
import { Rng } from "../../random.ts";
import type { FitHooks, FitReport, ModelInput } from "../../recommender.ts";
import { seenItemsByUser } from "../../seen_items.ts";
import { runEpochLoop, type ValidationErrors } from "../../train/early_stopping.ts";
import { ratedPairs, ratingSummary } from "../common/rated_pairs.ts";
import { sparseRatingRows } from "../common/sparse_rows.ts";
import { CosineScorer, normalisedEmbeddings, rowDot } from "./embeddings.ts";
import { type TrainedCore, TrainedRecommender } from "../common/trained_recommender.ts";
import { sampleNegatives } from "./negative_sampling.ts";
import { type DmfOptions, type ResolvedDmfOptions, resolveDmfOptions } from "./options.ts";
import { createTower, disposeTower, towerVariables } from "./tower.ts";
import { type DmfTowers, type DmfTrainingData, MIN_SCORE, trainDmfEpoch } from "./train_dmf.ts";

const FORMAT = "drex-dmf";
const VERSION = 1;
const EMBEDDINGS_FILE = "embeddings.f32";

/**
 * Everything a trained DMF holds: unit-length tower outputs, no tensors
 * (the type argument of its {@linkcode TrainedRecommender} base; not part
 * of the public API).
 *
 * @internal
 */
interface TrainedDmf extends TrainedCore {
  /** `numUsers × latentDim`, each row of unit length (or zero). */
  userVectors: Float32Array;
  /** `numItems × latentDim`. */
  itemVectors: Float32Array;
  maxRating: number;
}

/** Validation pairs: the validation ratings, and sampled unobserved pairs with target 0. */
interface ValidationTargets {
  users: Int32Array;
  items: Int32Array;
  /** The rating, or 0 for a sampled pair. */
  targets: Float64Array;
}

function validationTargets(
  split: DatasetSplit,
  seen: Int32Array[],
  ratio: number,
  rng: Rng,
): ValidationTargets {
  const pos = ratedPairs(split.validation);
  const neg = sampleNegatives(pos.users, seen, split.items.size, ratio, rng);
  const n = pos.users.length + neg.users.length;
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  const targets = new Float64Array(n);
  users.set(pos.users);
  users.set(neg.users, pos.users.length);
  items.set(pos.items);
  items.set(neg.items, pos.items.length);
  targets.set(pos.ratings);
  return { users, items, targets };
}

/** Errors of `maxRating · max(μ, cosine)` against the targets. */
function scaledErrors(
  v: ValidationTargets,
  userVectors: Float32Array,
  itemVectors: Float32Array,
  dim: number,
  maxRating: number,
): ValidationErrors {
  const n = v.targets.length;
  if (n === 0) return { mae: NaN, rmse: NaN };
  let abs = 0;
  let sq = 0;
  for (let j = 0; j < n; j++) {
    const score = Math.max(
      MIN_SCORE,
      rowDot(userVectors, v.users[j], itemVectors, v.items[j], dim),
    );
    const e = maxRating * score - v.targets[j];
    abs += Math.abs(e);
    sq += e * e;
  }
  return { mae: abs / n, rmse: Math.sqrt(sq / n) };
}

/**
 * Deep matrix factorisation (DMF).
 *
 * - Inputs: user u's row of the training rating matrix (its ratings, 0 where
 *   unrated) and item i's column; only training ratings, so nothing held out
 *   reaches an input.
 * - Towers: `[...hiddenDims, latentDim]` layers, the first linear (sparse),
 *   the others ReLU (see `tower.ts`). Score: `ŷ = cos(user vector, item vector)`.
 * - Loss: mean normalised cross-entropy, `−(y log ŷ + (1 − y) log(1 − ŷ))`
 *   with `y = r / maxRating` for training ratings and `y = 0` for
 *   `negativeRatio` unobserved items per rating, drawn afresh each epoch;
 *   `ŷ` clipped to `[1e-6, 1 − 1e-6]`. Adam.
 * - Early stopping watches the error of `maxRating · ŷ` against the
 *   validation ratings and against 0 for a fixed, seeded sample of
 *   `negativeRatio` unobserved items per validation rating (items the user
 *   has no training or validation interaction with): the objective's
 *   regression target on held-out pairs. It is reported in the epoch
 *   records' `validationMae` / `validationRmse`.
 * - After training the towers are run once over every user and item; the
 *   model keeps the unit-length outputs, so `predict` and `scoreAllItems`
 *   are dot products and the model holds no tensors.
 *
 * @example
 * ```ts ignore
 * const model = new DMF({ hiddenDims: [128], latentDim: 64 });
 * await model.fit({ split });
 * evaluate(model, split); // ranking metrics only; MAE is left out for DMF
 * ```
 */
export class DMF extends TrainedRecommender<TrainedDmf, ResolvedDmfOptions> {
  /** Table name. */
  readonly name: string = "DMF";
  /** DMF scores pairs by cosine similarity; it does not predict ratings (no MAE, as in the paper). */
  readonly predictsRatings: boolean = false;
  /** A model with `options` (see {@linkcode DmfOptions} for defaults); call `fit` next. */
  constructor(options: DmfOptions = {}) {
    super(resolveDmfOptions(options), "DMF.load()");
  }

  /** Trains from scratch on the training ratings, stopping early on validation pairs (see the class doc). */
  async fit(input: ModelInput, hooks: FitHooks = {}): Promise<FitReport> {
    await initBackend();
    const { split } = input;
    const o = this.options;
    const train = ratedPairs(split.train);
    if (train.ratings.length === 0) throw new Error("DMF: no training interaction has a rating");
    const maxRating = ratingSummary(train).max;
    if (!(maxRating > 0)) {
      throw new Error(`DMF: the largest training rating must be positive, got ${maxRating}`);
    }
    const nU = split.users.size;
    const nI = split.items.size;
    const byUser = sparseRatingRows(train, nU, nI, "user");
    const byItem = sparseRatingRows(train, nU, nI, "item");
    const data: DmfTrainingData = {
      train,
      byUser,
      byItem,
      trainItems: Array.from(
        { length: nU },
        (_, u) => byUser.cols.slice(byUser.offsets[u], byUser.offsets[u + 1]),
      ),
      maxRating,
    };
    const seen = seenItemsByUser(split);
    const rng = new Rng(o.seed);
    const validation = validationTargets(split, seen, o.negativeRatio, rng.fork());
    const sizes = [...o.hiddenDims, o.latentDim];
    const towers: DmfTowers = {
      user: createTower(nI, sizes, rng),
      item: createTower(nU, sizes, rng),
    };
    const vars = [...towerVariables(towers.user), ...towerVariables(towers.item)];
    const optimizer = tf.train.adam(o.learningRate);
    const epochRng = rng.fork();
    const embed = () => ({
      users: normalisedEmbeddings(towers.user, byUser),
      items: normalisedEmbeddings(towers.item, byItem),
    });
    try {
      const report = await runEpochLoop<tf.Tensor[]>({
        label: this.name,
        maxEpochs: o.maxEpochs,
        patience: o.patience,
        minDelta: o.minDelta,
        metric: o.stoppingMetric,
        runEpoch: () => trainDmfEpoch(towers, data, optimizer, o, epochRng),
        validate: () => {
          const e = embed();
          return scaledErrors(validation, e.users, e.items, o.latentDim, maxRating);
        },
        snapshot: () => vars.map((v) => tf.clone(v)),
        restore: (kept) => vars.forEach((v, j) => v.assign(kept[j])),
        release: (kept) => kept.forEach((t) => t.dispose()),
      }, hooks);
      const e = embed();
      this.trained = {
        userVectors: e.users,
        itemVectors: e.items,
        scorer: new CosineScorer(e.users, e.items, o.latentDim),
        maxRating,
        users: split.users,
        items: split.items,
        seen,
        report,
      };
      return report;
    } finally {
      optimizer.dispose();
      disposeTower(towers.user);
      disposeTower(towers.item);
    }
  }

  /**
   * Writes `model.json` (options, ids, seen items) and `embeddings.f32` (the
   * unit-length user then item vectors, little-endian float32) to `dir`.
   * The tower weights are not kept: scoring needs only their outputs.
   */
  async save(dir: string): Promise<void> {
    const t = this.state();
    await replaceDir(
      dir,
      async (tmp) => {
        const json = {
          format: FORMAT,
          version: VERSION,
          options: this.options,
          maxRating: t.maxRating,
          users: t.users.toJSON(),
          items: t.items.toJSON(),
          seen: t.seen.map((s) => Array.from(s)),
        };
        await Deno.writeTextFile(join(tmp, "model.json"), JSON.stringify(json));
        const bytes = new Uint8Array(4 * (t.userVectors.length + t.itemVectors.length));
        const view = new DataView(bytes.buffer);
        let offset = 0;
        for (const v of [t.userVectors, t.itemVectors]) {
          for (const x of v) {
            view.setFloat32(offset, x, true);
            offset += 4;
          }
        }
        await Deno.writeFile(join(tmp, EMBEDDINGS_FILE), bytes);
      },
      "folder",
      { kind: "model" },
    );
  }

  /** Restores a model written by {@linkcode DMF.save}; scores are identical. */
  static async load(dir: string): Promise<DMF> {
    const json = await readJsonModel(dir, FORMAT, VERSION);
    const model = new DMF(json.options as DmfOptions);
    const users = IdMap.fromJSON(json.users as string[]);
    const items = IdMap.fromJSON(json.items as string[]);
    const d = model.options.latentDim;
    const path = join(dir, EMBEDDINGS_FILE);
    const bytes = await Deno.readFile(path);
    const expected = 4 * d * (users.size + items.size);
    if (bytes.length !== expected) {
      throw new Error(`${path}: ${bytes.length} bytes, expected ${expected}`);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const all = Float32Array.from({ length: expected / 4 }, (_, k) => view.getFloat32(4 * k, true));
    const userVectors = all.slice(0, users.size * d);
    const itemVectors = all.slice(users.size * d);
    model.trained = {
      userVectors,
      itemVectors,
      scorer: new CosineScorer(userVectors, itemVectors, d),
      maxRating: json.maxRating as number,
      users,
      items,
      seen: (json.seen as number[][]).map((s) => Int32Array.from(s)),
      report: { history: [], bestEpoch: 0, stoppedEarly: false, seconds: 0 },
    };
    return model;
  }
}
