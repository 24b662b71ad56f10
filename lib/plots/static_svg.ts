/**
 * A small static SVG renderer for the plotly figures this library builds,
 * used as the no-JavaScript fallback of notebook outputs and reports (GitHub,
 * nbviewer, VS Code without the plotly renderer show it). It draws the
 * trace types the builders emit, approximately as plotly does:
 *
 * - scatter: `lines` (gaps at `null`), `markers` (circles, stars, open
 *   symbols), `text` (with `textposition`), vertical error bars;
 * - bar: vertical or horizontal, grouped per subplot, per-bar colours,
 *   `outside` value labels, vertical error bars;
 * - heatmap: one cell per non-null `z`, colour from `colorscale` between
 *   `zmin` and `zmax`, cell text;
 * - layout: linear, log and category axes with domains (subplots), ticks,
 *   grid and titles; `line` and `rect` shapes; text annotations; title;
 *   legend (below the plot).
 *
 * Output is deterministic (element ids derive from a hash of the figure), so
 * several SVGs can share one HTML page. Text is escaped; plotly's HTML
 * subset in text is reduced to plain text (`<br>` breaks lines).
 *
 * @module
 */
import type {
  PlotlyAnnotation,
  PlotlyAxis,
  PlotlyDatum,
  PlotlyFigure,
  PlotlyLayout,
  PlotlyShape,
  PlotlyTrace,
} from "./figure.ts";

/** Options for {@linkcode figureToSvg}. */
export interface StaticSvgOptions {
  /**
   * Width in pixels when the layout sets none.
   * @default 800
   */
  width?: number;
  /**
   * Height in pixels when the layout sets none.
   * @default 450
   */
  height?: number;
}

// ---------------------------------------------------------------- text

/** Escapes text for SVG/XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

/** The tags of plotly's text subset (other `<...>` text is shown literally, as plotly does). */
const PLOTLY_TAGS = /<\/?(?:b|i|em|strong|sup|sub|span|a|s|u)\b[^>]*>/gi;

/**
 * Plotly's HTML-like label text as plain lines: `<br>` splits lines, the
 * tags of plotly's subset (`<b>`, `<span style>`, ...) are dropped,
 * entities decoded.
 */
export function plainTextLines(text: string): string[] {
  return text.split(/<br\s*\/?>/i).map((line) =>
    line.replace(PLOTLY_TAGS, "")
      .replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"')
      .replaceAll("&#39;", "'").replaceAll("&amp;", "&")
  );
}

function fmt(v: number): string {
  return (Math.round(v * 100) / 100).toString();
}

function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

// ---------------------------------------------------------------- colours

function parseColor(color: string): [number, number, number] | null {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join("") : hex[1];
    return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
  }
  const rgb = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)/i.exec(color.trim());
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : null;
}

function toHex([r, g, b]: [number, number, number]): string {
  return "#" + [r, g, b].map((c) => Math.round(c).toString(16).padStart(2, "0")).join("");
}

const DEFAULT_SCALE: [number, string][] = [[0, "#440154"], [0.5, "#21918c"], [1, "#fde725"]];

/** The colour at fraction `t` of a plotly colour scale (`[position, colour]` stops). */
export function colorAt(scale: readonly [number, string][], t: number): string {
  const stops = scale.length > 0 ? scale : DEFAULT_SCALE;
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  for (let i = 1; i < stops.length; i++) {
    const [p0, c0] = stops[i - 1];
    const [p1, c1] = stops[i];
    if (u <= p1 || i === stops.length - 1) {
      const a = parseColor(c0);
      const b = parseColor(c1);
      if (!a || !b) return c1;
      const f = p1 === p0 ? 1 : Math.min(1, Math.max(0, (u - p0) / (p1 - p0)));
      return toHex([0, 1, 2].map((j) => a[j] + (b[j] - a[j]) * f) as [number, number, number]);
    }
  }
  return stops[stops.length - 1][1];
}

function isDark(color: string): boolean {
  const c = parseColor(color);
  return c !== null && 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] < 140;
}

// ---------------------------------------------------------------- axes

interface Axis {
  id: string; // "x", "x2", "y", ...
  letter: "x" | "y";
  spec: PlotlyAxis;
  type: "linear" | "log" | "category";
  categories: string[];
  min: number; // data units (log10 for log axes, index for categories)
  max: number;
  reversed: boolean;
  domain: [number, number];
  visible: boolean;
  pixel0: number; // pixel of `min` (before reversal)
  pixel1: number; // pixel of `max`
}

function layoutKey(id: string): string {
  return `${id[0]}axis${id.slice(1)}`;
}

function axisSpec(layout: PlotlyLayout, id: string): PlotlyAxis {
  return (layout[layoutKey(id)] as PlotlyAxis | undefined) ?? {};
}

function traceAxes(trace: PlotlyTrace): [string, string] {
  return [trace.xaxis ?? "x", trace.yaxis ?? "y"];
}

function isHorizontalBar(trace: PlotlyTrace): boolean {
  return trace.type === "bar" && trace.orientation === "h";
}

