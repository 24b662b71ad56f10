/**
 * Colours of the figure builders: a ten-colour qualitative palette (Tableau
 * 10, readable on white and distinguishable for most colour-vision
 * deficiencies) and a helper that gives every model the same colour in every
 * figure of a report.
 *
 * @module
 */

/** The qualitative palette, in order of use. */
export const PALETTE: readonly string[] = Object.freeze([
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
]);

/** Text, axis and neutral colours. */
export const INK = {
  /** Body text and axis lines. */
  text: "#2a2a2a",
  /** Secondary text (captions, tick labels). */
  muted: "#666666",
  /** Grid lines. */
  grid: "#e6e6e6",
  /** Highlight for "shared" marks (keyword overlap). */
  accent: "#d62728",
} as const;

/** The palette colour for the `index`-th series (cycling). */
export function paletteColor(index: number): string {
  const n = PALETTE.length;
  return PALETTE[((index % n) + n) % n];
}

/**
 * A colour for each name: `overrides[name]` where given, else the palette in
 * order of first appearance among the names without an override.
 */
export function assignColors(
  names: readonly string[],
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  let next = 0;
  for (const name of names) {
    if (name in out) continue;
    out[name] = overrides[name] ?? paletteColor(next++);
  }
  return out;
}
