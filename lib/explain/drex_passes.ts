/**
 * Passes of a trained DReX over its training data that explanation quality
 * needs: every entity's full attention weight per word (profiles before they
 * are cut to the top K), and the predictions that result when given words
 * are taken out of a user's and an item's training reviews.
 *
 * Removal reruns the GRUs of just the entities concerned: each removal gets
 * a copy of its user's sequence (and one of its item's) with the words
 * filtered out of the copied reviews, and one pass without gradients runs
 * all copies at once under the trained parameters. A user's (or item's)
 * final state depends only on its own interactions, so the copies give
 * exactly the states the model would have had without those words.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import { AttentionPooler } from "../kernels/attention_pool.ts";
import type { DrexModel } from "../drex/drex_model.ts";
import type { DrexParams } from "../drex/drex_params.ts";
import { DrexNetwork, predictRatings } from "../drex/drex_network.ts";
import { ProfileAccumulator } from "../drex/keyword_profiles.ts";
import type { Side } from "../drex/sequences.ts";
import { type DrexTrainingData, prepareDrexTrainingData } from "../drex/training_data.ts";
import type { ModelInput } from "../recommender.ts";
import { Rng } from "../random.ts";
import { PerTokenFileReader } from "../text/per_token_file.ts";
import type { TokenFeatures } from "../text/token_features.ts";

/** Per entity, each word's (vocabulary id's) score. */
export type WordScores = ReadonlyMap<number, number>[];

/** Word scores of every user and every item. */
export interface SideScores {
  /** `users[u]`: word id → score. */
  users: WordScores;
  /** `items[i]`: word id → score. */
  items: WordScores;
}

/** Words taken out of one user's and one item's training reviews. */
export interface Removal {
  /** User index. */
  user: number;
  /** Item index. */
  item: number;
  /** Vocabulary ids of the words removed (from both entities' reviews). */
  words: ReadonlySet<number>;
}

/** The training view the model was fitted on (the same seeded draw of hidden reviews and ratings). */
function trainingData(model: DrexModel, input: ModelInput): DrexTrainingData {
  if (!input.features) throw new Error("explanation quality needs the training token features");
  return prepareDrexTrainingData(
    input.split,
    input.features,
    model.options,
    new Rng(model.options.seed).fork(),
  );
}

/**
 * Every user's and item's summed attention per word over its training
 * reviews, under the trained parameters: the keyword profiles in full.
 */
export function attentionScores(model: DrexModel, input: ModelInput): SideScores {
  const data = trainingData(model, input);
  const features = input.features!;
  const pooler = new AttentionPooler(features);
  try {
    const net = new DrexNetwork(model.trained.params, pooler, data, {
      ...model.options,
      longTerm: false,
    });
    // Summed attention (votes 0), accumulated as training builds its profiles.
    const acc = new ProfileAccumulator(data.numUsers, data.numItems);
    const states = net.computeStates([], { collectAttention: true });
    let offset = 0;
    for (const chunk of states.attention ?? []) {
      const rows = Int32Array.from({ length: chunk.reviews.length }, (_, j) => offset + j);
      acc.addBatch(chunk, rows, features.tokens, data.users, data.items);
      offset += chunk.reviews.length;
    }
    return acc.scores();
  } finally {
    pooler.dispose();
  }
}

