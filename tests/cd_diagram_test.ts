import { assert, assertEquals, assertStringIncludes, assertThrows } from "./support/assert.ts";
import { cdCliques, cdDiagramFigure } from "../lib/plots/cd_diagram.ts";
import type { PlotlyTrace } from "../lib/plots/figure.ts";

Deno.test("cdCliques: maximal runs of models whose ranks span less than CD", () => {
  assertEquals(cdCliques([1, 1.5, 2.4, 4], 1), [[0, 1], [1, 2]]);
  assertEquals(cdCliques([1, 2, 3], 0.5), []);
  assertEquals(cdCliques([1, 1.2, 1.4], 5), [[0, 2]]);
  // Exactly CD apart is significant (Nemenyi: difference >= CD).
  assertEquals(cdCliques([1, 2], 1), []);
});

const input = {
  models: ["C", "A", "B", "D"],
  averageRanks: [3.2, 1.4, 1.9, 3.5],
  criticalDifference: 1.2,
  alpha: 0.05,
};

function byName(traces: PlotlyTrace[], prefix: string): PlotlyTrace[] {
  return traces.filter((t) => (t.name ?? "").startsWith(prefix));
}

Deno.test("cdDiagramFigure: axis, CD bar, group bars and one elbow per model", () => {
  const fig = cdDiagramFigure(input);
  assertEquals(JSON.parse(JSON.stringify(fig)), fig);
  assertStringIncludes(fig.layout.title?.text ?? "", "α = 0.05");
  const groups = byName(fig.data, "not significantly different");
  assertEquals(groups.map((g) => g.name), [
    "not significantly different: A, B",
    "not significantly different: C, D",
  ]);
  const points = fig.data.find((t) => t.name === "average rank") as PlotlyTrace;
  assertEquals(points.x, [1.4, 1.9, 3.2, 3.5]);
  assertEquals(points.text, ["A", "B", "C", "D"]);
  // Elbows: the better half ends at the left edge, the worse half at the right.
  const elbowA = fig.data.find((t) => t.name === "A") as PlotlyTrace;
  const elbowD = fig.data.find((t) => t.name === "D") as PlotlyTrace;
  assertEquals(elbowA.x?.slice(0, 2), [1.4, 1.4]);
  assert((elbowA.x?.[2] as number) < 1 && (elbowD.x?.[2] as number) > 4);
  // Best model's row is nearest the axis on its side; rows of A and B differ.
  const rowA = elbowA.y?.[2] as number;
  const rowB = (fig.data.find((t) => t.name === "B") as PlotlyTrace).y?.[2] as number;
  assert(rowA > rowB, "A (best) sits above B");
  const cd = byName(fig.data, "critical difference")[0];
  assertEquals([cd.x?.[0], cd.x?.[1]], [1, 2.2]);
  const labels = fig.data.filter((t) => t.mode === "text").flatMap((t) => t.text as string[]);
  assert(labels.some((l) => l.includes("A (1.40)")), labels.join());
  assert(labels.includes("CD = 1.20"));
  // The names fit inside the x range.
  const range = fig.layout.xaxis?.range as [number, number];
  assert(range[0] < 1 && range[1] > 4);
});

Deno.test("cdDiagramFigure: given groups, reversed axis, validation", () => {
  const fig = cdDiagramFigure({ ...input, groups: [["A", "B", "C"], ["D"]] }, { reversed: true });
  assertEquals(byName(fig.data, "not significantly different").length, 1);
  const points = fig.data.find((t) => t.name === "average rank") as PlotlyTrace;
  assertEquals(points.x?.[0], 1 + 4 - 1.4, "rank 1 drawn on the right");
  const elbowA = fig.data.find((t) => t.name === "A") as PlotlyTrace;
  assert((elbowA.x?.[2] as number) > 4, "the best model's name goes right when reversed");
  assertThrows(() => cdDiagramFigure({ ...input, averageRanks: [1] }), RangeError, "average ranks");
  assertThrows(() => cdDiagramFigure({ ...input, criticalDifference: NaN }), RangeError);
});
