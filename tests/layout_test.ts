import { assert, assertEquals } from "./support/assert.ts";
import { axisId, axisKey, cellTitle, gridCells, plotlyText } from "../lib/plots/layout.ts";

Deno.test("gridCells tiles the area row-major without overlap", () => {
  const cells = gridCells(2, 3, 0.1, 0.2);
  assertEquals(cells.length, 6);
  assertEquals(cells.map((c) => c.index), [0, 1, 2, 3, 4, 5]);
  assertEquals(cells[0].xDomain[0], 0);
  assertEquals(cells[2].xDomain[1], 1);
  assertEquals(cells[0].yDomain[1], 1);
  assertEquals(cells[3].yDomain[0], 0);
  for (let i = 1; i < 3; i++) assert(cells[i].xDomain[0] > cells[i - 1].xDomain[1]);
  assert(cells[0].yDomain[0] > cells[3].yDomain[1], "rows must not overlap");
});

Deno.test("axis ids and keys follow plotly's naming", () => {
  assertEquals([axisId("x", 0), axisId("y", 2)], ["x", "y3"]);
  assertEquals([axisKey("x", 0), axisKey("y", 1)], ["xaxis", "yaxis2"]);
  const title = cellTitle(gridCells(1, 2)[1], "NDCG");
  assertEquals([title.text, title.xref, title.yanchor], ["<b>NDCG</b>", "paper", "bottom"]);
  assertEquals(plotlyText("a<b>&"), "a&lt;b&gt;&amp;");
});
