/**
 * Every model the comparison, tuning and train tasks can name, with how to
 * create, restore and describe it. Command lines and configuration files use
 * the keys (`"drex"`, `"biased-mf"`, ...).
 *
 * @module
 */
import { BiasedMF } from "../baselines/biased_mf/biased_mf.ts";
import { BIASED_MF_DEFAULTS, type BiasedMfOptions } from "../baselines/biased_mf/options.ts";
import { DeepConn } from "../baselines/deepconn/deepconn.ts";
import { DEEPCONN_DEFAULTS, type DeepConnOptions } from "../baselines/deepconn/options.ts";
import { DMF } from "../baselines/dmf/dmf.ts";
import { DMF_DEFAULTS, type DmfOptions } from "../baselines/dmf/options.ts";
import { EMF } from "../baselines/emf/emf.ts";
import { EMF_DEFAULTS, type EmfOptions } from "../baselines/emf/options.ts";
import { GlobalMean } from "../baselines/global_mean/global_mean.ts";
import { Narre } from "../baselines/narre/narre.ts";
import { NARRE_DEFAULTS, type NarreOptions } from "../baselines/narre/options.ts";
import { PESI_DEFAULTS, type PesiOptions } from "../baselines/pesi/options.ts";
import { Pesi } from "../baselines/pesi/pesi.ts";
import {
  USER_ITEM_BIAS_DEFAULTS,
  UserItemBias,
  type UserItemBiasOptions,
} from "../baselines/user_item_bias/user_item_bias.ts";
import { type RatingScale, ratingScaleOptions } from "../data/rating_scale.ts";
import { DrexModel } from "../drex/drex_model.ts";
import { DREX_DEFAULTS, DREX_PAPER_PRESET, type DrexOptions } from "../drex/options.ts";
import type { Recommender } from "../recommender.ts";
import { BIAS_REGULARISATION_GRID, PAPER_GRID, type SearchSpace } from "./search_space.ts";

/** How to make one kind of model. */
export interface ModelEntry {
  /** Display name used in tables (`DrexModel.name` and the like). */
  name: string;
  /** Whether `fit` needs token features of the training reviews. */
  needsFeatures: boolean;
  /** Whether training depends on a seed (deterministic models run once, not once per seed). */
  seeded: boolean;
  /**
   * What `deno task tune` searches: values per option key, any keys the
   * model's options take (empty: nothing to tune). Every model is searched
   * with the same budget of settings (see `search_space.ts`).
   */
  searchSpace: SearchSpace;
  /**
   * The option values a model made with no options uses: a search tries
   * them too (see `tuneHyperparameters`), so a tuned model is never worse on
   * validation than the same model at its defaults.
   */
  defaults: Readonly<Record<string, unknown>>;
  /**
   * The options that tell this model the dataset's rating scale (merged
   * under the caller's own options): clipping bounds for the review models,
   * also the rating levels for DReX; nothing for models that read the range
   * from their training ratings or need none.
   */
  scaleOptions(scale: RatingScale): Record<string, unknown>;
  /** An untrained model with hyperparameters `options` and seed `seed`. */
  create(options: Record<string, unknown>, seed: number): Recommender;
  /** Restores a model saved with `save`. */
  load(dir: string): Promise<Recommender>;
}

/**
 * An entry for a seeded model trained by gradient steps, whose constructor
 * takes an options object with a `seed` field; it is searched over the
 * paper's grid (learning rate, lambda, latent size) unless given its own space.
 */
function seeded<O extends { seed?: number }>(
  name: string,
  needsFeatures: boolean,
  make: (options: O) => Recommender,
  load: (dir: string) => Promise<Recommender>,
  defaults: Readonly<Record<string, unknown>>,
  scale: "none" | "clip" | "levels" = "none",
  searchSpace: SearchSpace = PAPER_GRID,
): ModelEntry {
  return {
    name,
    needsFeatures,
    seeded: true,
    searchSpace,
    defaults,
    scaleOptions: (s) => (scale === "none" ? {} : ratingScaleOptions(s, scale === "levels")),
    create: (options, seed) => make({ ...(options as O), seed }),
    load,
  };
}

/** The registry, by key. */
export const MODEL_REGISTRY: Readonly<Record<string, ModelEntry>> = Object.freeze({
  "drex": seeded<DrexOptions>(
    "DReX",
    true,
    (o) => new DrexModel({ ...o, variant: "drex" }),
    DrexModel.load,
    DREX_DEFAULTS,
    "levels",
  ),
  "drex-mlp": seeded<DrexOptions>(
    "DReX-MLP",
    true,
    (o) => new DrexModel({ ...o, variant: "drex-mlp" }),
    DrexModel.load,
    DREX_DEFAULTS,
    "levels",
  ),
  "drex-paper": seeded<DrexOptions>(
    "DReX (paper)",
    true,
    (o) => new DrexModel({ preset: "paper", ...o, variant: "drex" }),
    DrexModel.load,
    { ...DREX_DEFAULTS, ...DREX_PAPER_PRESET },
    "levels",
  ),
  "drex-mlp-paper": seeded<DrexOptions>(
    "DReX-MLP (paper)",
    true,
    (o) => new DrexModel({ preset: "paper", ...o, variant: "drex-mlp" }),
    DrexModel.load,
    { ...DREX_DEFAULTS, ...DREX_PAPER_PRESET },
    "levels",
  ),
  "global-mean": {
    name: "GlobalMean",
    needsFeatures: false,
    seeded: false,
    searchSpace: {},
    defaults: {},
    scaleOptions: () => ({}),
    create: () => new GlobalMean(),
    load: (dir: string) => GlobalMean.load(dir),
  },
  "bias": {
    name: "UserItemBias",
    needsFeatures: false,
    seeded: false,
    searchSpace: { userReg: BIAS_REGULARISATION_GRID, itemReg: BIAS_REGULARISATION_GRID },
    defaults: USER_ITEM_BIAS_DEFAULTS,
    scaleOptions: () => ({}),
    create: (options: Record<string, unknown>) => new UserItemBias(options as UserItemBiasOptions),
    load: (dir: string) => UserItemBias.load(dir),
  },
  "biased-mf": seeded<BiasedMfOptions>(
    "BiasedMF",
    false,
    (o) => new BiasedMF(o),
    BiasedMF.load,
    BIASED_MF_DEFAULTS,
  ),
  "emf": seeded<EmfOptions>("EMF", false, (o) => new EMF(o), EMF.load, EMF_DEFAULTS),
  "dmf": seeded<DmfOptions>("DMF", false, (o) => new DMF(o), DMF.load, DMF_DEFAULTS),
  "deepconn": seeded<DeepConnOptions>(
    "DeepCoNN",
    true,
    (o) => new DeepConn(o),
    DeepConn.load,
    DEEPCONN_DEFAULTS,
    "clip",
  ),
  "narre": seeded<NarreOptions>(
    "NARRE",
    true,
    (o) => new Narre(o),
    Narre.load,
    NARRE_DEFAULTS,
    "clip",
  ),
  "pesi": seeded<PesiOptions>("PESI", true, (o) => new Pesi(o), Pesi.load, PESI_DEFAULTS, "clip"),
});

/** The entry for `key`; an unknown key is an error that lists the known ones. */
export function modelEntry(key: string): ModelEntry {
  const entry = MODEL_REGISTRY[key];
  if (!entry) {
    throw new RangeError(
      `unknown model "${key}"; known models: ${Object.keys(MODEL_REGISTRY).join(", ")}`,
    );
  }
  return entry;
}
