/**
 * Saving and loading small models as one `model.json` in a directory, with a
 * format tag and version checked on load.
 *
 * @module
 */
import { join } from "node:path";
import { replaceDir } from "./replace_dir.ts";

/** Writes `{format, version, ...body}` to `dir/model.json`, replacing `dir` as a unit. */
export async function writeJsonModel(
  dir: string,
  format: string,
  version: number,
  body: object,
): Promise<void> {
  await replaceDir(
    dir,
    async (tmp) => {
      await Deno.writeTextFile(
        join(tmp, "model.json"),
        JSON.stringify({ format, version, ...body }),
      );
    },
    "folder",
    { kind: "model" },
  );
}

/** Reads `dir/model.json`, checking that it has `format` and `version`. */
export async function readJsonModel(
  dir: string,
  format: string,
  version: number,
): Promise<Record<string, unknown>> {
  const path = join(dir, "model.json");
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(await Deno.readTextFile(path));
  } catch (err) {
    throw new Error(
      `${path}: cannot read a saved model (${err instanceof Error ? err.message : err})`,
    );
  }
  if (json.format !== format) {
    throw new Error(`${path}: field "format" is "${json.format}", expected "${format}"`);
  }
  if (json.version !== version) {
    throw new Error(
      `${path}: field "version" is ${json.version}; this library reads version ${version}`,
    );
  }
  return json;
}
