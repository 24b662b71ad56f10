import { assert, assertEquals, assertStringIncludes } from "./support/assert.ts";
import { computeStats, type SplitStats } from "../lib/data/stats.ts";
import type { Interaction } from "../lib/data/types.ts";
import {
  countBins,
  interactionCounts,
  interactionsPerEntityFigure,
  ratingHistogramFigure,
  splitCountsFigure,
} from "../lib/plots/dataset_stats.ts";

const interactions: Interaction[] = [
  { user: "u1", item: "a", rating: 5 },
  { user: "u1", item: "b", rating: 4 },
  { user: "u1", item: "c", rating: 5 },
  { user: "u2", item: "a", rating: 1 },
  { user: "u3", item: "a" },
];

Deno.test("countBins: unit bins for narrow spans, 1-2-3-5 bins beyond 10 for wide ones", () => {
  assertEquals(countBins([3, 3, 5]).map((b) => [b.label, b.entities]), [["3", 2], ["4", 0], [
    "5",
    1,
  ]]);
  const wide = countBins([1, 2, 12, 14, 19, 120], 30);
  assertEquals(wide[0], { low: 1, high: 1, label: "1", entities: 1 });
  const labels = wide.map((b) => b.label);
  assert(
    labels.includes("11–15") && labels.includes("16–20") && labels.includes("101–150"),
    labels.join(),
  );
  assertEquals(wide.reduce((s, b) => s + b.entities, 0), 6);
  assertEquals(wide[wide.length - 1].label, "101–150", "trailing empty bins are dropped");
  assertEquals(countBins([]), []);
});

Deno.test("interactionCounts counts per user and per item", () => {
  const { perUser, perItem } = interactionCounts(interactions);
  assertEquals(perUser, [3, 1, 1]);
  assertEquals(perItem, [3, 1, 1]);
});

Deno.test("ratingHistogramFigure: counts for one set, grouped shares for several", () => {
  const one = ratingHistogramFigure(computeStats(interactions));
  assertEquals(JSON.parse(JSON.stringify(one)), one);
  assertEquals(one.data.length, 1);
  assertEquals(one.data[0].x, ["1", "4", "5"]);
  assertEquals(one.data[0].y, [1, 1, 2]);
  assertEquals(one.layout.showlegend, false);
  const two = ratingHistogramFigure({
    train: computeStats(interactions),
    test: computeStats([{ user: "u", item: "i", rating: 2 }]),
  }, { share: true });
  assertEquals(two.data.map((t) => t.name), ["train", "test"]);
  assertEquals(two.data[1].x, ["1", "2", "4", "5"]);
  assertEquals(two.data[1].y, [0, 100, 0, 0]);
  assertEquals(two.data[0].y, [25, 0, 25, 50]);
  assertStringIncludes((two.layout.yaxis?.title?.text) ?? "", "%");
});

Deno.test("interactionsPerEntityFigure: two binned bar charts on log axes with summaries", () => {
  const fig = interactionsPerEntityFigure(interactions);
  assertEquals(JSON.parse(JSON.stringify(fig)), fig);
  assertEquals(fig.data.map((t) => [t.name, t.xaxis, t.x, t.y]), [
    ["users", "x", ["1", "2", "3"], [2, null, 1]],
    ["items", "x2", ["1", "2", "3"], [2, null, 1]],
  ]);
  assertEquals(fig.layout.yaxis?.type, "log");
  const notes = (fig.layout.annotations ?? []).map((a) => a.text).join(" | ");
  assertStringIncludes(notes, "3 users; min 1, median 1, mean 1.7, max 3");
  const linear = interactionsPerEntityFigure(interactions, { logCounts: false });
  assertEquals(linear.data[0].y, [2, 0, 1]);
});

Deno.test("splitCountsFigure: interactions, users and items per part", () => {
  const part = (xs: Interaction[]) => computeStats(xs);
  const stats: SplitStats = {
    all: part(interactions),
    train: part(interactions.slice(0, 3)),
    validation: part(interactions.slice(3, 4)),
    test: part(interactions.slice(4)),
  };
  const fig = splitCountsFigure(stats);
  assertEquals(fig.data.map((t) => t.y), [[3, 1, 1], [1, 1, 1], [3, 1, 1]]);
  assertEquals(fig.data[0].x, ["train", "validation", "test"]);
  assertEquals((fig.data[0].text as string[])[0], "3 (60.0%)");
  assertEquals(fig.data.map((t) => t.xaxis), ["x", "x2", "x3"]);
});
