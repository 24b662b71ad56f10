/**
 * Regenerates the synthetic review fixture (`fixtures/synthetic/`): the
 * reviews as Amazon Reviews 2023 JSON lines and the planted truth.
 *
 * ```sh
 * deno run -A tasks/make_fixture.ts                      # the committed fixture
 * deno run -A tasks/make_fixture.ts --seed 7 --users 300 --items 200 --out out/synthetic
 * ```
 *
 * Flags: `--seed`, `--users`, `--items`, `--min-user`, `--max-user`,
 * `--min-item` (interaction counts), `--out` (folder, created if needed).
 * Anything not given keeps the generator's default, so the committed fixture
 * is exactly the output of the first command.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { join, resolve } from "node:path";
import {
  generateSynthetic,
  type SyntheticOptions,
  syntheticReviewsJsonl,
  syntheticTruthJson,
} from "../lib/data/synthetic.ts";

const DEFAULT_OUT = fileURLToPath(new URL("../fixtures/synthetic", import.meta.url));

const USAGE = `Usage: deno run -A tasks/make_fixture.ts [--seed N] [--users N] [--items N]
       [--min-user N] [--max-user N] [--min-item N] [--out DIR]`;

function intFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new RangeError(`--${name} must be an integer, got "${value}"`);
  return n;
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, path);
}

async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      seed: { type: "string" },
      users: { type: "string" },
      items: { type: "string" },
      "min-user": { type: "string" },
      "max-user": { type: "string" },
      "min-item": { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const options: SyntheticOptions = {
    seed: intFlag("seed", values.seed),
    users: intFlag("users", values.users),
    items: intFlag("items", values.items),
    minUserInteractions: intFlag("min-user", values["min-user"]),
    maxUserInteractions: intFlag("max-user", values["max-user"]),
    minItemInteractions: intFlag("min-item", values["min-item"]),
  };
  const out = values.out === undefined ? DEFAULT_OUT : resolve(values.out);
  const dataset = generateSynthetic(options);
  await Deno.mkdir(out, { recursive: true });
  const jsonl = syntheticReviewsJsonl(dataset);
  await writeAtomic(join(out, "reviews.jsonl"), jsonl);
  await writeAtomic(join(out, "truth.json"), syntheticTruthJson(dataset));

  const reviews = dataset.reviews;
  const counts = [1, 2, 3, 4, 5].map((r) => reviews.filter((x) => x.rating === r).length);
  const mean = reviews.reduce((s, x) => s + x.rating, 0) / reviews.length;
  const empty = reviews.filter((x) => x.text === "").length;
  console.log(
    `wrote ${out}: ${reviews.length} interactions, ${
      Object.keys(dataset.truth.users).length
    } users, ${
      Object.keys(dataset.truth.items).length
    } items, ${empty} empty reviews, mean rating ${mean.toFixed(3)}, ratings 1..5 ${
      counts.join("/")
    }, ${new TextEncoder().encode(jsonl).length} bytes of JSONL`,
  );
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    console.error(USAGE);
    Deno.exit(1);
  }
}