/** The values a trace places on its x (`"x"`) or y (`"y"`) axis. */
function axisValues(trace: PlotlyTrace, letter: "x" | "y"): PlotlyDatum[] {
  if (trace.type === "heatmap") {
    const z = trace.z ?? [];
    const given = letter === "x" ? trace.x : trace.y;
    if (given) return given;
    const n = letter === "x" ? Math.max(0, ...z.map((r) => r.length)) : z.length;
    return Array.from({ length: n }, (_, i) => i);
  }
  const own = letter === "x" ? trace.x : trace.y;
  if (own) return own;
  const other = letter === "x" ? trace.y : trace.x;
  return (other ?? []).map((_, i) => i);
}

function toNumber(v: PlotlyDatum | undefined): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

function buildAxis(id: string, layout: PlotlyLayout, traces: PlotlyTrace[]): Axis {
  const letter = id[0] as "x" | "y";
  const spec = axisSpec(layout, id);
  const mine = traces.filter((t) => traceAxes(t)[letter === "x" ? 0 : 1] === id);
  const values = mine.flatMap((t) => axisValues(t, letter));
  const hasStrings = values.some((v) => typeof v === "string" && toNumber(v) === null) ||
    mine.some((t) => t.type === "heatmap");
  const type = spec.type ?? (hasStrings ? "category" : "linear");
  const axis: Axis = {
    id,
    letter,
    spec,
    type,
    categories: [],
    min: 0,
    max: 1,
    reversed: spec.autorange === "reversed",
    domain: spec.domain ?? [0, 1],
    visible: spec.visible !== false,
    pixel0: 0,
    pixel1: 1,
  };
  if (type === "category") {
    const seen = new Set<string>();
    for (const v of values) {
      if (v === null) continue;
      const s = String(v);
      if (!seen.has(s)) {
        seen.add(s);
        axis.categories.push(s);
      }
    }
    axis.min = -0.5;
    axis.max = Math.max(0, axis.categories.length - 1) + 0.5;
    if (spec.range) [axis.min, axis.max] = spec.range;
    return axis;
  }
  if (spec.range) {
    [axis.min, axis.max] = spec.range;
    if (axis.min > axis.max) {
      [axis.min, axis.max] = [axis.max, axis.min];
      axis.reversed = !axis.reversed;
    }
    return axis;
  }
  let lo = Infinity;
  let hi = -Infinity;
  let hasBars = false;
  const take = (v: number | null): void => {
    if (v === null || (type === "log" && v <= 0)) return;
    const u = type === "log" ? Math.log10(v) : v;
    lo = Math.min(lo, u);
    hi = Math.max(hi, u);
  };
  for (const t of mine) {
    const vals = axisValues(t, letter).map(toNumber);
    const valueAxis = t.type === "bar" && (isHorizontalBar(t) ? letter === "x" : letter === "y");
    if (valueAxis) hasBars = true;
    const errors = letter === "y" && t.error_y?.visible ? t.error_y.array : null;
    vals.forEach((v, i) => {
      const e = errors ? toNumber(errors[i]) ?? 0 : 0;
      if (v === null) return;
      take(v - e);
      take(v + e);
    });
  }
  if (!Number.isFinite(lo)) [lo, hi] = type === "log" ? [0, 1] : [0, 1];
  const tozero = type !== "log" && (hasBars || spec.rangemode === "tozero");
  if (tozero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  if (hi - lo < 1e-12) {
    const d = Math.abs(hi) > 0 ? Math.abs(hi) * 0.5 : 1;
    lo -= d;
    hi += d;
  }
  const pad = (hi - lo) * (hasBars ? 0.08 : 0.06);
  axis.min = tozero && lo === 0 ? 0 : lo - pad;
  axis.max = tozero && hi === 0 ? 0 : hi + pad;
  if (type === "log" && hasBars) axis.min = Math.min(axis.min, -0.1);
  return axis;
}

/** Data value to the axis coordinate (log10 on log axes, index on category axes). */
function coordinate(axis: Axis, v: PlotlyDatum | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (axis.type === "category") {
    const i = axis.categories.indexOf(String(v));
    if (i >= 0) return i;
    return typeof v === "number" ? v : null;
  }
  const n = toNumber(v);
  if (n === null) return null;
  if (axis.type === "log") return n > 0 ? Math.log10(n) : null;
  return n;
}

function toPixel(axis: Axis, c: number): number {
  let f = (c - axis.min) / (axis.max - axis.min || 1);
  if (axis.reversed) f = 1 - f;
  return axis.pixel0 + (axis.pixel1 - axis.pixel0) * f;
}

function pixelOf(axis: Axis, v: PlotlyDatum | undefined): number | null {
  const c = coordinate(axis, v);
  return c === null ? null : toPixel(axis, c);
}

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3 ? 2 : m < 7 ? 5 : 10) * p;
}

function formatNumber(v: number, step: number): string {
  if (Math.abs(v) < step * 1e-6) return "0";
  if (Math.abs(v) >= 1e6 && step >= 1e5) return `${fmt(v / 1e6)}M`;
  if (Math.abs(v) >= 1e4 && step >= 1e3) return `${fmt(v / 1e3)}k`;
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return v.toFixed(decimals);
}

interface Tick {
  at: number; // axis coordinate
  label: string;
}

