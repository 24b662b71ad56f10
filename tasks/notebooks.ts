/**
 * `deno run -A tasks/notebooks.ts`: executes the notebooks in `notebooks/`
 * headless in Deno's Jupyter kernel (through Python's `nbclient`) and writes
 * them back with their outputs, cleaned so that they can be committed: no
 * ANSI colour codes, no absolute machine paths, no timing metadata, execution
 * counts 1, 2, 3, ... The executed copies go to `out/notebooks` (or
 * `--out DIR`), leaving the committed files alone; `--in-place` updates the
 * committed notebooks instead (to refresh them before a commit).
 *
 * The kernel is registered in a private, temporary Jupyter data folder whose
 * kernelspec runs the Deno executing this task, so nothing needs to be
 * installed (`deno jupyter --install` is only needed to open the notebooks in
 * Jupyter yourself). `--help` lists the options.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkOutputDir, OUTPUT_MARKER, outputMarkerText } from "../lib/io/output_dir.ts";

const HELP = `deno run -A tasks/notebooks.ts [options] [NOTEBOOK...]

Executes notebooks (all of notebooks/*.ipynb when none is named) in Deno's
Jupyter kernel, headless, and writes them with cleaned outputs: no ANSI
colour codes, no absolute machine paths, no timing metadata, execution
counts in order. Prints each notebook's wall time. Exits non-zero when a cell
fails or a notebook takes --max-seconds or more.

  --out DIR            where the executed notebooks go   [out/notebooks]; a
                       new or empty folder, or one this task wrote before
  --force              write into --out whatever it holds (a file of the same
                       name as a notebook is replaced)
  --in-place           update the committed notebooks in notebooks/ instead
                       (a failed run still goes to out/notebooks)
  --max-seconds N      fail when a notebook takes N seconds or more   [180]
  --cell-timeout N     seconds one cell may run before it is stopped  [max-seconds]
  --clean-only         do not execute: re-clean the notebooks in place
  --python PATH        Python with nbclient   [$DREX_PYTHON, /usr/bin/python3, python3]
  -h, --help           this help

Needs Python 3 with nbclient, nbformat and jupyter_client (Debian:
python3-nbclient python3-ipykernel). Sets NO_COLOR=1 for the kernel, and
DREX_CACHE_DIR to .cache/drex/features in the repository unless it is set.
`;

/** The repository root (this file lives in `tasks/`). */
export const REPO_ROOT: string = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The folder of the committed notebooks. */
export const NOTEBOOK_DIR: string = join(REPO_ROOT, "notebooks");

/** A Jupyter notebook as stored (nbformat 4), loosely typed. */
export interface NotebookJson {
  /** Cells in order. */
  cells: NotebookCell[];
  /** Notebook metadata (kernelspec, language_info). */
  metadata: Record<string, unknown>;
  /** Major format version (4). */
  nbformat: number;
  /** Minor format version. */
  nbformat_minor: number;
}

/** One notebook cell. */
export interface NotebookCell {
  /** `"code"`, `"markdown"` or `"raw"`. */
  cell_type: string;
  /** Cell id (nbformat 4.5). */
  id?: string;
  /** Source as one string or a list of lines. */
  source: string | string[];
  /** Cell metadata. */
  metadata: Record<string, unknown>;
  /** Code cells: the execution count (`null` when not run). */
  execution_count?: number | null;
  /** Code cells: outputs. */
  outputs?: NotebookOutput[];
}

/** One output of a code cell. */
export interface NotebookOutput {
  /** `"stream"`, `"display_data"`, `"execute_result"` or `"error"`. */
  output_type: string;
  /** Further fields (`text`, `data`, `metadata`, `execution_count`, `ename`, ...). */
  [key: string]: unknown;
}

/** ANSI escape sequences: CSI (colours, cursor moves) and OSC (titles, links). */
// deno-lint-ignore no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-_]/g;

/** Removes ANSI escape sequences from `text`. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** A literal text to replace in outputs, and its replacement. */
export type PathReplacement = readonly [from: string, to: string];

/**
 * The machine paths to hide in outputs, longest first: the repository
 * (`<repo>`, also as a `file://` URL), the temporary folder (`<tmp>`) and the
 * home folder (`~`).
 */
export function machinePaths(
  root: string = REPO_ROOT,
  tmp: string = tempDir(),
  home: string | undefined = homeDir(),
): PathReplacement[] {
  const out: PathReplacement[] = [];
  const add = (path: string | undefined, to: string): void => {
    if (!path || path === "/" || path.length < 2) return;
    const p = path.replace(/\/+$/, "");
    out.push([`file://${p}`, to], [p, to]);
  };
  add(root, "<repo>");
  add(tmp, "<tmp>");
  add(home, "~");
  return out.sort((a, b) => b[0].length - a[0].length);
}

