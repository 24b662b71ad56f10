/**
 * A one-line terminal progress bar for training: epoch, loss, validation
 * MAE and ETA, redrawn in place. It writes only when its stream is a
 * terminal, so logs, CI output and notebooks stay clean.
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

/**
 * Progress bar bound to a stream (standard error by default). Silent unless
 * the stream is a terminal.
 */
export class ProgressBar {
  readonly #stream: TerminalStream;
  readonly #enabled: boolean;
  readonly #start = performance.now();
  readonly #encoder = new TextEncoder();
  #drawn = false;

  /** Creates a bar; `label` prefixes the line. */
  constructor(readonly label: string, stream: TerminalStream = Deno.stderr) {
    this.#stream = stream;
    this.#enabled = stream.isTerminal();
  }

  /** Whether anything will be written. */
  get enabled(): boolean {
    return this.#enabled;
  }

  /** Redraws the bar with `state`. */
  update(state: ProgressState): void {
    if (!this.#enabled) return;
    const line = `${this.label} ${renderProgress(state, (performance.now() - this.#start) / 1000)}`;
    this.#stream.writeSync(this.#encoder.encode(`\r\x1b[2K${line}`));
    this.#drawn = true;
  }

  /** Ends the line so later output starts on a fresh one. */
  finish(): void {
    if (this.#enabled && this.#drawn) this.#stream.writeSync(this.#encoder.encode("\n"));
    this.#drawn = false;
  }
}