function ticksOf(axis: Axis): Tick[] {
  const { spec } = axis;
  if (spec.tickvals) {
    return spec.tickvals.flatMap((v, i) => {
      const c = coordinate(axis, v);
      if (c === null) return [];
      const label = spec.ticktext?.[i] ?? String(v);
      return [{ at: c, label }];
    });
  }
  const length = Math.abs(axis.pixel1 - axis.pixel0);
  if (axis.type === "category") {
    const every = Math.max(1, Math.ceil(axis.categories.length / Math.max(1, length / 14)));
    return axis.categories.flatMap((c, i) => i % every === 0 ? [{ at: i, label: c }] : []);
  }
  const count = Math.max(2, Math.floor(length / (axis.letter === "x" ? 90 : 45)));
  if (axis.type === "log") {
    const out: Tick[] = [];
    for (let e = Math.ceil(axis.min - 1e-9); e <= axis.max + 1e-9; e++) {
      for (const m of [1, 2, 5]) {
        const at = e + Math.log10(m);
        if (at < axis.min - 1e-9 || at > axis.max + 1e-9) continue;
        if (m !== 1 && axis.max - axis.min > 2.5) continue;
        const v = m * Math.pow(10, e);
        out.push({ at, label: formatNumber(v, Math.min(1, v)) });
      }
    }
    return out;
  }
  const dtick = typeof spec.dtick === "number" && spec.dtick > 0 ? spec.dtick : null;
  let step = dtick ?? niceStep(axis.max - axis.min, count);
  if (spec.tickformat === "d" || spec.tickformat === ",d") step = Math.max(1, Math.round(step));
  const out: Tick[] = [];
  for (let v = Math.ceil(axis.min / step - 1e-9) * step; v <= axis.max + step * 1e-9; v += step) {
    out.push({ at: v, label: formatNumber(v, step) });
    if (out.length > 200) break;
  }
  return out;
}

// ---------------------------------------------------------------- drawing helpers

interface Frame {
  x0: number; // plotting area in pixels
  x1: number;
  y0: number; // top
  y1: number; // bottom
}

const DASHES: Record<string, string> = {
  dash: "6,4",
  dot: "2,3",
  dashdot: "6,3,2,3",
  longdash: "10,4",
};

function dashAttr(dash: string | undefined): string {
  const d = dash ? DASHES[dash] : undefined;
  return d ? ` stroke-dasharray="${d}"` : "";
}

function pick<T>(value: T | T[] | undefined, i: number, fallback: T): T {
  if (Array.isArray(value)) return value[i] ?? fallback;
  return value ?? fallback;
}

function textElement(
  x: number,
  y: number,
  text: string,
  attrs: { size?: number; anchor?: string; color?: string; weight?: string; rotate?: number } = {},
): string {
  const lines = plainTextLines(text);
  const size = attrs.size ?? 12;
  const rotate = attrs.rotate
    ? ` transform="rotate(${fmt(attrs.rotate)} ${fmt(x)} ${fmt(y)})"`
    : "";
  // Plotly's markup, approximated for the whole text: <b> makes it bold, a
  // <span style="color:..."> colours it.
  const weight = attrs.weight ?? (/<b>/i.test(text) ? "bold" : undefined);
  const color = /<span[^>]*style="[^"]*color:\s*(#[0-9a-f]{3,6})/i.exec(text)?.[1] ?? attrs.color;
  const common = `font-size="${size}" text-anchor="${attrs.anchor ?? "middle"}"` +
    (color ? ` fill="${escapeXml(color)}"` : "") +
    (weight ? ` font-weight="${weight}"` : "") + rotate;
  if (lines.length === 1) {
    return `<text x="${fmt(x)}" y="${fmt(y)}" ${common}>${escapeXml(lines[0])}</text>`;
  }
  const spans = lines.map((line, i) =>
    `<tspan x="${fmt(x)}" dy="${i === 0 ? 0 : fmt(size * 1.2)}">${escapeXml(line)}</tspan>`
  ).join("");
  return `<text x="${fmt(x)}" y="${fmt(y)}" ${common}>${spans}</text>`;
}

function starPoints(cx: number, cy: number, r: number): string {
  const pts: string[] = [];
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const rr = i % 2 === 0 ? r : r * 0.45;
    pts.push(`${fmt(cx + rr * Math.cos(a))},${fmt(cy + rr * Math.sin(a))}`);
  }
  return pts.join(" ");
}

function marker(
  cx: number,
  cy: number,
  size: number,
  symbol: string,
  color: string,
  opacity: number,
): string {
  const open = symbol.endsWith("-open");
  const fill = open ? "none" : escapeXml(color);
  const stroke = open ? ` stroke="${escapeXml(color)}" stroke-width="2"` : "";
  const op = opacity < 1 ? ` fill-opacity="${fmt(opacity)}"` : "";
  const r = size / 2;
  if (symbol.startsWith("star")) {
    return `<polygon points="${starPoints(cx, cy, r * 1.25)}" fill="${fill}"${stroke}${op}/>`;
  }
  if (symbol.startsWith("square")) {
    return `<rect x="${fmt(cx - r)}" y="${fmt(cy - r)}" width="${fmt(size)}" height="${
      fmt(size)
    }" fill="${fill}"${stroke}${op}/>`;
  }
  if (symbol.startsWith("diamond")) {
    const p = `${fmt(cx)},${fmt(cy - r)} ${fmt(cx + r)},${fmt(cy)} ${fmt(cx)},${fmt(cy + r)} ${
      fmt(cx - r)
    },${fmt(cy)}`;
    return `<polygon points="${p}" fill="${fill}"${stroke}${op}/>`;
  }
  return `<circle cx="${fmt(cx)}" cy="${fmt(cy)}" r="${fmt(r)}" fill="${fill}"${stroke}${op}/>`;
}