/** Copies of `entities`' sequences on `side`, with `removed[v]` filtered out of copy v's reviews. */
function copies(
  data: DrexTrainingData,
  features: TokenFeatures,
  side: Side,
  entities: Int32Array,
  removed: readonly ReadonlySet<number>[],
): { data: DrexTrainingData; features: TokenFeatures } {
  const sequences = side === "user" ? data.userSequences : data.itemSequences;
  const V = entities.length;
  const total = entities.reduce((n, e) => n + sequences[e].length, 0);
  const users = new Int32Array(total);
  const items = new Int32Array(total);
  const ratings = new Float32Array(total);
  const reviews = new Int32Array(total);
  const levels = new Int32Array(total);
  const tokens: Int32Array[] = [];
  const perToken: Float32Array[] | undefined = features.perToken || features.perTokenFile
    ? []
    : undefined;
  const int8 = features.perTokenInt8
    ? { values: [] as Int8Array[], scales: [] as Float32Array[] }
    : undefined;
  const own: Int32Array[] = [];
  const D = features.dim;
  // Features in a file: one open reader for every review copied.
  const file = features.perTokenFile &&
    new PerTokenFileReader(features.perTokenFile, features.tokens, D);
  const rowsOf = (r: number) => file ? file.read(r) : features.perToken![r];
  let n = 0;
  try {
    for (let v = 0; v < V; v++) {
      const rows = sequences[entities[v]];
      own.push(Int32Array.from({ length: rows.length }, (_, j) => n + j));
      for (const src of rows) {
        (side === "user" ? users : items)[n] = v;
        (side === "user" ? items : users)[n] = side === "user" ? data.items[src] : data.users[src];
        ratings[n] = data.ratings[src];
        levels[n] = data.inputs.levels[src];
        const r = data.inputs.reviews[src];
        reviews[n] = r < 0 ? -1 : n;
        const ids = r < 0 ? new Int32Array(0) : features.tokens[r];
        const keep = ids.map((id) => (removed[v].has(id) ? 0 : 1));
        tokens.push(ids.filter((_, k) => keep[k] === 1));
        if (perToken) {
          const block = r < 0 ? new Float32Array(0) : rowsOf(r);
          const kept = new Float32Array(tokens[n].length * D);
          let at = 0;
          for (let k = 0; k < ids.length; k++) {
            if (keep[k] === 1) kept.set(block.subarray(k * D, k * D + D), D * at++);
          }
          perToken.push(kept);
        }
        if (int8) {
          const values = r < 0 ? new Int8Array(0) : features.perTokenInt8!.values[r];
          const scales = r < 0 ? new Float32Array(0) : features.perTokenInt8!.scales[r];
          const keptValues = new Int8Array(tokens[n].length * D);
          const keptScales = new Float32Array(tokens[n].length);
          let at = 0;
          for (let k = 0; k < ids.length; k++) {
            if (keep[k] !== 1) continue;
            keptValues.set(values.subarray(k * D, k * D + D), D * at);
            keptScales[at++] = scales[k];
          }
          int8.values.push(keptValues);
          int8.scales.push(keptScales);
        }
        n++;
      }
    }
  } finally {
    file?.close();
  }
  const empty = (count: number) => Array.from({ length: count }, () => new Int32Array(0));
  return {
    data: {
      ...data,
      numUsers: side === "user" ? V : data.numUsers,
      numItems: side === "item" ? V : data.numItems,
      users,
      items,
      ratings,
      inputs: { reviews, levels },
      userSequences: side === "user" ? own : empty(data.numUsers),
      itemSequences: side === "item" ? own : empty(data.numItems),
      userRatings: side === "user"
        ? [...entities].map((e) => data.userRatings[e])
        : data.userRatings,
      itemRatings: side === "item"
        ? [...entities].map((e) => data.itemRatings[e])
        : data.itemRatings,
    },
    features: {
      ...withoutPerTokenFile(features),
      tokens,
      ...(perToken ? { perToken } : {}),
      ...(int8 ? { perTokenInt8: int8 } : {}),
    },
  };
}

/** Final states of `entities`' copies on `side`, `[entities.length, d]`. */
function copiedFinalStates(
  model: DrexModel,
  data: DrexTrainingData,
  features: TokenFeatures,
  side: Side,
  entities: Int32Array,
  removed: readonly ReadonlySet<number>[],
): tf.Tensor2D {
  const view = copies(data, features, side, entities, removed);
  const trained = model.trained.params;
  const source = side === "user" ? trained.users : trained.items;
  // Copy v starts from its entity's initial representation.
  const table = source.kind === "table"
    ? tf.variable(tf.gather(source.table, tf.tensor1d(entities, "int32")), false)
    : undefined;
  const params: DrexParams = {
    ...trained,
    ...(table ? { [side === "user" ? "users" : "items"]: { kind: "table", table } } : {}),
  };
  const pooler = new AttentionPooler(view.features);
  try {
    const net = new DrexNetwork(params, pooler, view.data, {
      ...model.options,
      longTerm: false,
    });
    const states = net.computeStates([side]);
    (side === "user" ? states.userBefore : states.itemBefore)?.dispose();
    return (side === "user" ? states.userFinal : states.itemFinal)!;
  } finally {
    pooler.dispose();
    table?.dispose();
  }
}

/**
 * The model's predicted rating (clipped to the scale) for each removal's
 * pair after its words are taken out of that user's and that item's
 * training reviews. A removal with no words reproduces `model.predict`.
 */
export function predictionsWithout(
  model: DrexModel,
  input: ModelInput,
  removals: readonly Removal[],
): Float32Array {
  if (removals.length === 0) return new Float32Array(0);
  const data = trainingData(model, input);
  const features = input.features!;
  const users = Int32Array.from(removals, (r) => r.user);
  const items = Int32Array.from(removals, (r) => r.item);
  const words = removals.map((r) => r.words);
  const t = model.trained;
  const { ratingMin, ratingMax } = model.options;
  return tf.tidy(() => {
    const hu = copiedFinalStates(model, data, features, "user", users, words);
    const hi = copiedFinalStates(model, data, features, "item", items, words);
    const initials = t.userInitial && t.itemInitial
      ? {
        user: tf.gather(t.userInitial, tf.tensor1d(users, "int32")) as tf.Tensor2D,
        item: tf.gather(t.itemInitial, tf.tensor1d(items, "int32")) as tf.Tensor2D,
      }
      : undefined;
    return predictRatings(t.params, hu, hi, { users, items }, initials)
      .clipByValue(ratingMin, ratingMax).dataSync() as Float32Array;
  });
}

/**
 * `features` without its file of per-token features or the kernel memories of
 * its float blocks (the copies hold theirs in ordinary arrays).
 */
function withoutPerTokenFile(features: TokenFeatures): TokenFeatures {
  const { perTokenFile: _inMemory, perTokenResident: _views, ...rest } = features;
  return rest;
}
