import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertStringIncludes,
} from "./support/assert.ts";
import type { EvaluationResult, MetricsAtK, ProtocolMetrics } from "../lib/metrics/evaluate.ts";
import {
  metricAtKFigure,
  metricAtKGridFigure,
  protocolsPresent,
  RANKING_METRICS,
} from "../lib/plots/metric_at_k.ts";

const KS = [1, 5, 10];

function atK(base: number): MetricsAtK {
  return Object.fromEntries(KS.map((k) => [k, base + k / 100]));
}

function protocol(base: number): ProtocolMetrics {
  return {
    users: 10,
    usersWithRelevant: 8,
    ndcg: atK(base),
    precision: atK(base / 2),
    recall: atK(base / 3),
    f1: atK(base / 4),
    hitRate: atK(base / 5),
  };
}

function result(base: number, full = true): EvaluationResult {
  return {
    mae: 0.8,
    rmse: 1,
    ratedTestInteractions: 50,
    ranking: { "test-items": protocol(base), ...(full ? { full: protocol(base / 10) } : {}) },
  };
}

function assertPlainJson(value: unknown): void {
  assertEquals(
    JSON.parse(JSON.stringify(value)),
    value,
    "figure must be plain JSON (no NaN, undefined)",
  );
}

Deno.test("metricAtKFigure: one line per model, values at every k, the protocol in the title", () => {
  const fig = metricAtKFigure({ A: result(0.5), B: result(0.3) }, "ndcg", "test-items");
  assertPlainJson(fig);
  assertStringIncludes(fig.layout.title?.text ?? "", 'NDCG@k, protocol "test-items"');
  assertEquals(fig.data.map((t) => t.name), ["A", "B"]);
  assertEquals(fig.data[0].x, KS);
  assertEquals(fig.data[1].y, [0.31, 0.35, 0.4]);
  assertEquals(fig.layout.xaxis?.tickvals, KS);
  assert(fig.data.every((t) => t.error_y === undefined), "single runs have no error bars");
});

Deno.test("metricAtKFigure: several runs give the mean with a standard-deviation error bar", () => {
  const fig = metricAtKFigure({ A: [result(0.4), result(0.6)] }, "precision", "full");
  const [trace] = fig.data;
  assertAlmostEquals(trace.y?.[0] as number, 0.025 + 0.01);
  assertEquals(trace.error_y?.visible, true);
  assertAlmostEquals(trace.error_y?.array[0] as number, Math.SQRT2 * 0.005, 1e-12);
  assertStringIncludes(trace.hovertemplate as string, "mean of 2 runs");
});

Deno.test("metricAtKFigure skips models without the protocol and notes an empty figure", () => {
  const evaluations = { A: result(0.5, false), B: result(0.4) };
  assertEquals(metricAtKFigure(evaluations, "recall", "full").data.map((t) => t.name), ["B"]);
  const empty = metricAtKFigure({ A: result(0.5, false) }, "recall", "full");
  assertEquals(empty.data.length, 0);
  assertStringIncludes(empty.layout.annotations?.[0].text ?? "", "no");
});

Deno.test("metricAtKGridFigure lays out every metric x protocol with one legend entry per model", () => {
  const evaluations = { A: result(0.5), B: result(0.4), C: result(0.3, false) };
  assertEquals(protocolsPresent(evaluations), ["test-items", "full"]);
  const fig = metricAtKGridFigure(evaluations);
  assertPlainJson(fig);
  // 5 metrics x (3 models on test-items + 2 on full).
  assertEquals(fig.data.length, RANKING_METRICS.length * 5);
  assertEquals(new Set(fig.data.map((t) => `${t.xaxis}/${t.yaxis}`)).size, 10);
  assertEquals(fig.data.filter((t) => t.showlegend).map((t) => t.name), ["A", "B", "C"]);
  const titles = (fig.layout.annotations ?? []).map((a) => a.text);
  assert(titles.includes("<b>Hit rate@k, full</b>"), titles.join());
  assert("xaxis10" in fig.layout && "yaxis10" in fig.layout);
  // Same model, same colour in every cell.
  const colorsOfA = new Set(fig.data.filter((t) => t.name === "A").map((t) => t.line?.color));
  assertEquals(colorsOfA.size, 1);
});

Deno.test("metricAtKGridFigure drops absent protocols and honours the metric list", () => {
  const fig = metricAtKGridFigure({ A: result(0.5, false) }, { metrics: ["ndcg", "f1"] });
  assertEquals(fig.data.length, 2);
  assertEquals(fig.data.map((t) => t.xaxis), ["x", "x2"]);
  assert(!("xaxis3" in fig.layout));
});