function traceColor(trace: PlotlyTrace, fallback: string): string {
  const m = trace.marker?.color;
  return trace.line?.color ?? (typeof m === "string" ? m : undefined) ?? fallback;
}

// ---------------------------------------------------------------- traces

interface Context {
  axes: Map<string, Axis>;
  frame: Frame;
  layout: PlotlyLayout;
  clipId: (xa: string, ya: string) => string;
}

const FALLBACK_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];

function errorBars(
  trace: PlotlyTrace,
  xs: (number | null)[],
  ya: Axis,
  color: string,
): string {
  const err = trace.error_y;
  if (!err?.visible) return "";
  const yv = trace.y ?? [];
  const cap = (typeof err.width === "number" ? err.width : 4) as number;
  const stroke = typeof err.color === "string" ? err.color : color;
  let out = "";
  xs.forEach((x, i) => {
    const v = toNumber(yv[i]);
    const e = toNumber(err.array[i]);
    if (x === null || v === null || e === null || e <= 0) return;
    const top = pixelOf(ya, v + e);
    const bottom = pixelOf(ya, v - e);
    if (top === null || bottom === null) return;
    out +=
      `<path d="M${fmt(x)},${fmt(top)}V${fmt(bottom)}M${fmt(x - cap)},${fmt(top)}H${fmt(x + cap)}` +
      `M${fmt(x - cap)},${fmt(bottom)}H${fmt(x + cap)}" stroke="${
        escapeXml(stroke)
      }" stroke-width="1.2" fill="none"/>`;
  });
  return out;
}

function drawScatter(trace: PlotlyTrace, ctx: Context, index: number): string {
  const [xid, yid] = traceAxes(trace);
  const xa = ctx.axes.get(xid) as Axis;
  const ya = ctx.axes.get(yid) as Axis;
  const xv = axisValues(trace, "x");
  const yv = axisValues(trace, "y");
  const n = Math.min(xv.length, yv.length);
  const color = traceColor(trace, FALLBACK_COLORS[index % FALLBACK_COLORS.length]);
  const mode = trace.mode ?? (n <= 20 ? "lines+markers" : "lines");
  const xs: (number | null)[] = [];
  const ys: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    xs.push(pixelOf(xa, xv[i]));
    ys.push(pixelOf(ya, yv[i]));
  }
  let body = "";
  if (mode.includes("lines")) {
    let d = "";
    let pen = false;
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      const y = ys[i];
      if (x === null || y === null) {
        pen = false;
        continue;
      }
      d += `${pen ? "L" : "M"}${fmt(x)},${fmt(y)}`;
      pen = true;
    }
    const width = trace.line?.width ?? 2;
    if (d) {
      body +=
        `<path d="${d}" fill="none" stroke="${escapeXml(color)}" stroke-width="${fmt(width)}"` +
        `${dashAttr(trace.line?.dash)} stroke-linejoin="round"/>`;
    }
  }
  body += errorBars(trace, xs, ya, color);
  if (mode.includes("markers")) {
    const m = trace.marker ?? {};
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      const y = ys[i];
      if (x === null || y === null) continue;
      const c = pick(m.color, i, color);
      body += marker(x, y, pick(m.size, i, 6), m.symbol ?? "circle", c, m.opacity ?? 1);
    }
  }
  if (mode.includes("text")) {
    const texts = trace.text;
    const position = trace.textposition ?? "middle center";
    const font = (trace.textfont ?? {}) as { size?: number; color?: string };
    const size = font.size ?? 12;
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      const y = ys[i];
      const t = Array.isArray(texts) ? texts[i] : texts;
      if (x === null || y === null || typeof t !== "string" || t === "") continue;
      let tx = x;
      let ty = y + size * 0.35;
      let anchor = "middle";
      if (position.includes("left")) [tx, anchor] = [x - 3, "end"];
      if (position.includes("right")) [tx, anchor] = [x + 3, "start"];
      if (position.startsWith("top")) ty = y - 5;
      if (position.startsWith("bottom")) ty = y + size + 3;
      body += textElement(tx, ty, t, { size, anchor, color: font.color });
    }
  }
  const clip = trace.cliponaxis === false || mode === "text"
    ? ""
    : ` clip-path="url(#${ctx.clipId(xid, yid)})"`;
  return `<g class="fallback-scatter"${clip}>${body}</g>`;
}

