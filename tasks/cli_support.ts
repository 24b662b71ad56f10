/**
 * What the command-line tasks share: one error type for usage mistakes, flag
 * parsing that turns Node's parse errors into those, small value parsers
 * that name the flag in their messages, and a runner that prints input
 * mistakes as one line (exit code 2) while bugs keep their stack trace.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { datasetPresets } from "../lib/compare/dataset_presets.ts";
import type { DatasetSpec } from "../lib/compare/run_comparison.ts";
import { DataError } from "../lib/data/errors.ts";
import { EmptyFilterError } from "../lib/data/filter.ts";
import { checkOutputDir, OutputDirError, type OutputKind } from "../lib/io/output_dir.ts";
import { InputFileError } from "../lib/data/input_file_error.ts";
import { TrainingDivergedError } from "../lib/train/training_diverged_error.ts";

/** A command-line mistake: printed as one line, without a stack trace. */
export class UsageError extends Error {}

/** Parses `args` strictly against `options`; an unknown or malformed flag is a {@linkcode UsageError}. */
export function parseFlags<T extends ParseArgsConfig["options"]>(
  args: string[],
  options: T,
): ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>
>["values"] {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : err} (see --help)`);
  }
}

/**
 * The folder the user ran the command from: `deno task` runs tasks in the
 * repository root and passes the caller's folder as `INIT_CWD`.
 */
export function callerDir(): string {
  return Deno.env.get("INIT_CWD") ?? Deno.cwd();
}

/** A path from the command line, resolved against the caller's folder. */
export function userPath(path: string): string {
  return resolve(callerDir(), path);
}

/** A file of this checkout (a default such as the fixture), as an absolute path. */
export function repoFile(path: string): string {
  return fileURLToPath(new URL(`../${path}`, import.meta.url));
}

/**
 * `--out` resolved against the caller's folder and checked before any work
 * (see `checkOutputDir`): never the caller's folder or one above it, never a
 * folder holding files we did not write or the output of another task
 * (`kind`) unless `force` (`--force`), and writable.
 */
export async function outputDirFlag(
  value: string | undefined,
  fallback: string,
  kind: OutputKind,
  force = false,
): Promise<string> {
  const dir = userPath(value ?? fallback);
  const rel = relative(dir, callerDir());
  if (rel === "" || (!rel.startsWith("..") && !isAbsolute(rel))) {
    throw new UsageError(
      `--out ${value}: is the folder you ran the command from or one above it; it would be ` +
        `replaced as a whole, so choose a folder of its own`,
    );
  }
  await checkOutputDir(dir, "--out", { kind, force });
  return dir;
}

/** Checks that `path` (given by `label`, e.g. `"--data"`) is a readable file, before any work. */
export function checkInputFile(label: string, path: string): void {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory) {
      throw new UsageError(`${label} ${path}: no such file`);
    }
    throw new UsageError(`${label} ${path}: cannot read it (${(err as Error).message})`);
  }
  if (info.isDirectory) throw new UsageError(`${label} ${path}: is a folder, not a file`);
}

/** `--flag` as an integer, or undefined when absent. */
export function intFlag(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === "" || !Number.isInteger(n)) {
    throw new UsageError(`--${flag} expects an integer, got "${v}"`);
  }
  return n;
}

/** `--flag` as a finite number, or undefined when absent. */
export function numberFlag(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n)) {
    throw new UsageError(`--${flag} expects a number, got "${v}"`);
  }
  return n;
}

/** `--flag` as a comma-separated list, or undefined when absent. */
export function listFlag(v: string | undefined): string[] | undefined {
  return v === undefined ? undefined : v.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

/** `--flag` as a comma-separated list of numbers, or undefined when absent. */
export function numberListFlag(flag: string, v: string | undefined): number[] | undefined {
  return listFlag(v)?.map((s) => numberFlag(flag, s)!);
}

/** `--flag` as one of `allowed`, or undefined when absent. */
export function choiceFlag<T extends string>(
  flag: string,
  v: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (v === undefined) return undefined;
  if (!allowed.includes(v as T)) {
    throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}, got "${v}"`);
  }
  return v as T;
}

/** How a reader option that would fix an input file is set on the command line. */
const OPTION_FLAGS: Record<string, string> = {
  format: "--format amazon2023|amazon2018|csv",
  columns: "--columns user=COL,item=COL,rating=COL[,review=COL,timestamp=COL]",
};

/**
 * Runs a task's `main`. Mistakes in the input (flags, data, files, filters)
 * print `error: <message>` and exit with code 2; anything else is a bug and
 * is rethrown with its stack.
 */
export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    if (
      err instanceof UsageError || err instanceof DataError || err instanceof RangeError ||
      err instanceof Deno.errors.NotFound ||
      err instanceof OutputDirError
    ) {
      console.error(`error: ${err.message}`);
      Deno.exit(2);
    }
    if (err instanceof EmptyFilterError) {
      const flags = err.message
        .replace(
          /\{ minUserRatings: (\d+), minItemRatings: (\d+) \}/,
          "--min-user-ratings $1 --min-item-ratings $2",
        )
        .replace(
          "is the rating column mapped?",
          "is the rating column mapped? --columns rating=COL",
        );
      console.error(`error: ${flags}`);
      Deno.exit(2);
    }
    if (err instanceof InputFileError) {
      const fix = err.option === undefined
        ? ""
        : `; pass ${OPTION_FLAGS[err.option] ?? err.option}`;
      console.error(`error: ${err.file}: ${err.detail}${fix}`);
      Deno.exit(2);
    }
    if (err instanceof TrainingDivergedError) {
      console.error(
        `error: ${err.model}: training diverged in epoch ${err.epoch} (mean training loss ` +
          `${err.loss}); lower the learning rate (--lr, or "learningRate" in --settings)`,
      );
      Deno.exit(2);
    }
    throw err;
  }
}

/** The presets as help lines: `key  description`, one per preset. */
export function presetHelp(presets: Record<string, DatasetSpec>, indent = "  "): string {
  const width = Math.max(...Object.keys(presets).map((k) => k.length));
  return Object.entries(presets)
    .map(([key, spec]) => `${indent}${key.padEnd(width)}  ${spec.description ?? spec.name}`)
    .join("\n");
}

/** A preset by its `--datasets` name; an unknown name is a {@linkcode UsageError} listing the known ones. */
export function presetByName(presets: Record<string, DatasetSpec>, name: string): DatasetSpec {
  const preset = presets[name.trim()];
  if (!preset) {
    throw new UsageError(
      `--datasets: unknown preset "${name}" (known: ${Object.keys(presets).join(", ")})`,
    );
  }
  return preset;
}

/**
 * The dataset presets the tasks offer, with this checkout's fixture and the
 * data in `../shared` (or `$DREX_SHARED`).
 */
export function taskPresets(): Record<string, DatasetSpec> {
  const repo = fileURLToPath(new URL("..", import.meta.url));
  return datasetPresets(repo, Deno.env.get("DREX_SHARED") ?? resolve(repo, "..", "shared"));
}
