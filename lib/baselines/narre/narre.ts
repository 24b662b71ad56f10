/**
 * NARRE (Chen, Zhang, Liu and Ma, WWW 2018) as a {@linkcode Recommender}:
 * every review is encoded by a CNN; a review-level attention decides how
 * much each of a user's (item's) reviews counts; the attended review
 * features plus id embeddings give latent factors, and
 * `r̂ = w1 · (p_u ⊙ q_i) + b_u + b_i + μ`. The item's most attended reviews
 * explain a recommendation.
 *
 * - **Review lists.** A user's list is the user's most recent training
 *   reviews, at most `maxReviews`; an item's likewise
 *   (`../review_cnn/review_documents.ts`). Words are the token features the
 *   text pipeline made from the training reviews (static wink 100-d by
 *   default, or BERT).
 * - **Review CNN.** Convolution (window 3, `filters` filters), ReLU,
 *   max-over-time pooling, separate weights for the user and item towers.
 * - **Attention.** Scored from the review's CNN features and an id
 *   embedding of the item the review was written for (for items: of the
 *   review's author), softmax over the list (`narre_network.ts`).
 * - **No leakage.** During training, the review of the interaction being
 *   predicted is left out of both lists (the original training kept it).
 *   At prediction time lists hold training reviews only.
 * - **Training.** Adam on mean squared error (+ `lambda` L2), dropout on the
 *   review features `X_u`, `Y_i`, early stopping on validation MAE. After
 *   training every user and item is encoded once, so `predict` and
 *   `scoreAllItems` only take dot products.
 *
 * @module
 */
import { initBackend } from "../../backend/init.ts";
import { Rng } from "../../random.ts";
import type { Explanation, FitHooks, FitReport, ModelInput } from "../../recommender.ts";
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
import { NarreNetwork, type SideEncoding } from "./narre_network.ts";
import { createNarreParams, type NarreParams, narreVariables } from "./narre_params.ts";
import { NarreScores } from "./narre_scores.ts";
import { type NarreOptions, type ResolvedNarreOptions, resolveNarreOptions } from "./options.ts";

const FORMAT = "drex-narre";
const VERSION = 1;

/** One review shown as evidence: its text and attention weight. */
type EvidenceReview = { text: string; weight: number };

/**
 * What a trained NARRE holds (the type argument of its
 * {@linkcode ReviewRecommender} base; not part of the public API).
 *
 * @internal
 */
interface TrainedNarre extends TrainedReviewModel {
  params: NarreParams;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  /** Per item, its most attended training reviews, strongest first. */
  itemEvidence: EvidenceReview[][];
}

function scoresOf(
  params: NarreParams,
  userFactors: Float32Array,
  itemFactors: Float32Array,
): NarreScores {
  return new NarreScores({
    userFactors,
    itemFactors,
    w1: params.w1.dataSync() as Float32Array,
    userBias: params.user.bias.dataSync() as Float32Array,
    itemBias: params.item.bias.dataSync() as Float32Array,
    global: params.global.dataSync()[0],
  });
}

/** Each item's `top` most attended reviews, with texts from the training interactions. */
function evidence(
  items: SideEncoding,
  texts: readonly (string | undefined)[],
  top: number,
): EvidenceReview[][] {
  return items.lists.map((list, i) => {
    const w = items.weights[i];
    const order = Array.from(list, (_, m) => m).sort((a, b) => w[b] - w[a] || a - b);
    return order.slice(0, top).map((m) => ({ text: texts[list[m]] ?? "", weight: w[m] }));
  });
}

/**
 * The NARRE recommender; see the module documentation.
 *
 * @example
 * ```ts ignore
 * const { features } = await extractFeatures(split.train.map((it) => it.review));
 * const model = new Narre({ latentDim: 64 });
 * await model.fit({ split, features });
 * model.recommend(0, 5); // each with the item's most attended reviews
 * ```
 */
export class Narre extends ReviewRecommender<TrainedNarre, ResolvedNarreOptions> {
  /** Table name. */
  readonly name: string = "NARRE";

  /** A model with `options` (see {@linkcode NarreOptions} for defaults); call `fit` next. */
  constructor(options: NarreOptions = {}) {
    super(resolveNarreOptions(options), "Narre.load()");
  }

