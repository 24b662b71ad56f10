/**
 * Every model the comparison, tuning and train tasks can name, with how to
 * create, restore and describe it. Command lines and configuration files use
 * the keys (`"drex"`, `"biased-mf"`, ...).
 *
 * @module
 */
import { BiasedMF } from "../baselines/biased_mf/biased_mf.ts";
import type { BiasedMfOptions } from "../baselines/biased_mf/options.ts";
import { DeepConn } from "../baselines/deepconn/deepconn.ts";
import type { DeepConnOptions } from "../baselines/deepconn/options.ts";
import { DMF } from "../baselines/dmf/dmf.ts";
import type { DmfOptions } from "../baselines/dmf/options.ts";
import { EMF } from "../baselines/emf/emf.ts";
import type { EmfOptions } from "../baselines/emf/options.ts";
import { GlobalMean } from "../baselines/global_mean/global_mean.ts";
import { Narre } from "../baselines/narre/narre.ts";
import type { NarreOptions } from "../baselines/narre/options.ts";
import type { PesiOptions } from "../baselines/pesi/options.ts";
import { Pesi } from "../baselines/pesi/pesi.ts";
import {
  UserItemBias,
  type UserItemBiasOptions,
} from "../baselines/user_item_bias/user_item_bias.ts";
import { DrexModel } from "../drex/drex_model.ts";
import type { DrexOptions } from "../drex/options.ts";
import type { Recommender } from "../recommender.ts";

/** How to make one kind of model. */
export interface ModelEntry {
  /** Display name used in tables (`DrexModel.name` and the like). */
  name: string;
  /** Whether `fit` needs token features of the training reviews. */
  needsFeatures: boolean;
  /** Whether training depends on a seed (deterministic models run once, not once per seed). */
  seeded: boolean;
  /** Hyperparameters the tuning grid may set on this model (a subset of learningRate, lambda, latentDim). */
  tunable: readonly ("learningRate" | "lambda" | "latentDim")[];
  /** An untrained model with hyperparameters `options` and seed `seed`. */
  create(options: Record<string, unknown>, seed: number): Recommender;
  /** Restores a model saved with `save`. */
  load(dir: string): Promise<Recommender>;
}

const drex = (variant: "drex" | "drex-mlp"): ModelEntry => ({
  name: variant === "drex" ? "DReX" : "DReX-MLP",
  needsFeatures: true,
  seeded: true,
  tunable: ["learningRate", "lambda", "latentDim"],
  create: (options, seed) => new DrexModel({ ...(options as DrexOptions), variant, seed }),
  load: (dir) => DrexModel.load(dir),
});

/** The registry, by key. */
export const MODEL_REGISTRY: Readonly<Record<string, ModelEntry>> = Object.freeze({
  "drex": drex("drex"),
  "drex-mlp": drex("drex-mlp"),
  "global-mean": {
    name: "GlobalMean",
    needsFeatures: false,
    seeded: false,
    tunable: [],
    create: () => new GlobalMean(),
    load: (dir: string) => GlobalMean.load(dir),
  },
  "bias": {
    name: "UserItemBias",
    needsFeatures: false,
    seeded: false,
    tunable: [],
    create: (options: Record<string, unknown>) => new UserItemBias(options as UserItemBiasOptions),
    load: (dir: string) => UserItemBias.load(dir),
  },
  "biased-mf": {
    name: "BiasedMF",
    needsFeatures: false,
    seeded: true,
    tunable: ["learningRate", "lambda", "latentDim"],
    create: (options: Record<string, unknown>, seed: number) =>
      new BiasedMF({ ...(options as BiasedMfOptions), seed }),
    load: (dir: string) => BiasedMF.load(dir),
  },
  "emf": {
    name: "EMF",
    needsFeatures: false,
    seeded: true,
    tunable: ["learningRate", "lambda", "latentDim"],
    create: (options: Record<string, unknown>, seed: number) =>
      new EMF({ ...(options as EmfOptions), seed }),
    load: (dir: string) => EMF.load(dir),
  },
  "dmf": {
    name: "DMF",
    needsFeatures: false,
    seeded: true,
    tunable: ["learningRate", "lambda", "latentDim"],
    create: (options: Record<string, unknown>, seed: number) =>
      new DMF({ ...(options as DmfOptions), seed }),
    load: (dir: string) => DMF.load(dir),
  },
  "deepconn": {
    name: "DeepCoNN",
    needsFeatures: true,
    seeded: true,
    tunable: ["learningRate", "lambda", "latentDim"],
    create: (options: Record<string, unknown>, seed: number) =>
      new DeepConn({ ...(options as DeepConnOptions), seed }),
    load: (dir: string) => DeepConn.load(dir),
  },
  "narre": {
    name: "NARRE",
    needsFeatures: true,
    seeded: true,
    tunable: ["learningRate", "lambda", "latentDim"],
    create: (options: Record<string, unknown>, seed: number) =>
      new Narre({ ...(options as NarreOptions), seed }),
    load: (dir: string) => Narre.load(dir),
  },
  "pesi": {
    name: "PESI",
    needsFeatures: true,
    seeded: true,
    tunable: ["learningRate", "lambda", "latentDim"],
    create: (options: Record<string, unknown>, seed: number) =>
      new Pesi({ ...(options as PesiOptions), seed }),
    load: (dir: string) => Pesi.load(dir),
  },
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