function drawBars(traces: { trace: PlotlyTrace; index: number }[], ctx: Context): string {
  const gap = typeof ctx.layout.bargap === "number" ? ctx.layout.bargap : 0.2;
  const mode = ctx.layout.barmode ?? "group";
  const groups = mode === "group" ? traces.length : 1;
  let out = "";
  traces.forEach(({ trace, index }, slot) => {
    const horizontal = isHorizontalBar(trace);
    const [xid, yid] = traceAxes(trace);
    const xa = ctx.axes.get(xid) as Axis;
    const ya = ctx.axes.get(yid) as Axis;
    const [posAxis, valAxis] = horizontal ? [ya, xa] : [xa, ya];
    const positions = axisValues(trace, horizontal ? "y" : "x");
    const values = axisValues(trace, horizontal ? "x" : "y");
    const numericPositions = positions.map((p) => coordinate(posAxis, p)).filter((p): p is number =>
      p !== null
    ).sort((a, b) => a - b);
    let unit = Infinity;
    for (let i = 1; i < numericPositions.length; i++) {
      const d = numericPositions[i] - numericPositions[i - 1];
      if (d > 0) unit = Math.min(unit, d);
    }
    if (!Number.isFinite(unit)) unit = 1;
    const band = unit * (1 - gap);
    const width = band / groups;
    const offset = mode === "group" ? -band / 2 + width * slot : -band / 2;
    const base = valAxis.type === "log" ? valAxis.min : 0;
    const fallback = FALLBACK_COLORS[index % FALLBACK_COLORS.length];
    const color = trace.marker?.color;
    const texts = trace.text;
    let body = "";
    positions.forEach((p, i) => {
      const c = coordinate(posAxis, p);
      const v = coordinate(valAxis, values[i]);
      if (c === null || v === null) return;
      const a = toPixel(posAxis, c + offset);
      const b = toPixel(posAxis, c + offset + width);
      const from = toPixel(valAxis, base);
      const to = toPixel(valAxis, v);
      const fill = escapeXml(pick(color, i, fallback));
      const [rx, ry, rw, rh] = horizontal
        ? [Math.min(from, to), Math.min(a, b), Math.abs(to - from), Math.abs(b - a)]
        : [Math.min(a, b), Math.min(from, to), Math.abs(b - a), Math.abs(to - from)];
      body += `<rect class="bar" x="${fmt(rx)}" y="${fmt(ry)}" width="${fmt(rw)}" height="${
        fmt(rh)
      }" fill="${fill}"/>`;
      const t = Array.isArray(texts) ? texts[i] : texts;
      if (typeof t === "string" && t !== "" && trace.textposition === "outside") {
        const mid = (a + b) / 2;
        body += horizontal
          ? textElement(Math.max(from, to) + 4, mid + 4, t, { size: 11, anchor: "start" })
          : textElement(mid, Math.min(from, to) - 4, t, { size: 11 });
      }
    });
    if (!horizontal) {
      const centers = positions.map((p) => {
        const c = coordinate(posAxis, p);
        return c === null ? null : toPixel(posAxis, c + offset + width / 2);
      });
      body += errorBars(trace, centers, valAxis, "#333333");
    }
    out += `<g class="fallback-bars" clip-path="url(#${ctx.clipId(xid, yid)})">${body}</g>`;
  });
  return out;
}

function drawHeatmap(trace: PlotlyTrace, ctx: Context): string {
  const [xid, yid] = traceAxes(trace);
  const xa = ctx.axes.get(xid) as Axis;
  const ya = ctx.axes.get(yid) as Axis;
  const z = trace.z ?? [];
  const xs = axisValues(trace, "x");
  const ys = axisValues(trace, "y");
  const flat = z.flat().filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  const zmin = trace.zmin ?? Math.min(...flat);
  const zmax = trace.zmax ?? Math.max(...flat);
  const scale = trace.colorscale ?? DEFAULT_SCALE;
  const xgap = typeof trace.xgap === "number" ? trace.xgap : 0;
  const ygap = typeof trace.ygap === "number" ? trace.ygap : 0;
  const texts = Array.isArray(trace.text) ? trace.text as unknown[] : [];
  let body = "";
  z.forEach((row, r) => {
    row.forEach((v, c) => {
      if (v === null || !Number.isFinite(v)) return;
      const cx = coordinate(xa, xs[c]);
      const cy = coordinate(ya, ys[r]);
      if (cx === null || cy === null) return;
      const xA = toPixel(xa, cx - 0.5);
      const xB = toPixel(xa, cx + 0.5);
      const yA = toPixel(ya, cy - 0.5);
      const yB = toPixel(ya, cy + 0.5);
      const fill = colorAt(scale, (v - zmin) / (zmax - zmin || 1));
      const w = Math.max(0, Math.abs(xB - xA) - xgap);
      const h = Math.max(0, Math.abs(yB - yA) - ygap);
      const left = Math.min(xA, xB) + xgap / 2;
      const top = Math.min(yA, yB) + ygap / 2;
      body += `<rect class="cell" x="${fmt(left)}" y="${fmt(top)}" width="${fmt(w)}" height="${
        fmt(h)
      }" fill="${fill}"/>`;
      const rowText = texts[r];
      const t = Array.isArray(rowText) ? rowText[c] : undefined;
      if (typeof t === "string" && t !== "") {
        body += textElement(left + w / 2, top + h / 2 + 4, t, {
          size: 11,
          color: isDark(fill) ? "#ffffff" : "#222222",
        });
      }
    });
  });
  return `<g class="fallback-heatmap" clip-path="url(#${ctx.clipId(xid, yid)})">${body}</g>`;
}

// ---------------------------------------------------------------- shapes, annotations

function refPixel(
  ctx: Context,
  letter: "x" | "y",
  ref: string | undefined,
  v: PlotlyDatum,
): number | null {
  const { frame } = ctx;
  const r = ref ?? (letter === "x" ? "x" : "y");
  if (r === "paper") {
    const n = toNumber(v);
    if (n === null) return null;
    return letter === "x"
      ? frame.x0 + (frame.x1 - frame.x0) * n
      : frame.y1 - (frame.y1 - frame.y0) * n;
  }
  const domain = r.endsWith(" domain");
  const axis = ctx.axes.get(domain ? r.slice(0, -" domain".length) : r);
  if (!axis) return null;
  if (domain) {
    const n = toNumber(v);
    if (n === null) return null;
    const [p0, p1] = [axis.pixel0, axis.pixel1];
    return p0 + (p1 - p0) * n;
  }
  return pixelOf(axis, v);
}

