/**
 * Showing figures in Deno's Jupyter kernel. A figure is sent as a MIME
 * bundle with three representations; each front end picks the richest it
 * can render:
 *
 * - `application/vnd.plotly.v1+json`: the figure itself, drawn
 *   interactively by JupyterLab, Notebook 7 and VS Code (their plotly
 *   renderers ship plotly.js, so no network is needed);
 * - `text/html`: a static SVG drawn by {@linkcode figureToSvg}, with no
 *   script and no external resource, for viewers that run no JavaScript or
 *   lack the plotly renderer (GitHub, nbviewer, exported HTML);
 * - `text/plain`: a one-line description for terminals.
 *
 * {@linkcode plotlyMimeBundle} builds the bundle (a pure function);
 * {@linkcode display} sends it; {@linkcode displayable} wraps a figure so
 * that a cell whose last expression it is shows it.
 *
 * @module
 */
import { figureTitle, type PlotlyFigure } from "./figure.ts";
import { escapeXml, figureToSvg, plainTextLines } from "./static_svg.ts";

/** The MIME type of plotly figures in Jupyter. */
export const PLOTLY_MIME_TYPE = "application/vnd.plotly.v1+json";

/** A Jupyter MIME bundle for one figure. */
export interface PlotlyMimeBundle {
  /** The figure as plain JSON (`NaN` written as `null`), with the plotly config. */
  "application/vnd.plotly.v1+json": {
    /** Traces. */
    data: unknown[];
    /** Layout. */
    layout: Record<string, unknown>;
    /** Plotly config (mode bar, responsiveness). */
    config: Record<string, unknown>;
  };
  /** Static SVG fallback wrapped in a `<div>`; no script, no external resource. */
  "text/html": string;
  /** One line naming the figure. */
  "text/plain": string;
}

/** Options for {@linkcode plotlyMimeBundle}, {@linkcode display} and {@linkcode displayable}. */
export interface DisplayOptions {
  /**
   * Width in pixels of the static SVG fallback when the figure's layout sets none.
   * @default 800
   */
  fallbackWidth?: number;
  /**
   * Include the static SVG fallback as `text/html`; `false` sends a
   * one-line HTML note instead (smaller notebooks).
   * @default true
   */
  staticFallback?: boolean;
  /**
   * Plotly config passed to the interactive renderer.
   * @default { displaylogo: false, responsive: true }
   */
  config?: Readonly<Record<string, unknown>>;
  /**
   * Display id: a later `display` with the same id and `update: true`
   * replaces this output in place (live progress, growing learning curves).
   * @default undefined (a new output)
   */
  displayId?: string;
  /**
   * Replace the output shown earlier with the same `displayId` instead of adding one.
   * @default false
   */
  update?: boolean;
}

/** Describes a figure in one line: its title and trace count. */
function describe(figure: PlotlyFigure): string {
  const title = plainTextLines(figureTitle(figure)).join(" ").trim() || "untitled";
  const n = figure.data.length;
  return `Plotly figure "${title}" (${n} trace${n === 1 ? "" : "s"})`;
}

/**
 * The MIME bundle of `figure` for `Deno.jupyter.display(bundle, { raw: true })`.
 * Pure: no Jupyter needed.
 *
 * @example
 * ```ts
 * import { plotlyMimeBundle } from "./display.ts";
 * const bundle = plotlyMimeBundle({ data: [{ type: "bar", x: ["a"], y: [1] }], layout: {} });
 * // bundle["text/html"] starts with '<div class="drex-figure">'
 * ```
 */
export function plotlyMimeBundle(
  figure: PlotlyFigure,
  options: DisplayOptions = {},
): PlotlyMimeBundle {
  const {
    fallbackWidth = 800,
    staticFallback = true,
    config = { displaylogo: false, responsive: true },
  } = options;
  const plain = JSON.parse(JSON.stringify(figure)) as {
    data: unknown[];
    layout: Record<string, unknown>;
  };
  const text = describe(figure);
  const body = staticFallback
    ? figureToSvg(figure, { width: fallbackWidth })
    : `<p>${escapeXml(text)}: open in a notebook front end with the plotly renderer.</p>`;
  return {
    [PLOTLY_MIME_TYPE]: { data: plain.data, layout: plain.layout, config: { ...config } },
    "text/html": `<div class="drex-figure">${body}</div>`,
    "text/plain": text,
  };
}

