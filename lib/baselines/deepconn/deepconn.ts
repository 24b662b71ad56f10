/**
 * DeepCoNN (Zheng, Noroozi and Yu, WSDM 2017) as a {@linkcode Recommender}:
 * a user tower reads the user's reviews, an item tower the item's, and a
 * factorisation machine on the two latent vectors predicts the rating.
 *
 * - **Documents.** A user's document is the user's training reviews, most
 *   recent first, concatenated and cut after `maxDocumentWords` words (whole
 *   reviews while they fit, then a prefix of the next); an item's likewise
 *   (`../review_cnn/review_documents.ts`). Words are the token features the text pipeline
 *   made from the training reviews (static wink 100-d by default, or BERT).
 * - **Towers.** Convolution with window `window` (3) and `filters` (100)
 *   filters, ReLU, max-over-time pooling, then a dense ReLU layer to
 *   `latentDim`. Windows do not cross review boundaries.
 * - **Head.** A factorisation machine on `[x_u ; y_i]` with `fmFactors`
 *   factors, its global bias starting at the training mean.
 * - **No leakage.** During training, the review of the interaction being
 *   predicted is left out of both documents (the original training kept it,
 *   so the model could read the rating's own review: a known leak). At
 *   prediction time documents hold all training reviews and nothing else.
 * - **Training.** Adam on mean squared error (+ `lambda` L2), dropout on the
 *   tower outputs, early stopping on validation MAE (`runEpochLoop`).
 *   After training every user and item is encoded once; predictions and
 *   `scoreAllItems` only evaluate the FM on those vectors.
 *
 * @module
 */
import { initBackend } from "../../backend/init.ts";
import { Rng } from "../../random.ts";
import type { FitHooks, FitReport, ModelInput } from "../../recommender.ts";
import { assignArrays, variableArrays } from "../common/param_init.ts";
import {
  beginFit,
  fittedState,
  restoredState,
  ReviewRecommender,
  type TrainedReviewModel,
} from "../common/review_recommender.ts";
import { trainReviewModel } from "../common/train_review_model.ts";
import { validationPairs } from "../common/training_pairs.ts";
import { readWeightsModel, writeWeightsModel } from "../common/weights_file.ts";
import { PooledReviewCnn } from "../review_cnn/pooled_review_cnn.ts";
import { entityReviews } from "../review_cnn/review_documents.ts";
import { TokenRows } from "../review_cnn/token_rows.ts";
import { createDeepConnParams, type DeepConnParams, deepConnVariables } from "./deepconn_params.ts";
import { DeepConnNetwork, deepConnScores } from "./deepconn_network.ts";
import {
  type DeepConnOptions,
  type ResolvedDeepConnOptions,
  resolveDeepConnOptions,
} from "./options.ts";

const FORMAT = "drex-deepconn";
const VERSION = 1;

/**
 * What a trained DeepCoNN holds (the type argument of its
 * {@linkcode ReviewRecommender} base; not part of the public API).
 *
 * @internal
 */
interface TrainedDeepConn extends TrainedReviewModel {
  params: DeepConnParams;
  /** User latent vectors from whole documents, `numUsers × d`. */
  userVectors: Float32Array;
  /** Item latent vectors, `numItems × d`. */
  itemVectors: Float32Array;
}

/**
 * The DeepCoNN recommender; see the module documentation.
 *
 * @example
 * ```ts ignore
 * const { features } = await extractFeatures(split.train.map((it) => it.review));
 * const model = new DeepConn({ latentDim: 64 });
 * await model.fit({ split, features });
 * model.recommend(0, 5);
 * ```
 */
export class DeepConn extends ReviewRecommender<TrainedDeepConn, ResolvedDeepConnOptions> {
  /** Table name. */
  readonly name: string = "DeepCoNN";

  /** A model with `options` (see {@linkcode DeepConnOptions} for defaults); call `fit` next. */
  constructor(options: DeepConnOptions = {}) {
    super(resolveDeepConnOptions(options), "DeepConn.load()");
  }

  /**
   * Trains from scratch on `input.split.train` and `input.features` (token
   * features of the training reviews, one row per training interaction),
   * with early stopping on the validation ratings.
   */
  async fit(input: ModelInput, hooks: FitHooks = {}): Promise<FitReport> {
    const { split, features, rng, targets, mean } = await beginFit(this, input);
    const o = this.options;
    const params = createDeepConnParams(
      {
        featureDim: features.dim,
        window: o.window,
        filters: o.filters,
        latentDim: o.latentDim,
        fmFactors: o.fmFactors,
      },
      mean,
      rng.fork(),
    );
    try {
      const net = new DeepConnNetwork(
        params,
        new PooledReviewCnn(new TokenRows(features), o.window, o.filters),
        entityReviews(split.train, features.tokens, split.users.size, split.items.size),
        o,
      );
      const report = await trainReviewModel(
        {
          label: this.name,
          options: o,
          variables: deepConnVariables(params),
          masks: 2,
          plan: (rows, users, items, ratings) => net.planBatch(rows, users, items, ratings),
          loss: (plan, dropout) => net.batchLoss(plan, dropout),
          scorer: () => net.scores(net.encodeAll("user"), net.encodeAll("item")),
        },
        targets,
        validationPairs(split),
        rng.fork(),
        hooks,
      );
      const userVectors = net.encodeAll("user");
      const itemVectors = net.encodeAll("item");
      this.trained = {
        params,
        userVectors,
        itemVectors,
        scorer: net.scores(userVectors, itemVectors),
        ...fittedState(split, features, report),
      };
      return report;
    } catch (err) {
      for (const [, v] of deepConnVariables(params)) v.dispose();
      throw err;
    }
  }

  /** Writes the model to directory `dir` (replaced as a unit). */
  async save(dir: string): Promise<void> {
    const t = this.state();
    const d = this.options.latentDim;
    await writeWeightsModel(dir, FORMAT, VERSION, this.savedFields(t), [
      ...variableArrays(deepConnVariables(t.params)),
      { name: "userVectors", shape: [t.users.size, d], values: t.userVectors },
      { name: "itemVectors", shape: [t.items.size, d], values: t.itemVectors },
    ]);
  }

  /** Restores a model written by {@linkcode DeepConn.save}; predictions are identical. */
  static async load(dir: string): Promise<DeepConn> {
    await initBackend();
    const saved = await readWeightsModel(dir, FORMAT, VERSION);
    const json = saved.json;
    const model = new DeepConn(json.options as DeepConnOptions);
    const o = model.options;
    const state = restoredState(json);
    const params = createDeepConnParams(
      {
        featureDim: state.featureDim,
        window: o.window,
        filters: o.filters,
        latentDim: o.latentDim,
        fmFactors: o.fmFactors,
      },
      0,
      new Rng(0),
    );
    try {
      assignArrays(deepConnVariables(params), saved.take);
      const userVectors = saved.take("userVectors", [state.users.size, o.latentDim]);
      const itemVectors = saved.take("itemVectors", [state.items.size, o.latentDim]);
      model.trained = {
        params,
        userVectors,
        itemVectors,
        scorer: deepConnScores(params, o, userVectors, itemVectors),
        ...state,
      };
    } catch (err) {
      for (const [, v] of deepConnVariables(params)) v.dispose();
      throw err;
    }
    return model;
  }

  /** Frees the parameters' tensors. */
  protected override release(t: TrainedDeepConn): void {
    for (const [, v] of deepConnVariables(t.params)) v.dispose();
  }
}
