import { join } from "node:path";
import { hasShared, repoPath, sharedPath } from "./support/shared.ts";
import { assert, assertEquals } from "./support/assert.ts";
import { runDeno } from "./support/run_task.ts";

/** Runs `source` as `main.ts` in a fresh folder with no deno.json, the way a user's script runs. */
async function runUserScript(source: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "drex-user-project-" });
  try {
    const main = join(dir, "main.ts");
    await Deno.writeTextFile(main, source);
    const out = await runDeno(["run", "-A", "--no-config", main], dir);
    assertEquals(out.code, 0, out.stderr.slice(-2000));
    return out.stdout.trim();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test(
  "a script in another folder, with no deno.json, imports mod.ts by path and runs fit → evaluate → recommend by user id → save → load",
  async () => {
    const stdout = await runUserScript(`
import { DrexModel, evaluate, extractFeatures, loadInteractions, prepareDataset } from ${
      JSON.stringify(repoPath("mod.ts"))
    };
const { interactions } = await loadInteractions(${
      JSON.stringify(repoPath("fixtures", "synthetic", "reviews.jsonl"))
    });
const { split } = prepareDataset(interactions);
const { features } = await extractFeatures(split.train.map((it) => it.review), { cacheDir: "cache" });
const model = new DrexModel({ latentDim: 8, maxEpochs: 2, seed: 1 });
await model.fit({ split, features });
const metrics = evaluate(model, split);
const user = model.userIds[3];
const top = model.recommend(user, 3);
await model.save("model");
const loaded = await DrexModel.load("model");
const again = loaded.recommend(user, 3);
console.log(JSON.stringify({
  rmse: metrics.rmse,
  items: top.map((r) => r.itemId),
  keywords: top[0].explanation?.keywords.length,
  same: JSON.stringify(again) === JSON.stringify(top),
}));
`);
    const result = JSON.parse(stdout.split("\n").at(-1)!);
    assert(Number.isFinite(result.rmse) && result.rmse > 0 && result.rmse < 2, stdout);
    assertEquals(result.items.length, 3);
    assert(result.items.every((id: unknown) => typeof id === "string" && id.startsWith("B0SYN")));
    assert(result.keywords > 0, "recommendations carry keyword explanations");
    assertEquals(result.same, true, "the loaded model recommends exactly what the saved one did");
  },
);

const bertTest = "the BERT encoder runs from another folder with no deno.json (no sharp needed)";
Deno.test({
  name: bertTest,
  ignore: !hasShared(bertTest, "models", "tiny-random-bert"),
  async fn() {
    const stdout = await runUserScript(`
import { BertEncoder } from ${JSON.stringify(repoPath("lib", "text", "mod.ts"))};
const encoder = await BertEncoder.create(${
      JSON.stringify(sharedPath("models", "tiny-random-bert"))
    }, { quantized: false });
const [rows] = await encoder.encode([["great", "guitar", "strings"]]);
console.log(JSON.stringify({ runtime: encoder.runtime, values: rows.length, dim: encoder.dim }));
await encoder.dispose();
`);
    const result = JSON.parse(stdout.split("\n").at(-1)!);
    assertEquals(result, { runtime: "onnxruntime-node", values: 3 * 32, dim: 32 });
  },
});

Deno.test("every npm: specifier in the library is the version deno.json pins", async () => {
  const pins = JSON.parse(await Deno.readTextFile(repoPath("deno.json"))).imports as Record<
    string,
    string
  >;
  const pinned = new Set(Object.values(pins));
  const found: string[] = [];
  const visit = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const path = join(dir, e.name);
      if (e.isDirectory) await visit(path);
      else if (e.name.endsWith(".ts")) {
        const text = await Deno.readTextFile(path);
        for (const m of text.matchAll(/["'](npm:(?:@[^/"']+\/)?[^/@"']+@[^/"']+)[^"']*["']/g)) {
          found.push(m[1]);
        }
        // A bare package specifier would only resolve inside this repository.
        const bare = text.match(
          /(?:from|import)\s*\(?\s*["'](@tensorflow|@xenova|wink-|csv-parse|plotly)/,
        );
        assertEquals(bare, null, `${path} imports a package without its npm: specifier`);
      }
    }
  };
  await visit(repoPath("lib"));
  assert(found.length > 30);
  const unpinned = found.filter((s) => !pinned.has(s));
  assertEquals(unpinned, [], "npm: specifiers that differ from deno.json's imports");
});

Deno.test("deno doc --lint of every published entry point passes with no warnings", async () => {
  const exports = JSON.parse(await Deno.readTextFile(repoPath("deno.json"))).exports as Record<
    string,
    string
  >;
  const out = await runDeno(["doc", "--lint", ...Object.values(exports)]);
  assertEquals(out.code, 0, out.stderr.slice(-2000));
  // csv-parse's declarations once pulled in @types/node, which deno doc could not resolve (82 lines).
  assertEquals(out.stderr.match(/^.*Warning.*$/gm) ?? [], []);
});

Deno.test("deno publish --dry-run passes with no warnings (every dynamic import can be analysed)", async () => {
  const out = await runDeno(["publish", "--dry-run", "--allow-dirty"]);
  assertEquals(out.code, 0, out.stderr.slice(-2000));
  assertEquals((out.stdout + out.stderr).match(/^.*warning.*$/gim) ?? [], []);
});
