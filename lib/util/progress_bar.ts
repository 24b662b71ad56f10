/**
 * Progress for long work: epoch, loss, validation error and ETA. On a
 * terminal, a one-line bar redrawn in place; elsewhere (a log file, CI, a
 * pipe, a notebook), plain lines: one per update, or at most one every
 * `plainEvery` seconds for fine-grained work, and always the last one.
 *
 * @module
 */

/** Anything with Deno's `writeSync` and `isTerminal`. */
export interface TerminalStream {
  /** Writes bytes synchronously. */
  writeSync(p: Uint8Array): number;
  /** Whether the stream is a terminal. */
  isTerminal(): boolean;
}

/** One progress update. */
export interface ProgressState {
  /** Units done (epochs). */
  done: number;
  /** Units at most (maxEpochs; early stopping may end sooner). */
  total: number;
  /** Labelled figures shown after the bar, e.g. `{ loss: 0.81, "val MAE": 0.73 }`. */
  fields?: Record<string, number | string>;
}

/** Formats seconds as `1h02m`, `3m05s` or `42s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  if (s >= 3600) {
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  }
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}

/** Renders one line of the bar (exported for tests). */
export function renderProgress(state: ProgressState, elapsedSeconds: number, width = 24): string {
  const frac = state.total > 0 ? Math.min(1, state.done / state.total) : 0;
  const filled = Math.round(frac * width);
  const bar = "█".repeat(filled) + "░".repeat(width - filled);
  const eta = state.done > 0 ? (elapsedSeconds / state.done) * (state.total - state.done) : NaN;
  const fields = Object.entries(state.fields ?? {})
    .map(([k, v]) => `${k} ${typeof v === "number" ? v.toFixed(4) : v}`)
    .join("  ");
  return `${bar} ${state.done}/${state.total}  ${fields}  ETA ${formatDuration(eta)}`;
}

/** Renders one plain progress line, for streams that are not a terminal (exported for tests). */
export function renderProgressLine(state: ProgressState, elapsedSeconds: number): string {
  const eta = state.done > 0 ? (elapsedSeconds / state.done) * (state.total - state.done) : NaN;
  const fields = Object.entries(state.fields ?? {})
    .map(([k, v]) => `  ${k} ${typeof v === "number" ? v.toFixed(4) : v}`)
    .join("");
  return `${state.done}/${state.total}${fields}  elapsed ${formatDuration(elapsedSeconds)}  ` +
    `ETA ${formatDuration(eta)}`;
}

/** Options of a {@linkcode ProgressBar}. */
export interface ProgressBarOptions {
  /**
   * Off a terminal, the least number of seconds between two plain lines
   * (the last update always prints). `0` prints every update, right for one
   * update per epoch.
   * @default 0
   */
  plainEvery?: number;
}

/**
 * Progress bound to a stream (standard error by default): a bar redrawn in
 * place on a terminal, plain lines elsewhere.
 */
export class ProgressBar {
  readonly #stream: TerminalStream;
  readonly #terminal: boolean;
  readonly #plainEvery: number;
  readonly #start = performance.now();
  readonly #encoder = new TextEncoder();
  #drawn = false;
  #lastLine = -Infinity;

  /** Creates a bar; `label` prefixes the line. */
  constructor(
    readonly label: string,
    stream: TerminalStream = Deno.stderr,
    options: ProgressBarOptions = {},
  ) {
    this.#stream = stream;
    this.#terminal = stream.isTerminal();
    this.#plainEvery = options.plainEvery ?? 0;
  }

  /** Whether the stream is a terminal (a bar redrawn in place) rather than plain lines. */
  get terminal(): boolean {
    return this.#terminal;
  }

  /** Shows `state`: redraws the bar, or writes a plain line when one is due. */
  update(state: ProgressState): void {
    const elapsed = (performance.now() - this.#start) / 1000;
    if (this.#terminal) {
      const line = `${this.label} ${renderProgress(state, elapsed)}`;
      this.#stream.writeSync(this.#encoder.encode(`\r\x1b[2K${line}`));
      this.#drawn = true;
      return;
    }
    const last = state.done >= state.total;
    if (!last && elapsed - this.#lastLine < this.#plainEvery) return;
    this.#lastLine = elapsed;
    const line = `${this.label} ${renderProgressLine(state, elapsed)}\n`;
    this.#stream.writeSync(this.#encoder.encode(line));
  }

  /** Ends the bar's line so later output starts on a fresh one. */
  finish(): void {
    if (this.#terminal && this.#drawn) this.#stream.writeSync(this.#encoder.encode("\n"));
    this.#drawn = false;
  }
}