function drawShape(shape: PlotlyShape, ctx: Context): string {
  const x0 = refPixel(ctx, "x", shape.xref, shape.x0);
  const x1 = refPixel(ctx, "x", shape.xref, shape.x1);
  const y0 = refPixel(ctx, "y", shape.yref, shape.y0);
  const y1 = refPixel(ctx, "y", shape.yref, shape.y1);
  if (x0 === null || x1 === null || y0 === null || y1 === null) return "";
  const color = escapeXml(shape.line?.color ?? "#444444");
  const width = shape.line?.width ?? 2;
  const dash = dashAttr(shape.line?.dash);
  if (shape.type === "rect") {
    const fill = shape.fillcolor ? escapeXml(shape.fillcolor) : "none";
    return `<rect class="shape" x="${fmt(Math.min(x0, x1))}" y="${fmt(Math.min(y0, y1))}" width="${
      fmt(Math.abs(x1 - x0))
    }" height="${fmt(Math.abs(y1 - y0))}" fill="${fill}" stroke="${color}" stroke-width="${
      fmt(width)
    }"${dash}/>`;
  }
  return `<path class="shape" d="M${fmt(x0)},${fmt(y0)}L${fmt(x1)},${
    fmt(y1)
  }" stroke="${color}" stroke-width="${fmt(width)}"${dash}/>`;
}

function drawAnnotation(a: PlotlyAnnotation, ctx: Context): string {
  const x = refPixel(ctx, "x", a.xref, a.x);
  const y = refPixel(ctx, "y", a.yref, a.y);
  if (x === null || y === null) return "";
  const size = a.font?.size ?? 12;
  const lines = plainTextLines(a.text).length;
  const xs = typeof a.xshift === "number" ? a.xshift : 0;
  const ys = typeof a.yshift === "number" ? a.yshift : 0;
  const anchor = a.xanchor === "left" ? "start" : a.xanchor === "right" ? "end" : "middle";
  const height = size * 1.2 * lines;
  let top = y - ys - height / 2;
  if (a.yanchor === "bottom") top = y - ys - height;
  if (a.yanchor === "top") top = y - ys;
  return textElement(x + xs, top + size, a.text, {
    size,
    anchor,
    color: a.font?.color,
  });
}

// ---------------------------------------------------------------- axes drawing

function drawAxis(axis: Axis, ctx: Context): { grid: string; lines: string } {
  if (!axis.visible) return { grid: "", lines: "" };
  const anchorId = typeof axis.spec.anchor === "string" && axis.spec.anchor !== "free"
    ? axis.spec.anchor
    : (axis.letter === "x" ? "y" : "x") + axis.id.slice(1);
  const other = ctx.axes.get(anchorId);
  const { frame } = ctx;
  const crossStart = other
    ? Math.min(other.pixel0, other.pixel1)
    : (axis.letter === "x" ? frame.y0 : frame.x0);
  const crossEnd = other
    ? Math.max(other.pixel0, other.pixel1)
    : (axis.letter === "x" ? frame.y1 : frame.x1);
  const ticks = ticksOf(axis).filter((t) => t.at >= axis.min - 1e-9 && t.at <= axis.max + 1e-9);
  const showGrid = axis.spec.showgrid ?? axis.type !== "category";
  const gridColor = escapeXml(
    typeof axis.spec.gridcolor === "string" ? axis.spec.gridcolor : "#e6e6e6",
  );
  let grid = "";
  let lines = "";
  const angle = typeof axis.spec.tickangle === "number" ? axis.spec.tickangle : 0;
  let labelExtent = 0;
  for (const t of ticks) {
    const p = toPixel(axis, t.at);
    const label = t.label;
    const plain = plainTextLines(label).join(" ");
    if (axis.letter === "x") {
      if (showGrid) {
        grid += `<path d="M${fmt(p)},${fmt(crossStart)}V${fmt(crossEnd)}" stroke="${gridColor}"/>`;
      }
      lines += `<path d="M${fmt(p)},${fmt(crossEnd)}v4" stroke="#888888"/>`;
      if (angle !== 0) {
        lines += textElement(p, crossEnd + 14, label, {
          size: 11,
          anchor: "end",
          rotate: angle,
          color: "#444444",
        });
        labelExtent = Math.max(
          labelExtent,
          plain.length * 6 * Math.abs(Math.sin((angle * Math.PI) / 180)),
        );
      } else {
        lines += textElement(p, crossEnd + 17, label, { size: 11, color: "#444444" });
      }
    } else {
      if (showGrid) {
        grid += `<path d="M${fmt(crossStart)},${fmt(p)}H${fmt(crossEnd)}" stroke="${gridColor}"/>`;
      }
      lines += `<path d="M${fmt(crossStart)},${fmt(p)}h-4" stroke="#888888"/>`;
      lines += textElement(crossStart - 7, p + 4, label, {
        size: 11,
        anchor: "end",
        color: "#444444",
      });
      labelExtent = Math.max(labelExtent, plain.length * 6.2);
    }
  }
  if (axis.spec.showline !== false) {
    lines += axis.letter === "x"
      ? `<path d="M${fmt(axis.pixel0)},${fmt(crossEnd)}H${fmt(axis.pixel1)}" stroke="#888888"/>`
      : `<path d="M${fmt(crossStart)},${fmt(axis.pixel0)}V${fmt(axis.pixel1)}" stroke="#888888"/>`;
  }
  const title = axis.spec.title?.text;
  if (title) {
    const mid = (axis.pixel0 + axis.pixel1) / 2;
    lines += axis.letter === "x"
      ? textElement(mid, crossEnd + 38 + labelExtent, title, { size: 13 })
      : textElement(crossStart - 16 - labelExtent, mid, title, { size: 13, rotate: -90 });
  }
  return { grid, lines };
}

