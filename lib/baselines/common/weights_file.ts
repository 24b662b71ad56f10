/**
 * Saving a tensor model as a directory: `model.json` (format tag, version,
 * the model's own fields and a manifest of named arrays) and `weights.bin`
 * (the arrays, float32 little-endian, in manifest order). The directory is
 * replaced as a unit, so a failed save never damages an earlier one.
 * Loading returns the exact float32 values written.
 *
 * @module
 */
import { join } from "node:path";
import { replaceDir } from "../../io/replace_dir.ts";

/** One named array in `weights.bin`. */
interface ManifestEntry {
  name: string;
  shape: number[];
  offset: number;
}

/** A named float32 array and its shape, to be written. */
export interface NamedArray {
  /** Unique name, e.g. `"user.conv.w"`. */
  name: string;
  /** Shape (the product must equal `values.length`). */
  shape: number[];
  /** The values. */
  values: Float32Array;
}

/** Writes `{format, version, ...body, arrays: manifest}` and `weights.bin` into `dir`. */
export async function writeWeightsModel(
  dir: string,
  format: string,
  version: number,
  body: object,
  arrays: readonly NamedArray[],
): Promise<void> {
  const manifest: ManifestEntry[] = [];
  let offset = 0;
  for (const a of arrays) {
    const size = a.shape.reduce((x, y) => x * y, 1);
    if (size !== a.values.length) {
      throw new RangeError(
        `writeWeightsModel: "${a.name}" has ${a.values.length} values, shape [${a.shape}]`,
      );
    }
    manifest.push({ name: a.name, shape: a.shape, offset });
    offset += size;
  }
  const bytes = new Uint8Array(offset * 4);
  const view = new DataView(bytes.buffer);
  for (let j = 0; j < arrays.length; j++) {
    const { values } = arrays[j];
    const base = manifest[j].offset * 4;
    for (let k = 0; k < values.length; k++) view.setFloat32(base + k * 4, values[k], true);
  }
  const json = { format, version, ...body, arrays: manifest };
  await replaceDir(
    dir,
    async (tmp) => {
      await Deno.writeTextFile(join(tmp, "model.json"), JSON.stringify(json));
      await Deno.writeFile(join(tmp, "weights.bin"), bytes);
    },
    "folder",
    { kind: "model" },
  );
}

/** A model directory read back. */
export interface WeightsModel {
  /** The parsed `model.json`. */
  json: Record<string, unknown>;
  /** The array `name`, checked to have `shape`; throws naming the file when absent or misshapen. */
  take(name: string, shape: readonly number[]): Float32Array;
}

/** Reads a directory written by {@linkcode writeWeightsModel}, checking `format` and `version`. */
export async function readWeightsModel(
  dir: string,
  format: string,
  version: number,
): Promise<WeightsModel> {
  const jsonPath = join(dir, "model.json");
  const binPath = join(dir, "weights.bin");
  let json: Record<string, unknown>;
  let bytes: Uint8Array;
  try {
    json = JSON.parse(await Deno.readTextFile(jsonPath));
    bytes = await Deno.readFile(binPath);
  } catch (err) {
    throw new Error(
      `${dir}: cannot read a saved model (${err instanceof Error ? err.message : err})`,
    );
  }
  if (json.format !== format) {
    throw new Error(`${jsonPath}: field "format" is "${json.format}", expected "${format}"`);
  }
  if (json.version !== version) {
    throw new Error(
      `${jsonPath}: field "version" is ${json.version}; this library reads version ${version}`,
    );
  }
  const entries = new Map(
    ((json.arrays ?? []) as ManifestEntry[]).map((e) => [e.name, e] as const),
  );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    json,
    take(name: string, shape: readonly number[]): Float32Array {
      const e = entries.get(name);
      if (!e) throw new Error(`${jsonPath}: array "${name}" is missing`);
      if (e.shape.join(",") !== shape.join(",")) {
        throw new Error(`${jsonPath}: array "${name}" has shape [${e.shape}], expected [${shape}]`);
      }
      const size = shape.reduce((x, y) => x * y, 1);
      if ((e.offset + size) * 4 > bytes.byteLength) {
        throw new Error(`${binPath}: too short for array "${name}"`);
      }
      const out = new Float32Array(size);
      for (let k = 0; k < size; k++) out[k] = view.getFloat32((e.offset + k) * 4, true);
      return out;
    },
  };
}
