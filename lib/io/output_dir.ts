/**
 * Guards for folders we write as a whole (training outputs, comparisons,
 * saved models): we only ever replace a folder that is new, empty, or was
 * written by us (it holds {@linkcode OUTPUT_MARKER}), never the current
 * folder or one above it, and we find an unwritable destination before any
 * expensive work rather than after it.
 *
 * @module
 */
import { dirname, join, relative, resolve } from "node:path";

/** The file every folder we write carries, so that writing it again may replace it. */
export const OUTPUT_MARKER = ".drex-output";

/** What {@linkcode OUTPUT_MARKER} says to a person who opens it. */
export const OUTPUT_MARKER_TEXT =
  "This folder was written by DReX. Writing to it again replaces it as a whole.\n";

/** What a folder we write holds: the output of a task, or a saved model. */
export type OutputKind = "train" | "compare" | "tune" | "ablate" | "notebooks" | "model";

/** How each kind is named in messages. */
const KIND_NAMES: Record<OutputKind, string> = {
  train: "deno task train",
  compare: "deno task compare",
  tune: "deno task tune",
  ablate: "deno task ablate",
  notebooks: "deno task notebooks",
  model: "a saved model",
};

/** The marker's text for a folder of `kind`: {@linkcode OUTPUT_MARKER_TEXT} and a `kind:` line. */
export function outputMarkerText(kind?: OutputKind): string {
  return OUTPUT_MARKER_TEXT + (kind ? `kind: ${kind}\n` : "");
}

/** The kind a marker file records; `undefined` for a marker written before kinds were recorded. */
function markerKind(dir: string): string | undefined {
  try {
    return Deno.readTextFileSync(join(dir, OUTPUT_MARKER)).match(/^kind: (\S+)$/m)?.[1];
  } catch {
    return undefined;
  }
}

/** Which folders {@linkcode assertReplaceable} accepts beyond new and empty ones. */
export interface ReplaceOptions {
  /** What is about to be written: a folder holding another kind of output is refused. */
  kind?: OutputKind;
  /**
   * Replace a folder whatever it holds (the CLI's `--force`). The current
   * folder, one above it, and a file are refused all the same.
   * @default false
   */
  force?: boolean;
  /**
   * The task writes its files into the folder, over same-named ones, rather
   * than replacing the folder as a whole (`deno task notebooks --out`). Only
   * the messages change.
   * @default false
   */
  writesInto?: boolean;
}

/** An output folder that may not be replaced or cannot be written; the message names the folder. */
export class OutputDirError extends Error {
  /** The folder as the user gave it. */
  readonly dir: string;
  /** Builds the error for `dir`. */
  constructor(dir: string, message: string) {
    super(message);
    this.name = "OutputDirError";
    this.dir = dir;
  }
}

function statOrNull(path: string): Deno.FileInfo | null {
  try {
    return Deno.statSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory) {
      return null;
    }
    throw err;
  }
}

/** Whether `inner` is `outer` or lies inside it. */
function within(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith("/"));
}

/**
 * What DReX wrote before it marked its folders: a saved model, a training
 * run, a comparison, a tuning run or an ablation, recognised by its files
 * (and a model by its `model.json` format), holding nothing else.
 */
const EARLIER_OUTPUTS: { kind: OutputKind; needs: string[]; allowed: RegExp }[] = [
  {
    kind: "train",
    needs: ["summary.md", "config.json"],
    allowed:
      /^(summary\.md|config\.json|data\.json|metrics\.(json|csv)|history\.(json|csv)|profiles\.json|explanations\.json|report\.html|model)$/,
  },
  {
    kind: "compare",
    needs: ["results.md", "runs.csv"],
    allowed:
      /^(results\.(md|json)|runs\.csv|aggregate\.csv|paired_bootstrap\.csv|cd-diagrams\.html|[\w.-]+\.svg)$/,
  },
  {
    kind: "tune",
    needs: ["settings.json", "trials.csv"],
    allowed: /^(settings\.json|trials\.csv)$/,
  },
  { kind: "ablate", needs: ["ablation.md"], allowed: /^ablation\.(md|csv|json)$/ },
];