// ---------------------------------------------------------------- legend

interface LegendEntry {
  name: string; // plotly text
  plain: string; // its plain text, for widths
  color: string;
  kind: "line" | "box" | "marker";
  dash?: string;
}

function legendEntries(traces: PlotlyTrace[], layout: PlotlyLayout): LegendEntry[] {
  const shown = traces.filter((t) => t.visible !== false && t.type !== "heatmap");
  if (layout.showlegend === false) return [];
  const explicit = layout.showlegend === true;
  const candidates = shown.filter((t) => t.showlegend !== false && t.name);
  if (!explicit && candidates.length < 2) return [];
  const seen = new Set<string>();
  const out: LegendEntry[] = [];
  candidates.forEach((t, i) => {
    const key = `${t.legendgroup ?? ""}\u0000${t.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    const color = traceColor(t, FALLBACK_COLORS[i % FALLBACK_COLORS.length]);
    const kind = t.type === "bar"
      ? "box"
      : (t.mode ?? "lines").includes("lines")
      ? "line"
      : "marker";
    const name = t.name as string;
    out.push({ name, plain: plainTextLines(name).join(" "), color, kind, dash: t.line?.dash });
  });
  return out;
}

function drawLegend(
  entries: LegendEntry[],
  width: number,
  top: number,
): { svg: string; height: number } {
  if (entries.length === 0) return { svg: "", height: 0 };
  let x = 16;
  let y = top + 14;
  let svg = "";
  for (const e of entries) {
    const w = 34 + e.plain.length * 6.6 + 16;
    if (x + w > width - 10 && x > 16) {
      x = 16;
      y += 20;
    }
    const c = escapeXml(e.color);
    if (e.kind === "line") {
      svg += `<path d="M${fmt(x)},${fmt(y - 4)}h24" stroke="${c}" stroke-width="2.5"${
        dashAttr(e.dash)
      }/>`;
    } else if (e.kind === "box") {
      svg += `<rect x="${fmt(x + 6)}" y="${fmt(y - 10)}" width="12" height="12" fill="${c}"/>`;
    } else {
      svg += `<circle cx="${fmt(x + 12)}" cy="${fmt(y - 4)}" r="4" fill="${c}"/>`;
    }
    svg += textElement(x + 30, y, e.name, { size: 12, anchor: "start" });
    x += w;
  }
  return { svg, height: y - top + 12 };
}

// ---------------------------------------------------------------- figure

function axisIds(layout: PlotlyLayout, traces: PlotlyTrace[]): string[] {
  const ids = new Set<string>();
  for (const t of traces) for (const id of traceAxes(t)) ids.add(id);
  for (const key of Object.keys(layout)) {
    const m = /^([xy])axis(\d*)$/.exec(key);
    if (m) ids.add(m[1] + m[2]);
  }
  if (ids.size === 0) ["x", "y"].forEach((id) => ids.add(id));
  return [...ids];
}

function estimateMargins(layout: PlotlyLayout, axes: Axis[]): Frame & { r: number; b: number } {
  const m = layout.margin ?? {};
  let l = m.l ?? 80;
  let b = m.b ?? 80;
  const t = m.t ?? 100;
  const r = m.r ?? 80;
  for (const axis of axes) {
    if (!axis.visible) continue;
    if (
      axis.letter === "y" && axis.domain[0] === 0 || axis.letter === "y" && axis.type === "category"
    ) {
      const longest = Math.max(0, ...ticksOfLabels(axis));
      l = Math.max(l, longest * 6.2 + 16 + (axis.spec.title?.text ? 22 : 0));
    }
    if (
      axis.letter === "x" && typeof axis.spec.tickangle === "number" && axis.spec.tickangle !== 0
    ) {
      const longest = Math.max(0, ...ticksOfLabels(axis));
      b = Math.max(b, longest * 6 * Math.abs(Math.sin((axis.spec.tickangle * Math.PI) / 180)) + 30);
    }
  }
  return { x0: l, x1: 0, y0: t, y1: 0, r, b };
}

function ticksOfLabels(axis: Axis): number[] {
  if (axis.spec.ticktext) return axis.spec.ticktext.map((s) => plainTextLines(s).join(" ").length);
  if (axis.type === "category") {
    return axis.categories.map((s) => plainTextLines(s).join(" ").length);
  }
  return [6];
}

/**
 * Renders `figure` as a standalone static SVG document fragment (`<svg>...</svg>`).
 * Approximate by design: it is a fallback for viewers that cannot run plotly.js.
 *
 * @example
 * ```ts
 * import { figureToSvg } from "./static_svg.ts";
 * const svg = figureToSvg({ data: [{ type: "bar", x: ["a", "b"], y: [1, 2] }], layout: {} });
 * ```
 */
export function figureToSvg(figure: PlotlyFigure, options: StaticSvgOptions = {}): string {
  const { layout } = figure;
  const traces = figure.data.filter((t) => t.visible !== false && t.visible !== "legendonly");
  const width = layout.width ?? options.width ?? 800;
  const height = layout.height ?? options.height ?? 450;
  const axes = new Map<string, Axis>();
  for (const id of axisIds(layout, traces)) axes.set(id, buildAxis(id, layout, traces));
  const margins = estimateMargins(layout, [...axes.values()]);
  const frame: Frame = {
    x0: margins.x0,
    x1: Math.max(margins.x0 + 50, width - margins.r),
    y0: margins.y0,
    y1: Math.max(margins.y0 + 50, height - margins.b),
  };
  for (const axis of axes.values()) {
    const [d0, d1] = axis.domain;
    if (axis.letter === "x") {
      axis.pixel0 = frame.x0 + (frame.x1 - frame.x0) * d0;
      axis.pixel1 = frame.x0 + (frame.x1 - frame.x0) * d1;
    } else {
      axis.pixel0 = frame.y1 - (frame.y1 - frame.y0) * d0;
      axis.pixel1 = frame.y1 - (frame.y1 - frame.y0) * d1;
    }
  }
  const prefix = `drex-svg-${hash(JSON.stringify(figure))}`;
  const clips = new Map<string, string>();
  const ctx: Context = {
    axes,
    frame,
    layout,
    clipId: (xa, ya) => {
      const key = `${xa}${ya}`;
      if (!clips.has(key)) clips.set(key, `${prefix}-clip-${key}`);
      return clips.get(key) as string;
    },
  };

  let grid = "";
  let axisLines = "";
  for (const axis of axes.values()) {
    const drawn = drawAxis(axis, ctx);
    grid += drawn.grid;
    axisLines += drawn.lines;
  }
  let plots = "";
  const barGroups = new Map<string, { trace: PlotlyTrace; index: number }[]>();
  traces.forEach((trace, index) => {
    if (trace.type === "bar") {
      const key = traceAxes(trace).join("/");
      const list = barGroups.get(key) ?? [];
      list.push({ trace, index });
      barGroups.set(key, list);
    }
  });
  const drawnBars = new Set<string>();
  traces.forEach((trace, index) => {
    if (trace.type === "heatmap") plots += drawHeatmap(trace, ctx);
    else if (trace.type === "bar") {
      const key = traceAxes(trace).join("/");
      if (!drawnBars.has(key)) {
        drawnBars.add(key);
        plots += drawBars(barGroups.get(key) ?? [], ctx);
      }
    } else plots += drawScatter(trace, ctx, index);
  });
  const shapes = (layout.shapes ?? []).map((s) => drawShape(s, ctx)).join("");
  const annotations = (layout.annotations ?? []).map((a) => drawAnnotation(a, ctx)).join("");
  const titleText = layout.title?.text ?? "";
  const title = titleText
    ? textElement(16, 30, titleText, { size: 17, anchor: "start", weight: "bold" })
    : "";
  const legend = drawLegend(legendEntries(figure.data, layout), width, height);
  const totalHeight = Math.ceil(height + legend.height + (legend.height > 0 ? 6 : 0));

  let defs = "";
  for (const [key, id] of clips) {
    const [xa, ya] = [axes.get(key.replace(/y.*$/, "")), axes.get(key.replace(/^x\d*/, ""))];
    if (!xa || !ya) continue;
    const x = Math.min(xa.pixel0, xa.pixel1);
    const y = Math.min(ya.pixel0, ya.pixel1);
    defs += `<clipPath id="${id}"><rect x="${fmt(x - 2)}" y="${fmt(y - 2)}" width="${
      fmt(Math.abs(xa.pixel1 - xa.pixel0) + 4)
    }" height="${fmt(Math.abs(ya.pixel1 - ya.pixel0) + 4)}"/></clipPath>`;
  }
  const font = (layout.font ?? {}) as { family?: string; color?: string };
  const family = escapeXml(font.family ?? "sans-serif");
  const ink = escapeXml(font.color ?? "#2a2a2a");
  const bg = escapeXml(typeof layout.paper_bgcolor === "string" ? layout.paper_bgcolor : "#ffffff");
  return `<svg xmlns="http://www.w3.org/2000/svg" class="drex-static-figure" width="${width}" height="${totalHeight}" ` +
    `viewBox="0 0 ${width} ${totalHeight}" role="img" aria-label="${
      escapeXml(plainTextLines(titleText).join(" "))
    }" ` +
    `font-family="${family}" fill="${ink}">` +
    `<defs>${defs}</defs>` +
    `<rect width="${width}" height="${totalHeight}" fill="${bg}"/>` +
    `<g class="grid">${grid}</g><g class="plots">${plots}</g><g class="shapes">${shapes}</g>` +
    `<g class="axes">${axisLines}</g><g class="annotations">${annotations}</g>${title}` +
    `<g class="legend">${legend.svg}</g></svg>`;
}
