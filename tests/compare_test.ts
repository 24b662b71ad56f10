import { join } from "node:path";
import { mergedSettings } from "../tasks/compare.ts";
import { assertEquals, assertRejects } from "./support/assert.ts";

Deno.test("--settings files merge dataset by dataset and model by model, later files winning", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = join(dir, "a.json");
    const b = join(dir, "b.json");
    await Deno.writeTextFile(
      a,
      JSON.stringify({ settings: { d1: { bias: { userReg: 1 }, narre: { lambda: 0 } } } }),
    );
    await Deno.writeTextFile(
      b,
      JSON.stringify({ settings: { d1: { narre: { lambda: 0.1 } }, d2: { drex: { lambda: 1 } } } }),
    );
    assertEquals(await mergedSettings([a, b]), {
      d1: { bias: { userReg: 1 }, narre: { lambda: 0.1 } },
      d2: { drex: { lambda: 1 } },
    });
    await Deno.writeTextFile(a, JSON.stringify({ trials: [] }));
    await assertRejects(() => mergedSettings([a]), Error, 'no "settings" object');
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
