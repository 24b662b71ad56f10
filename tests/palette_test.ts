import { assertEquals, assertNotEquals } from "./support/assert.ts";
import { assignColors, PALETTE, paletteColor } from "../lib/plots/palette.ts";

Deno.test("assignColors keeps overrides and gives the others distinct palette colours", () => {
  const colors = assignColors(["a", "b", "a", "c"], { b: "#000000" });
  assertEquals(Object.keys(colors), ["a", "b", "c"]);
  assertEquals(colors.b, "#000000");
  assertEquals(colors.a, PALETTE[0]);
  assertEquals(colors.c, PALETTE[1]);
  assertNotEquals(colors.a, colors.c);
});

Deno.test("paletteColor cycles", () => {
  assertEquals(paletteColor(PALETTE.length), PALETTE[0]);
  assertEquals(paletteColor(-1), PALETTE[PALETTE.length - 1]);
});