function tempDir(): string {
  return Deno.env.get("TMPDIR") || "/tmp";
}

function homeDir(): string | undefined {
  return Deno.env.get("HOME") || Deno.env.get("USERPROFILE") || undefined;
}

/** `text` without ANSI codes and with every machine path replaced. */
export function cleanText(text: string, paths: readonly PathReplacement[]): string {
  let out = stripAnsi(text);
  for (const [from, to] of paths) out = out.replaceAll(from, to);
  return out;
}

function cleanValue(value: unknown, paths: readonly PathReplacement[]): unknown {
  if (typeof value === "string") return cleanText(value, paths);
  if (Array.isArray(value)) return value.map((v) => cleanValue(v, paths));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, cleanValue(v, paths)]),
    );
  }
  return value;
}

/**
 * A notebook ready to commit: outputs without ANSI codes or machine paths,
 * no per-cell timing metadata (`execution`), no `collapsed`/`scrolled`
 * view state, code cells numbered 1, 2, 3, ... (and their results with
 * them), consecutive stream outputs of the same name merged. Does not modify
 * its input.
 */
export function cleanNotebook(
  notebook: NotebookJson,
  paths: readonly PathReplacement[] = machinePaths(),
): NotebookJson {
  let count = 0;
  const cells = notebook.cells.map((cell): NotebookCell => {
    const metadata = { ...cell.metadata };
    delete metadata.execution;
    delete metadata.collapsed;
    delete metadata.scrolled;
    if (cell.cell_type !== "code") return { ...cell, metadata };
    count++;
    const outputs: NotebookOutput[] = [];
    for (const raw of cell.outputs ?? []) {
      const output = cleanValue(raw, paths) as NotebookOutput;
      if (output.output_type === "execute_result") output.execution_count = count;
      const last = outputs[outputs.length - 1];
      if (
        output.output_type === "stream" && last?.output_type === "stream" &&
        last.name === output.name
      ) {
        last.text = joinText(last.text) + joinText(output.text);
        continue;
      }
      outputs.push(output);
    }
    return { ...cell, metadata, execution_count: count, outputs };
  });
  return { ...notebook, cells };
}

