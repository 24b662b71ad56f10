/**
 * Writing CSV text (RFC 4180): a field holding a comma, a quote or a line
 * break is quoted, with quotes doubled, so names like
 * `"All_Beauty 2018, copies collapsed"` stay one field.
 *
 * @module
 */

/** One CSV field: `null` and `undefined` are empty; other values as `String(v)`, quoted when needed. */
export function csvField(v: unknown): string {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * `rows` (objects with the same keys, in the first row's order) as CSV text
 * with a header line; empty text for no rows.
 */
export function toCsv(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return "";
  const keys = Object.keys(rows[0]);
  const line = (values: unknown[]) => values.map(csvField).join(",");
  return [line(keys), ...rows.map((r) => line(keys.map((k) => r[k])))].join("\n") + "\n";
}