type JupyterDisplay = (
  bundle: Record<string, unknown>,
  options: { raw: true; display_id?: string; update?: boolean },
) => Promise<void>;

function jupyterDisplay(): JupyterDisplay | null {
  try {
    const jupyter = (Deno as unknown as { jupyter?: { display?: JupyterDisplay } }).jupyter;
    return typeof jupyter?.display === "function" ? jupyter.display.bind(jupyter) : null;
  } catch {
    // Outside `deno jupyter`, reading Deno.jupyter throws.
    return null;
  }
}

/**
 * Shows `figure` in the running Deno Jupyter kernel (interactive where the
 * front end has the plotly renderer, static SVG elsewhere). Throws an
 * `Error` when not running under `deno jupyter`; in scripts use
 * {@linkcode plotlyMimeBundle} or the HTML report instead.
 *
 * @example
 * ```ts
 * import { display } from "./display.ts";
 * await display(learningCurvesFigure(report));
 * ```
 */
export async function display(figure: PlotlyFigure, options: DisplayOptions = {}): Promise<void> {
  await showBundle(
    "display",
    plotlyMimeBundle(figure, options) as unknown as Record<string, unknown>,
    options,
  );
}

async function showBundle(
  caller: string,
  bundle: Record<string, unknown>,
  options: { displayId?: string; update?: boolean },
): Promise<void> {
  const show = jupyterDisplay();
  if (show === null) {
    throw new Error(
      `${caller}: Deno.jupyter is not available (run inside a \`deno jupyter\` kernel); ` +
        "use plotlyMimeBundle() or writeHtmlReport() outside notebooks",
    );
  }
  await show(bundle, {
    raw: true,
    ...(options.displayId === undefined ? {} : { display_id: options.displayId }),
    ...(options.update ? { update: true } : {}),
  });
}

/**
 * Shows Markdown text in the running Deno Jupyter kernel (rendered by
 * Jupyter, VS Code, GitHub and exported HTML); `displayId` and `update` work
 * as for {@linkcode display}, for a status line that changes in place.
 */
export async function displayMarkdown(
  text: string,
  options: Pick<DisplayOptions, "displayId" | "update"> = {},
): Promise<void> {
  await showBundle("displayMarkdown", { "text/markdown": text, "text/plain": text }, options);
}

/**
 * A Markdown table of plain objects, one row each, columns in the first
 * row's key order; numbers are shown with `digits` decimals.
 */
export function markdownTable(rows: readonly Record<string, unknown>[], digits = 4): string {
  if (rows.length === 0) return "(no rows)";
  const keys = Object.keys(rows[0]);
  const cell = (v: unknown) =>
    (typeof v === "number" && !Number.isInteger(v) ? v.toFixed(digits) : String(v ?? ""))
      .replaceAll("|", "\\|");
  return [
    `| ${keys.join(" | ")} |`,
    `| ${keys.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${keys.map((k) => cell(r[k])).join(" | ")} |`),
  ].join("\n");
}

/** The symbol Deno's Jupyter kernel looks up to display an object: `Symbol.for("Jupyter.display")`. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display");

/** An object Deno's Jupyter kernel shows as a figure when it is a cell's last expression. */
export interface DisplayableFigure {
  /** The figure. */
  readonly figure: PlotlyFigure;
  /** Called by the kernel: the figure's MIME bundle. */
  [JUPYTER_DISPLAY](): PlotlyMimeBundle;
}

/**
 * Wraps `figure` so that Deno's Jupyter kernel renders it when it ends a
 * cell (the kernel calls `[Symbol.for("Jupyter.display")]()`).
 *
 * @example
 * ```ts
 * import { displayable } from "./display.ts";
 * displayable(metricAtKGridFigure(results)); // last expression of a cell
 * ```
 */
export function displayable(figure: PlotlyFigure, options: DisplayOptions = {}): DisplayableFigure {
  return {
    figure,
    [JUPYTER_DISPLAY]: (): PlotlyMimeBundle => plotlyMimeBundle(figure, options),
  };
}