function joinText(text: unknown): string {
  return Array.isArray(text) ? text.join("") : typeof text === "string" ? text : "";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The notebook as Jupyter writes it: keys sorted, one-space indent, final newline. */
export function serializeNotebook(notebook: NotebookJson): string {
  return JSON.stringify(sortKeys(notebook), null, 1) + "\n";
}

// ------------------------------------------------------------------ execution

/**
 * Runs one notebook with nbclient; prints `{"error": ...}` as its last line.
 *
 * Deno's kernel (2.x) can publish a cell's `execute_result` and late
 * `stream` / `display_data` messages just after its `idle` status, which
 * nbclient takes as the end of the cell's output: such outputs were dropped
 * at random. The client below keeps reading the cell's messages until none
 * has come for a short quiet period after `idle`.
 */
const RUN_NOTEBOOK_PY = `
import inspect, json, queue, sys
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError

async def ensure_async(value):
    return await value if inspect.isawaitable(value) else value

QUIET_SECONDS = 0.3

class LateOutputClient(NotebookClient):
    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        idle = False
        while True:
            try:
                msg = await ensure_async(
                    self.kc.iopub_channel.get_msg(timeout=QUIET_SECONDS if idle else None))
            except queue.Empty:
                return
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                idle = True

src, dst, cwd, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
nb = nbformat.read(src, as_version=4)
client = LateOutputClient(nb, timeout=timeout, kernel_name="deno", record_timing=False,
                          allow_errors=False, resources={"metadata": {"path": cwd}})
error = None
try:
    client.execute()
except CellExecutionError as e:
    error = str(e)
except Exception as e:  # kernel died, timeout, ...
    error = f"{type(e).__name__}: {e}"
nbformat.write(nb, dst)
print(json.dumps({"error": error}))
`;

async function canImportNbclient(python: string): Promise<boolean> {
  try {
    const out = await new Deno.Command(python, {
      args: ["-c", "import nbclient, nbformat, jupyter_client"],
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success;
  } catch {
    return false;
  }
}

/** The first Python that can import nbclient, nbformat and jupyter_client; `null` if none. */
export async function findPython(preferred?: string): Promise<string | null> {
  const candidates = [preferred, Deno.env.get("DREX_PYTHON"), "/usr/bin/python3", "python3"]
    .filter((p): p is string => p !== undefined && p !== "");
  for (const python of candidates) {
    if (await canImportNbclient(python)) return python;
  }
  return null;
}

/** A private Jupyter data folder whose `deno` kernelspec runs this Deno. */
async function privateKernelspec(dir: string): Promise<void> {
  await Deno.mkdir(join(dir, "kernels", "deno"), { recursive: true });
  await Deno.mkdir(join(dir, "runtime"), { recursive: true });
  await Deno.writeTextFile(
    join(dir, "kernels", "deno", "kernel.json"),
    JSON.stringify(
      {
        argv: [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"],
        display_name: "Deno",
        language: "typescript",
      },
      null,
      1,
    ),
  );
}

/** Separator of folder lists in environment variables such as `JUPYTER_PATH`. */
const PATH_LIST_SEPARATOR = Deno.build.os === "windows" ? ";" : ":";

/** What executing one notebook did. */
export interface NotebookRun {
  /** File name. */
  name: string;
  /** Wall-clock seconds, kernel start-up included. */
  seconds: number;
  /** The failing cell's error, or the runner's; `null` when every cell ran. */
  error: string | null;
  /** Where the executed notebook was written. */
  written: string;
}

/** Options of {@linkcode executeNotebook}. */
export interface ExecuteOptions {
  /** Python with nbclient. */
  python: string;
  /** Private Jupyter data folder (see `privateKernelspec`). */
  jupyterDir: string;
  /** Seconds one cell may run. */
  cellTimeout: number;
  /** Where to write the executed, cleaned notebook. */
  dest: string;
}

/** Executes `path` in a fresh Deno kernel whose working folder is the notebook's own. */
export async function executeNotebook(path: string, options: ExecuteOptions): Promise<NotebookRun> {
  const raw = join(options.jupyterDir, `executed-${basename(path)}`);
  const script = join(options.jupyterDir, "run_notebook.py");
  await Deno.writeTextFile(script, RUN_NOTEBOOK_PY);
  const existing = Deno.env.get("JUPYTER_PATH");
  const env: Record<string, string> = {
    JUPYTER_PATH: existing
      ? `${options.jupyterDir}${PATH_LIST_SEPARATOR}${existing}`
      : options.jupyterDir,
    JUPYTER_RUNTIME_DIR: join(options.jupyterDir, "runtime"),
    JUPYTER_PLATFORM_DIRS: "1",
    NO_COLOR: "1",
    DENO_NO_UPDATE_CHECK: "1",
    DREX_CACHE_DIR: Deno.env.get("DREX_CACHE_DIR") || join(REPO_ROOT, ".cache", "drex", "features"),
  };
  const started = performance.now();
  const out = await new Deno.Command(options.python, {
    args: [script, path, raw, dirname(path), String(options.cellTimeout)],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - started) / 1000;
  const stdout = new TextDecoder().decode(out.stdout).trim();
  const stderr = new TextDecoder().decode(out.stderr);
  let error: string | null;
  try {
    error = (JSON.parse(stdout.split("\n").pop() ?? "") as { error: string | null }).error;
  } catch {
    error = `the runner failed (exit code ${out.code}):\n${stderr.slice(-3000)}`;
  }
  const paths = machinePaths();
  if (error !== null) error = cleanText(error, paths);
  let written = options.dest;
  try {
    const notebook = JSON.parse(await Deno.readTextFile(raw)) as NotebookJson;
    await Deno.mkdir(dirname(options.dest), { recursive: true });
    await Deno.writeTextFile(options.dest, serializeNotebook(cleanNotebook(notebook, paths)));
  } catch {
    written = "";
  }
  return { name: basename(path), seconds, error, written };
}

/** The notebooks named on the command line, or every `notebooks/*.ipynb`, sorted. */
async function notebookPaths(names: string[]): Promise<string[]> {
  if (names.length > 0) {
    return names.map((n) => n.includes("/") ? resolve(n) : join(NOTEBOOK_DIR, n));
  }
  const found: string[] = [];
  for await (const entry of Deno.readDir(NOTEBOOK_DIR)) {
    if (entry.isFile && entry.name.endsWith(".ipynb")) found.push(join(NOTEBOOK_DIR, entry.name));
  }
  return found.sort();
}

function positiveNumber(flag: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!(n > 0)) throw new Error(`--${flag} expects a positive number, got "${v}"`);
  return n;
}

/**
 * Checks `--out` before any notebook runs, as other tasks check theirs: a new
 * or empty folder, one this task wrote (it holds the output marker), or one
 * holding nothing but executed copies of the notebooks being run (`names`,
 * as this task wrote them before it marked its folders); any other only with
 * `force`. The committed notebooks' folder is refused: `--in-place` is the
 * way to update it.
 */
async function checkNotebookOut(dir: string, names: string[], force: boolean): Promise<void> {
  if (resolve(dir) === NOTEBOOK_DIR) {
    throw new Error(
      `--out ${dir}: is the committed notebooks' folder; use --in-place to update them`,
    );
  }
  let entries: string[] = [];
  try {
    entries = [...Deno.readDirSync(dir)].map((e) => e.name);
  } catch { /* a new folder (or a file, which checkOutputDir names) */ }
  const earlier = entries.length > 0 && entries.every((n) => names.includes(n));
  await checkOutputDir(dir, "--out", {
    kind: "notebooks",
    force: force || earlier,
    writesInto: true,
  });
}

/** The command line; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      help: { type: "boolean", short: "h" },
      out: { type: "string" },
      "in-place": { type: "boolean" },
      "max-seconds": { type: "string" },
      "cell-timeout": { type: "string" },
      "clean-only": { type: "boolean" },
      force: { type: "boolean" },
      python: { type: "string" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const paths = await notebookPaths(positionals);
  if (paths.length === 0) {
    console.error("no notebooks found");
    return 1;
  }
  if (values["clean-only"]) {
    for (const path of paths) {
      const notebook = JSON.parse(await Deno.readTextFile(path)) as NotebookJson;
      await Deno.writeTextFile(path, serializeNotebook(cleanNotebook(notebook)));
      console.log(`cleaned ${basename(path)}`);
    }
    return 0;
  }
  if (values["in-place"] && values.out !== undefined) {
    console.error("error: --in-place and --out exclude each other");
    return 2;
  }
  const outDir = values["in-place"]
    ? undefined
    : resolve(values.out ?? join(REPO_ROOT, "out", "notebooks"));
  if (outDir) await checkNotebookOut(outDir, paths.map((p) => basename(p)), values.force === true);
  const maxSeconds = positiveNumber("max-seconds", values["max-seconds"], 180);
  const cellTimeout = Math.ceil(positiveNumber("cell-timeout", values["cell-timeout"], maxSeconds));
  const python = await findPython(values.python);
  if (python === null) {
    console.error(
      "no Python with nbclient, nbformat and jupyter_client found (tried --python, " +
        "$DREX_PYTHON, /usr/bin/python3, python3); install python3-nbclient python3-ipykernel",
    );
    return 1;
  }
  if (outDir) {
    await Deno.mkdir(outDir, { recursive: true });
    await Deno.writeTextFile(join(outDir, OUTPUT_MARKER), outputMarkerText("notebooks"));
  }
  const jupyterDir = await Deno.makeTempDir({ prefix: "drex-notebooks-" });
  const runs: NotebookRun[] = [];
  try {
    await privateKernelspec(jupyterDir);
    for (const path of paths) {
      const name = basename(path);
      // In place, a failed run goes to out/notebooks/ so the committed notebook stays intact.
      const target = outDir ?? NOTEBOOK_DIR;
      const staged = join(jupyterDir, `cleaned-${name}`);
      console.log(`running ${name} ...`);
      const run = await executeNotebook(path, { python, jupyterDir, cellTimeout, dest: staged });
      const ok = run.error === null && run.written !== "";
      const dest = ok || outDir ? join(target, name) : join(REPO_ROOT, "out", "notebooks", name);
      if (run.written !== "") {
        await Deno.mkdir(dirname(dest), { recursive: true });
        await Deno.copyFile(staged, dest);
        run.written = dest;
      }
      runs.push(run);
      const slow = run.seconds >= maxSeconds;
      const status = run.error !== null
        ? "FAILED"
        : slow
        ? `TOO SLOW (limit ${maxSeconds} s)`
        : "ok";
      console.log(`${name}: ${run.seconds.toFixed(1)} s ${status}`);
      if (run.error !== null) console.error(run.error.slice(-4000));
      if (run.written !== "") {
        console.log(`  written to ${run.written.replace(REPO_ROOT + "/", "")}`);
      }
    }
  } finally {
    await Deno.remove(jupyterDir, { recursive: true });
  }
  const failed = runs.filter((r) => r.error !== null || r.seconds >= maxSeconds);
  console.log(
    `${
      runs.length - failed.length
    } of ${runs.length} notebooks ran cleanly in under ${maxSeconds} s` +
      ` (total ${runs.reduce((s, r) => s + r.seconds, 0).toFixed(1)} s)`,
  );
  return failed.length === 0 ? 0 : 1;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    Deno.exit(2);
  }
}