  /**
   * Trains from scratch on `input.split.train` and `input.features` (token
   * features of the training reviews, one row per training interaction),
   * with early stopping on the validation ratings.
   */
  async fit(input: ModelInput, hooks: FitHooks = {}): Promise<FitReport> {
    const { split, features, rng, targets, mean } = await beginFit(this, input);
    const o = this.options;
    const params = createNarreParams(
      {
        featureDim: features.dim,
        window: o.window,
        filters: o.filters,
        latentDim: o.latentDim,
        attentionDim: o.attentionDim,
        numUsers: split.users.size,
        numItems: split.items.size,
      },
      mean,
      rng.fork(),
    );
    try {
      const net = new NarreNetwork(
        params,
        new PooledReviewCnn(new TokenRows(features), o.window, o.filters),
        entityReviews(split.train, features.tokens, split.users.size, split.items.size),
        split.train,
        o,
      );
      const report = await trainReviewModel(
        {
          label: this.name,
          options: o,
          variables: narreVariables(params),
          masks: 2,
          plan: (rows, users, items, ratings) => net.planBatch(rows, users, items, ratings),
          loss: (plan, dropout) => net.batchLoss(plan, dropout),
          scorer: () =>
            scoresOf(params, net.encodeAll("user").factors, net.encodeAll("item").factors),
        },
        targets,
        validationPairs(split),
        rng.fork(),
        hooks,
      );
      const userFactors = net.encodeAll("user").factors;
      const items = net.encodeAll("item");
      this.trained = {
        params,
        userFactors,
        itemFactors: items.factors,
        scorer: scoresOf(params, userFactors, items.factors),
        itemEvidence: evidence(
          items,
          split.train.map((it) => it.review),
          o.explanationReviews,
        ),
        ...fittedState(split, features, report),
      };
      return report;
    } catch (err) {
      for (const [, v] of narreVariables(params)) v.dispose();
      throw err;
    }
  }

  /**
   * Why `item` for `user`: the item's most attended training reviews
   * (at most `explanationReviews`), strongest first, with their attention
   * weights. NARRE's item attention does not depend on the user; `user` is
   * checked only.
   */
  override explain(user: number, item: number): Explanation {
    const t = this.state();
    this.checkIds("user", [user]);
    this.checkIds("item", [item]);
    return { reviews: t.itemEvidence[item].map((r) => ({ ...r })) };
  }

  /** Writes the model to directory `dir` (replaced as a unit). */
  async save(dir: string): Promise<void> {
    const t = this.state();
    const k = this.options.latentDim;
    await writeWeightsModel(dir, FORMAT, VERSION, {
      ...this.savedFields(t),
      itemEvidence: t.itemEvidence,
    }, [
      ...variableArrays(narreVariables(t.params)),
      { name: "userFactors", shape: [t.users.size, k], values: t.userFactors },
      { name: "itemFactors", shape: [t.items.size, k], values: t.itemFactors },
    ]);
  }

  /** Restores a model written by {@linkcode Narre.save}; predictions are identical. */
  static async load(dir: string): Promise<Narre> {
    await initBackend();
    const saved = await readWeightsModel(dir, FORMAT, VERSION);
    const json = saved.json;
    const model = new Narre(json.options as NarreOptions);
    const o = model.options;
    const state = restoredState(json);
    const params = createNarreParams(
      {
        featureDim: state.featureDim,
        window: o.window,
        filters: o.filters,
        latentDim: o.latentDim,
        attentionDim: o.attentionDim,
        numUsers: state.users.size,
        numItems: state.items.size,
      },
      0,
      new Rng(0),
    );
    try {
      assignArrays(narreVariables(params), saved.take);
      const userFactors = saved.take("userFactors", [state.users.size, o.latentDim]);
      const itemFactors = saved.take("itemFactors", [state.items.size, o.latentDim]);
      model.trained = {
        params,
        userFactors,
        itemFactors,
        scorer: scoresOf(params, userFactors, itemFactors),
        itemEvidence: json.itemEvidence as EvidenceReview[][],
        ...state,
      };
    } catch (err) {
      for (const [, v] of narreVariables(params)) v.dispose();
      throw err;
    }
    return model;
  }

  /** Frees the parameters' tensors. */
  protected override release(t: TrainedNarre): void {
    for (const [, v] of narreVariables(t.params)) v.dispose();
  }
}
