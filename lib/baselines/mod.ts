/**
 * The baselines DReX is compared with, each a `Recommender` with
 * `fit`/`predict`/`recommend`/`save`/`load`: global mean, user+item bias
 * (ridge), BiasedMF, EMF, DMF, DeepCoNN, NARRE and PESI. Also the shell they
 * share and the epoch loop, for writing a model of your own.
 *
 * @example
 * ```ts ignore
 * import { Narre } from "@drex/drex/baselines";
 * const narre = new Narre({ latentDim: 64 });
 * await narre.fit({ split, features });
 * ```
 *
 * @module
 */
export * from "../baselines/global_mean/global_mean.ts";
export * from "../baselines/user_item_bias/user_item_bias.ts";
export * from "../baselines/biased_mf/biased_mf.ts";
export * from "../baselines/biased_mf/options.ts";
export type { FactorParams } from "../baselines/common/factor_scores.ts";
export type { RowOptimizerKind } from "../baselines/common/row_optimizer.ts";
export * from "../baselines/emf/emf.ts";
export * from "../baselines/emf/options.ts";
export type { NeighbourRating } from "../baselines/emf/explainability.ts";
export * from "../baselines/dmf/dmf.ts";
export * from "../baselines/dmf/options.ts";
export * from "../baselines/common/trained_recommender.ts";
export * from "../baselines/common/review_recommender.ts";
export type { PairScorer } from "../baselines/common/pair_scorer.ts";
export type { RatedPairs } from "../baselines/common/training_pairs.ts";
export * from "../baselines/deepconn/deepconn.ts";
export * from "../baselines/deepconn/options.ts";
export * from "../baselines/narre/narre.ts";
export * from "../baselines/narre/options.ts";
export * from "../baselines/pesi/pesi.ts";
export * from "../baselines/pesi/options.ts";
export * from "../train/early_stopping.ts";
export * from "../random.ts";
