import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertStringIncludes,
} from "./support/assert.ts";
import type { Keyword } from "../lib/drex/keyword_profiles.ts";
import { keywordOverlapColumns, keywordOverlapFigure } from "../lib/plots/keyword_overlap.ts";

const kw = (pairs: [string, number][]): Keyword[] =>
  pairs.map(([word, weight]) => ({ word, weight }));

const user = kw([["story", 3], ["graphics", 2], ["price", 1]]);
const itemA = kw([["graphics", 6], ["story", 2], ["puzzle", 2]]);
const itemB = kw([["price", 5], ["online", 5]]);
const itemC = kw([["manual", 1]]);

Deno.test("keywordOverlapColumns: shared words first, then the user's, then the items'", () => {
  const { words, shared } = keywordOverlapColumns(user, [itemA, itemB, itemC]);
  assertEquals(words.slice(0, 3).sort(), ["graphics", "price", "story"]);
  // Item-only words by their largest share: manual 100% of C, online 50% of B, puzzle 20% of A.
  assertEquals(words.slice(3), ["manual", "online", "puzzle"]);
  assertEquals(shared.map((s) => s.map((w) => w.word)), [["graphics", "story"], ["price"], []]);
  assertEquals(keywordOverlapColumns(user, [itemA], 2).words.length, 2);
});

Deno.test("keywordOverlapFigure: heatmap of profile shares, shared cells outlined", () => {
  const fig = keywordOverlapFigure(
    { label: "u1", keywords: user },
    [{ label: "A", keywords: itemA }, { label: "B", keywords: itemB }, {
      label: "C",
      keywords: itemC,
    }],
  );
  assertEquals(JSON.parse(JSON.stringify(fig)), fig);
  const [heat] = fig.data;
  assertEquals(heat.type, "heatmap");
  assertEquals(heat.y, ["u1 (user)", "A · 2 shared", "B · 1 shared", "C · 0 shared"]);
  const words = heat.x as string[];
  const z = heat.z as (number | null)[][];
  assertAlmostEquals(z[0][words.indexOf("story")] as number, 0.5);
  assertAlmostEquals(z[1][words.indexOf("graphics")] as number, 0.6);
  assertEquals(z[3][words.indexOf("story")], null);
  assertEquals((heat.text as string[][])[0][words.indexOf("story")], "50%");
  // 3 user cells (each word shared with some item) + 2 for A + 1 for B.
  assertEquals(fig.layout.shapes?.length, 6);
  const graphics = words.indexOf("graphics");
  assert(fig.layout.shapes?.some((s) => s.x0 === graphics - 0.5 && s.y0 === 0.5));
  const ticks = fig.layout.xaxis?.ticktext as string[];
  assertStringIncludes(ticks[graphics], "<b>");
  assert(!ticks[words.indexOf("manual")].includes("<b>"));
  assertEquals(fig.layout.yaxis?.autorange, "reversed", "the user row is on top");
});

Deno.test("keywordOverlapFigure: raw weights, duplicate labels, escaping and the empty case", () => {
  const fig = keywordOverlapFigure(
    { label: "<u>", keywords: user },
    [{ label: "X", keywords: itemA }, { label: "X", keywords: itemA }],
    { normalize: false },
  );
  const [heat] = fig.data;
  const words = heat.x as string[];
  assertEquals((heat.z as number[][])[1][words.indexOf("graphics")], 6);
  assertEquals(heat.y?.slice(1), ["X · 2 shared", "X · 2 shared (2)"]);
  assertEquals(heat.y?.[0], "&lt;u&gt; (user)");
  const empty = keywordOverlapFigure({ label: "u", keywords: [] }, []);
  assertEquals(empty.layout.annotations?.[0].text, "no keywords");
});
