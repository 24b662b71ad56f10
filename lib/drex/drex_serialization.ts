/**
 * The on-disk form of a trained DReX model: a directory with `model.json`
 * (format version, options, id maps, profiles, report, and a manifest of
 * tensors) and `weights.bin` (the tensors, float32 little-endian, in manifest
 * order). Loading rebuilds the exact tensors, so predictions are identical.
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import { join } from "node:path";
import { IdMap } from "../data/id_map.ts";
import { replaceDir } from "../io/replace_dir.ts";
import { Rng } from "../random.ts";
import type { FitReport } from "../recommender.ts";
import { createDrexParams, drexShapes, namedParams } from "./drex_params.ts";
import type { TrainedDrex } from "./drex_model.ts";
import type { Keyword } from "./keyword_profiles.ts";
import {
  DREX_PAPER_PRESET,
  type DrexOptions,
  type ResolvedDrexOptions,
  resolveDrexOptions,
} from "./options.ts";

/** Identifies the file format; bump `DREX_FORMAT_VERSION` on incompatible changes. */
export const DREX_FORMAT = "drex-model";
/** Current format version. */
export const DREX_FORMAT_VERSION = 1;

interface TensorEntry {
  name: string;
  shape: number[];
  offset: number;
}

interface ModelJson {
  format: string;
  version: number;
  name: string;
  options: ResolvedDrexOptions;
  featureDim: number;
  encoder: string;
  users: string[];
  items: string[];
  seen: number[][];
  profiles: { users: [string, number][][]; items: [string, number][][] };
  report: FitReport;
  biasPenalties?: { userReg: number; itemReg: number };
  tensors: TensorEntry[];
}

const pack = (p: Keyword[]): [string, number][] => p.map((k) => [k.word, k.weight]);
const unpack = (p: [string, number][]): Keyword[] => p.map(([word, weight]) => ({ word, weight }));

/** The long-term term's initial representations, when the model has them. */
function longTermTensors(trained: TrainedDrex): [string, tf.Tensor][] {
  if (!trained.userInitial || !trained.itemInitial) return [];
  return [["state.userInitial", trained.userInitial], ["state.itemInitial", trained.itemInitial]];
}

/** Writes `trained` to `dir` as a unit: a failure leaves any previous model in `dir` intact. */
export async function writeDrexModel(
  dir: string,
  name: string,
  options: ResolvedDrexOptions,
  trained: TrainedDrex,
): Promise<void> {
  const tensors: [string, tf.Tensor][] = [
    ...namedParams(trained.params),
    ["state.userFinal", trained.userFinal],
    ["state.itemFinal", trained.itemFinal],
    ...longTermTensors(trained),
  ];
  const entries: TensorEntry[] = [];
  let offset = 0;
  for (const [tname, t] of tensors) {
    entries.push({ name: tname, shape: t.shape, offset });
    offset += t.size;
  }
  const weights = new Float32Array(offset);
  tensors.forEach(([, t], j) => weights.set(t.dataSync() as Float32Array, entries[j].offset));
  const json: ModelJson = {
    format: DREX_FORMAT,
    version: DREX_FORMAT_VERSION,
    name,
    options,
    featureDim: trained.featureDim,
    encoder: trained.encoder,
    users: trained.users.toJSON(),
    items: trained.items.toJSON(),
    seen: trained.seen.map((s) => Array.from(s)),
    profiles: { users: trained.profiles.users.map(pack), items: trained.profiles.items.map(pack) },
    report: trained.report,
    ...(trained.biasPenalties ? { biasPenalties: trained.biasPenalties } : {}),
    tensors: entries,
  };
  await replaceDir(
    dir,
    async (tmp) => {
      await Deno.writeTextFile(join(tmp, "model.json"), JSON.stringify(json));
      await Deno.writeFile(join(tmp, "weights.bin"), littleEndianBytes(weights));
    },
    "folder",
    { kind: "model" },
  );
}

function littleEndianBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let j = 0; j < values.length; j++) view.setFloat32(j * 4, values[j], true);
  return out;
}

function readLittleEndian(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let j = 0; j < out.length; j++) out[j] = view.getFloat32(j * 4, true);
  return out;
}

/** A saved model read back: options and trained state. */
export interface SavedDrex {
  /** Hyperparameters the model was trained with. */
  options: ResolvedDrexOptions;
  /** The trained state. */
  trained: TrainedDrex;
}

/** Reads a model written by {@linkcode writeDrexModel}, checking format, version and every tensor. */
export async function readDrexModel(dir: string): Promise<SavedDrex> {
  const jsonPath = join(dir, "model.json");
  const binPath = join(dir, "weights.bin");
  let json: ModelJson;
  try {
    json = JSON.parse(await Deno.readTextFile(jsonPath));
  } catch (err) {
    throw new Error(
      `${jsonPath}: cannot read a DReX model (${err instanceof Error ? err.message : err})`,
    );
  }
  if (json.format !== DREX_FORMAT) {
    throw new Error(`${jsonPath}: field "format" is "${json.format}", not a DReX model`);
  }
  if (json.version !== DREX_FORMAT_VERSION) {
    throw new Error(
      `${jsonPath}: field "version" is ${json.version}; this library reads version ${DREX_FORMAT_VERSION}`,
    );
  }
  // Models saved before the library's additions existed were trained as the paper's.
  const options = resolveDrexOptions({
    ...(json.options.biases === undefined ? DREX_PAPER_PRESET : {}),
    ...json.options as DrexOptions,
  });
  const weights = readLittleEndian(await Deno.readFile(binPath));
  const users = IdMap.fromJSON(json.users);
  const items = IdMap.fromJSON(json.items);
  const byName = new Map(json.tensors.map((e) => [e.name, e]));
  const take = (name: string, shape: number[]): tf.Tensor => {
    const e = byName.get(name);
    if (!e) throw new Error(`${jsonPath}: tensor "${name}" is missing`);
    if (e.shape.join(",") !== shape.join(",")) {
      throw new Error(`${jsonPath}: tensor "${name}" has shape [${e.shape}], expected [${shape}]`);
    }
    const size = shape.reduce((a, b) => a * b, 1);
    if (e.offset + size > weights.length) {
      throw new Error(`${binPath}: too short for tensor "${name}"`);
    }
    return tf.tensor(weights.subarray(e.offset, e.offset + size), shape);
  };
  // Fresh parameters of the right shapes (their random values are overwritten below).
  const params = createDrexParams(
    drexShapes(options, json.featureDim, users.size, items.size),
    0,
    new Rng(0),
  );
  for (const [name, v] of namedParams(params)) {
    const t = take(name, v.shape);
    v.assign(t);
    t.dispose();
  }
  const d = options.latentDim;
  return {
    options,
    trained: {
      params,
      userFinal: take("state.userFinal", [users.size, d]) as tf.Tensor2D,
      itemFinal: take("state.itemFinal", [items.size, d]) as tf.Tensor2D,
      ...(options.longTerm
        ? {
          userInitial: take("state.userInitial", [users.size, d]) as tf.Tensor2D,
          itemInitial: take("state.itemInitial", [items.size, d]) as tf.Tensor2D,
        }
        : {}),
      profiles: { users: json.profiles.users.map(unpack), items: json.profiles.items.map(unpack) },
      users,
      items,
      seen: json.seen.map((s) => Int32Array.from(s)),
      featureDim: json.featureDim,
      encoder: json.encoder,
      report: json.report,
      biasPenalties: json.biasPenalties,
    },
  };
}
