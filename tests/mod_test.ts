import { join } from "node:path";
import { repoPath } from "./support/shared.ts";
import { assert, assertEquals } from "./support/assert.ts";

Deno.test("mod.ts imports by path from a project with no configuration of its own", async () => {
  const dir = await Deno.makeTempDir({ prefix: "drex-user-project-" });
  try {
    const main = join(dir, "main.ts");
    await Deno.writeTextFile(
      main,
      `import { DrexModel, GlobalMean } from ${JSON.stringify(repoPath("mod.ts"))};\n` +
        `const m = new DrexModel({ latentDim: 8 });\n` +
        `console.log(m.name, new GlobalMean().name);\n`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-config", main],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert(out.success, stderr.slice(-2000));
    assertEquals(new TextDecoder().decode(out.stdout).trim(), "DReX GlobalMean");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
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
