/**
 * The text of plotly.js (the `plotly.js-dist` npm package, a single
 * self-contained UMD bundle of about 11 MB), for embedding inline in
 * standalone HTML reports that open offline.
 *
 * How it is found, in order:
 *
 * 1. `options.path`, when given: a plotly.js file on disk.
 * 2. A text import of `plotly.js-dist/plotly.js`
 *    (`import(..., { with: { type: "text" } })`). The specifier is a string
 *    literal, so Deno puts the package in the module graph: `deno install`
 *    / `deno cache` fetch it once and then it loads offline, with no
 *    permission, whether the package sits in the project's `node_modules`
 *    (`nodeModulesDir: "auto"`, as in this repository) or only in Deno's
 *    global npm cache (`nodeModulesDir: "none"`, or a consumer of the
 *    published package).
 * 3. `import.meta.resolve("plotly.js-dist/plotly.js")`, read from disk when
 *    it resolves to a `file:` URL (needs read permission).
 * 4. `node_modules/plotly.js-dist/plotly.js` under the working directory.
 *
 * The text is kept after the first successful default load.
 *
 * @module
 */

/** Options for {@linkcode loadPlotlySource}. */
export interface PlotlySourceOptions {
  /**
   * A plotly.js (or plotly.min.js) file to read instead of the package's.
   * @default undefined (the `plotly.js-dist` package)
   */
  path?: string | URL;
}

/** Plausibility check: a plotly bundle is large and defines `Plotly`. */
function checkSource(text: string, from: string): string {
  if (text.length < 100_000 || !text.includes("newPlot")) {
    throw new Error(`loadPlotlySource: ${from} does not look like a plotly.js bundle`);
  }
  return text;
}

async function fromTextImport(): Promise<string> {
  const module = await import("npm:plotly.js-dist@3.1.2/plotly.js", { with: { type: "text" } });
  return module.default;
}

async function fromResolve(): Promise<string> {
  const url = import.meta.resolve("npm:plotly.js-dist@3.1.2/plotly.js");
  if (!url.startsWith("file:")) throw new Error(`resolved to ${url}, not a file`);
  return await Deno.readTextFile(new URL(url));
}

async function fromWorkingDirectory(): Promise<string> {
  return await Deno.readTextFile("node_modules/plotly.js-dist/plotly.js");
}

/**
 * The plotly.js source text, from `options.path` or the `plotly.js-dist`
 * package (see the module documentation for the search order). Throws an
 * `Error` listing every attempt when none succeeds.
 *
 * @example
 * ```ts
 * import { loadPlotlySource } from "./plotly_source.ts";
 * const js = await loadPlotlySource(); // ~11 MB of JavaScript
 * ```
 */
export async function loadPlotlySource(options: PlotlySourceOptions = {}): Promise<string> {
  if (options.path !== undefined) {
    return checkSource(await Deno.readTextFile(options.path), String(options.path));
  }
  const attempts: [string, () => Promise<string>][] = [
    ["text import of plotly.js-dist/plotly.js", fromTextImport],
    ["import.meta.resolve", fromResolve],
    ["./node_modules/plotly.js-dist/plotly.js", fromWorkingDirectory],
  ];
  const failures: string[] = [];
  for (const [name, attempt] of attempts) {
    try {
      // The text import (the usual path) is cached by the module loader.
      return checkSource(await attempt(), name);
    } catch (error) {
      failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(
    "loadPlotlySource: plotly.js not found; add it with `deno add npm:plotly.js-dist` " +
      "(and run `deno install` once while online) or pass a path. Tried:\n  " +
      failures.join("\n  "),
  );
}
