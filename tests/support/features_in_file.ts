/**
 * Test support: the same per-token features left in a file.
 *
 * @module
 */
import { writePerTokenFile } from "../../lib/text/per_token_file.ts";
import type { TokenFeatures } from "../../lib/text/token_features.ts";

/**
 * Runs `fn` on `features` (float per-token, in memory) moved to a temporary
 * file (`perTokenFile`), and removes the file afterwards.
 */
export async function withFeaturesInFile<T>(
  features: TokenFeatures,
  fn: (inFile: TokenFeatures) => T | Promise<T>,
): Promise<T> {
  const { perToken: blocks, ...rest } = features;
  if (!blocks) throw new TypeError("withFeaturesInFile: the features have no per-token blocks");
  const dir = await Deno.makeTempDir({ prefix: "drex-features-in-file-" });
  try {
    return await fn({ ...rest, perTokenFile: writePerTokenFile(`${dir}/features.f32`, blocks) });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