/** The kind of an unmarked output of an earlier DReX in `dir`, or `null` when it is not one. */
function earlierOutput(dir: string, names: readonly string[]): OutputKind | null {
  if (names.includes("model.json")) {
    try {
      const format = JSON.parse(Deno.readTextFileSync(`${dir}/model.json`))?.format;
      if (typeof format === "string" && format.startsWith("drex")) {
        return names.every((n) => n === "model.json" || n.endsWith(".bin")) ? "model" : null;
      }
    } catch { /* not a model of ours */ }
    return null;
  }
  return EARLIER_OUTPUTS.find((k) =>
    k.needs.every((n) => names.includes(n)) && names.every((n) => k.allowed.test(n))
  )?.kind ?? null;
}

/**
 * Throws an {@linkcode OutputDirError} unless `dir` may be replaced as a
 * whole: it must not be the current folder or one above it, must not be a
 * file, and if it exists and holds anything, it must hold
 * {@linkcode OUTPUT_MARKER} (or be an output of an earlier DReX that
 * wrote no marker: a saved model, training run, comparison, tuning run or
 * ablation, with nothing else in it), of the same `options.kind` when one is
 * given, unless `options.force`. `label` names the folder in messages (a CLI
 * flag such as `"--out"`, or `"folder"`).
 */
export function assertReplaceable(
  dir: string,
  label = "folder",
  options: ReplaceOptions = {},
): void {
  const full = resolve(dir);
  const fate = options.writesInto
    ? "files in it would be overwritten"
    : "it would be replaced as a whole";
  if (within(Deno.cwd(), full)) {
    throw new OutputDirError(
      dir,
      `${label} "${dir}" is the current folder or one above it; ${fate}, so choose a ` +
        `folder of its own (for example "${join(dir, "out")}")`,
    );
  }
  const info = statOrNull(full);
  if (!info) return;
  if (!info.isDirectory) {
    throw new OutputDirError(dir, `${label} "${dir}" is a file, not a folder`);
  }
  const names = [...Deno.readDirSync(full)].map((e) => e.name);
  if (names.length === 0 || options.force) return;
  // On the command line, --force is the way through; a library caller moves the files.
  const way = label.startsWith("--") ? ", or pass --force to replace it anyway" : "";
  const kind = names.includes(OUTPUT_MARKER) ? markerKind(full) : earlierOutput(full, names);
  if (names.includes(OUTPUT_MARKER) || kind) {
    if (!options.kind || !kind || kind === options.kind) return;
    const theirs = KIND_NAMES[kind as OutputKind] ?? kind;
    throw new OutputDirError(
      dir,
      `${label} "${dir}" holds the output of ${theirs}, not of ${KIND_NAMES[options.kind]}; ` +
        `${fate}. Choose another folder${way}`,
    );
  }
  const shown = names.sort().slice(0, 3).map((n) => `"${n}"`).join(", ");
  throw new OutputDirError(
    dir,
    `${label} "${dir}" already holds files DReX did not write (${shown}${
      names.length > 3 ? ", …" : ""
    }); ${fate}. Choose a new or empty folder, or move those files first${way}`,
  );
}

/**
 * Checks, before any expensive work, that `dir` can be written as a whole:
 * {@linkcode assertReplaceable}, then a probe that creates and removes a
 * temporary folder where `dir` will be created (its parent, or the nearest
 * existing folder above it). Creates nothing that stays.
 */
export async function checkOutputDir(
  dir: string,
  label = "folder",
  options: ReplaceOptions = {},
): Promise<void> {
  assertReplaceable(dir, label, options);
  let existing = dirname(resolve(dir));
  let info = statOrNull(existing);
  while (!info && dirname(existing) !== existing) {
    existing = dirname(existing);
    info = statOrNull(existing);
  }
  if (!info?.isDirectory) {
    throw new OutputDirError(
      dir,
      `${label} "${dir}" cannot be created: "${existing}" is a file, not a folder`,
    );
  }
  let probe: string;
  try {
    probe = await Deno.makeTempDir({ dir: existing, prefix: ".drex-probe-" });
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/: .*$/, "") : String(err);
    throw new OutputDirError(
      dir,
      `${label} "${dir}" cannot be written: creating a file in "${existing}" failed (${why})`,
    );
  }
  await Deno.remove(probe);
}
