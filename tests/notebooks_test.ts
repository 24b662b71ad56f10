/**
 * Checks the committed notebooks (`notebooks/*.ipynb`) without running them:
 * valid nbformat 4 with the Deno kernelspec, every code cell executed in
 * order with the outputs it should have, no errors, no ANSI codes, no machine
 * paths, no timing metadata, imports from `../mod.ts` and its entry points only. `.ci/notebooks`
 * executes them; `deno run -A tasks/notebooks.ts --in-place` regenerates them. Also
 * tests the cleaning that `tasks/notebooks.ts` applies.
 */
import {
  assert,
  assertEquals,
  assertGreaterOrEqual,
  assertRejects,
  assertStringIncludes,
} from "./support/assert.ts";
import { OutputDirError } from "../lib/io/output_dir.ts";
import { REPO_ROOT } from "./support/shared.ts";
import denoConfig from "../deno.json" with { type: "json" };
import {
  cleanNotebook,
  cleanText,
  machinePaths,
  main as notebooksMain,
  type NotebookJson,
  serializeNotebook,
  stripAnsi,
} from "../tasks/notebooks.ts";

/** The package's published entry points, as a notebook in notebooks/ imports them. */
const ENTRY_POINTS: string[] = Object.values(denoConfig.exports).map((p) =>
  `../${p.replace(/^\.\//, "")}`
);

const NOTEBOOKS = `${REPO_ROOT}/notebooks`;
const PLOTLY = "application/vnd.plotly.v1+json";

/** Each notebook, and the fewest figures it shows (a lost output shows up as a missing figure). */
const EXPECTED: Record<string, { figures: number }> = {
  "01_data_preparation.ipynb": { figures: 5 },
  "02_training.ipynb": { figures: 3 },
  "03_variant_comparison.ipynb": { figures: 3 },
  "04_explanations.ipynb": { figures: 2 },
};

const committed: [string, string][] = [];
for (const entry of [...Deno.readDirSync(NOTEBOOKS)].sort((a, b) => a.name < b.name ? -1 : 1)) {
  if (entry.isFile && entry.name.endsWith(".ipynb")) {
    committed.push([entry.name, Deno.readTextFileSync(`${NOTEBOOKS}/${entry.name}`)]);
  }
}

function text(source: string | string[] | undefined): string {
  return Array.isArray(source) ? source.join("") : source ?? "";
}

/** Every string anywhere in `value`. */
function* strings(value: unknown): Generator<string> {
  if (typeof value === "string") yield value;
  else if (Array.isArray(value)) { for (const v of value) yield* strings(v); }
  else if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) yield* strings(v);
  }
}

/** Import specifiers of TypeScript source: static, type-only, re-exports and dynamic. */
function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /(?:^|[\n;])\s*import\s+(?:type\s+)?[^;"']*?\sfrom\s*["']([^"']+)["']/g,
    /(?:^|[\n;])\s*import\s*["']([^"']+)["']/g,
    /(?:^|[\n;])\s*export\s+[^;"']*?\sfrom\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of source.matchAll(pattern)) found.push(m[1]);
  return found;
}

/** Absolute paths of this or any machine: Unix home, temp and work folders, file URLs, drives. */
const MACHINE_PATH =
  /(?<![\w.~])\/(?:work|tmp|home|root|Users|var\/folders|private\/var|mnt|opt)\/|file:\/\/\/|\b[A-Za-z]:\\[A-Za-z]/;

Deno.test("the four notebooks are committed", () => {
  assertEquals(committed.map(([name]) => name), Object.keys(EXPECTED));
});

for (const [name, raw] of committed) {
  Deno.test(`${name}: valid nbformat 4 with the Deno kernel`, () => {
    const nb = JSON.parse(raw) as NotebookJson;
    assertEquals(nb.nbformat, 4);
    assertGreaterOrEqual(nb.nbformat_minor, 4);
    const spec = nb.metadata.kernelspec as Record<string, string>;
    assertEquals(spec.name, "deno");
    assertEquals(spec.language, "typescript");
    assertEquals((nb.metadata.language_info as Record<string, string>).name, "typescript");
    assert(Array.isArray(nb.cells) && nb.cells.length > 0, "cells");
    const ids = new Set<string>();
    for (const cell of nb.cells) {
      assert(["code", "markdown", "raw"].includes(cell.cell_type), cell.cell_type);
      assert(typeof cell.metadata === "object" && cell.metadata !== null, "cell metadata");
      assert(typeof text(cell.source) === "string");
      if (nb.nbformat_minor >= 5) {
        assert(
          typeof cell.id === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(cell.id),
          `id ${cell.id}`,
        );
        assert(!ids.has(cell.id), `duplicate cell id ${cell.id}`);
        ids.add(cell.id);
      }
      if (cell.cell_type === "code") assert(Array.isArray(cell.outputs), "code cell outputs");
    }
    assert(
      raw === serializeNotebook(cleanNotebook(nb)),
      `${name} is not stored clean; run: deno run -A tasks/notebooks.ts --in-place ${name} ` +
        "(or --clean-only to re-clean without executing)",
    );
  });

  Deno.test(`${name}: opens with a note on importing jsr:@drex/drex`, () => {
    const nb = JSON.parse(raw) as NotebookJson;
    assertEquals(nb.cells[0].cell_type, "markdown");
    const intro = text(nb.cells[0].source);
    assert(intro.startsWith("# "), "a title first");
    assert(intro.includes("jsr:@drex/drex"), "says users import jsr:@drex/drex");
    assert(intro.includes("../mod.ts"), "says the notebook imports ../mod.ts");
  });

  Deno.test(`${name}: every code cell ran, in order, with the outputs it should have`, () => {
    const nb = JSON.parse(raw) as NotebookJson;
    const code = nb.cells.filter((c) => c.cell_type === "code");
    assert(code.length > 0);
    let figures = 0;
    code.forEach((cell, k) => {
      const source = text(cell.source);
      const where = `${name}, code cell ${k + 1} (${source.split("\n")[0]})`;
      assertEquals(cell.execution_count, k + 1, `${where}: execution count`);
      assert(!("execution" in cell.metadata), `${where}: timing metadata`);
      const outputs = cell.outputs ?? [];
      for (const o of outputs) {
        assert(o.output_type !== "error", `${where}: error ${o.ename}: ${o.evalue}`);
        if (o.output_type === "execute_result") {
          assertEquals(o.execution_count, k + 1, `${where}: result count`);
        }
        const data = (o.data ?? {}) as Record<string, unknown>;
        if (PLOTLY in data) {
          figures++;
          const html = text(data["text/html"] as string | string[]);
          assert(html.includes("<svg"), `${where}: static SVG fallback`);
          assert(!/<script/i.test(html), `${where}: the fallback runs no script`);
          assert(text(data["text/plain"] as string | string[]).startsWith("Plotly figure"));
        }
      }
      // Calls that show something (the helper definitions in the first cell are no calls).
      if (
        /\bawait\s+(?:display|markdown|Deno\.jupyter\.display)\(|\bconsole\.(?:log|table)\(/.test(
          source,
        )
      ) {
        assert(outputs.length > 0, `${where}: shows something but has no output`);
      }
      if (/\bawait\s+display\(/.test(source)) {
        assert(
          outputs.some((o) => PLOTLY in ((o.data ?? {}) as Record<string, unknown>)),
          `${where}: displays a figure but has none`,
        );
      }
      if (/\bawait\s+markdown\(/.test(source)) {
        assert(
          outputs.some((o) => "text/markdown" in ((o.data ?? {}) as Record<string, unknown>)),
          `${where}: shows Markdown but has none`,
        );
      }
    });
    assertGreaterOrEqual(figures, EXPECTED[name]?.figures ?? 1, `${name}: figures`);
  });

  Deno.test(`${name}: no ANSI codes, machine paths or stderr noise in outputs`, () => {
    // deno-lint-ignore no-control-regex
    assert(!/\u001b/.test(raw) && !raw.includes("\\u001b"), "ANSI escape codes");
    const nb = JSON.parse(raw) as NotebookJson;
    const paths = [REPO_ROOT, Deno.env.get("HOME"), Deno.cwd()]
      .filter((p): p is string => !!p && p.length > 1);
    for (const [k, cell] of nb.cells.entries()) {
      for (const s of strings([cell.source, cell.outputs ?? []])) {
        const m = s.match(MACHINE_PATH);
        assert(
          m === null,
          `${name}, cell ${k + 1}: machine path "${m?.[0]}" in "${s.slice(0, 200)}"`,
        );
        for (const p of paths) assert(!s.includes(p), `${name}, cell ${k + 1}: contains ${p}`);
      }
      for (const o of cell.outputs ?? []) {
        if (o.output_type === "stream" && o.name === "stderr") {
          const err = text(o.text as string | string[]);
          assert(!/error|uncaught|warning/i.test(err), `${name}, cell ${k + 1}: stderr ${err}`);
        }
      }
    }
  });

  Deno.test(`${name}: imports the library from ../mod.ts and its published entry points only`, () => {
    const nb = JSON.parse(raw) as NotebookJson;
    const specifiers = nb.cells
      .filter((c) => c.cell_type === "code")
      .flatMap((c) => importSpecifiers(text(c.source)));
    assert(specifiers.includes("../mod.ts"), `${name} imports ../mod.ts`);
    for (const s of specifiers) {
      assert(ENTRY_POINTS.includes(s), `${name}: import of "${s}" (not a published entry point)`);
    }
  });
}

Deno.test("importSpecifiers finds static, type, side-effect, re-export and dynamic imports", () => {
  const source =
    'import { a,\n  type B } from "../mod.ts";\nimport type { C } from "../lib/x.ts";\n' +
    "import './side.ts';\nexport { d } from \"jsr:@std/path\";\nconst m = await import('npm:foo');\n" +
    'const s = "not an import from \\"x\\"";';
  assertEquals(importSpecifiers(source).sort(), [
    "../lib/x.ts",
    "../mod.ts",
    "./side.ts",
    "jsr:@std/path",
    "npm:foo",
  ]);
});

// ------------------------------------------------------------------ the cleaning

Deno.test("stripAnsi removes colour, cursor and hyperlink sequences", () => {
  assertEquals(stripAnsi("\u001b[31mred\u001b[0m \u001b[1;4mbold\u001b[22m\u001b[2K"), "red bold");
  assertEquals(stripAnsi("\u001b]8;;https://x\u0007link\u001b]8;;\u0007"), "link");
});

Deno.test("machinePaths hides the repository, temp and home folders, longest first", () => {
  const paths = machinePaths("/work/main", "/tmp", "/root");
  assertEquals(
    cleanText("at file:///work/main/lib/a.ts:1 and /work/main/x, /tmp/y, /root/.cache", paths),
    "at <repo>/lib/a.ts:1 and <repo>/x, <tmp>/y, ~/.cache",
  );
  // The home folder holding the repository does not hide the repository's own name.
  const nested = machinePaths("/home/ann/drex", "/tmp", "/home/ann");
  assertEquals(cleanText("/home/ann/drex/mod.ts /home/ann/data", nested), "<repo>/mod.ts ~/data");
});

Deno.test("cleanNotebook numbers cells, merges streams, drops timing, cleans every output", () => {
  const nb: NotebookJson = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "deno" } },
    cells: [
      { cell_type: "markdown", id: "m", metadata: {}, source: "# T" },
      {
        cell_type: "code",
        id: "a",
        metadata: { execution: { "iopub.status.busy": "2026-01-01T00:00:00Z" }, scrolled: true },
        execution_count: 7,
        source: "x",
        outputs: [
          { output_type: "stream", name: "stdout", text: "\u001b[32mok\u001b[0m /work/main/a\n" },
          { output_type: "stream", name: "stdout", text: ["more\n"] },
          {
            output_type: "execute_result",
            execution_count: 7,
            metadata: {},
            data: { "text/plain": "file:///work/main/mod.ts", "application/json": { p: "/tmp/q" } },
          },
        ],
      },
      { cell_type: "code", id: "b", metadata: {}, execution_count: null, source: "", outputs: [] },
    ],
  };
  const before = JSON.stringify(nb);
  const clean = cleanNotebook(nb, machinePaths("/work/main", "/tmp", "/root"));
  assertEquals(JSON.stringify(nb), before, "the input is not modified");
  const [, a, b] = clean.cells;
  assertEquals(a.execution_count, 1);
  assertEquals(b.execution_count, 2);
  assertEquals(a.metadata, {});
  assertEquals(a.outputs, [
    { output_type: "stream", name: "stdout", text: "ok <repo>/a\nmore\n" },
    {
      output_type: "execute_result",
      execution_count: 1,
      metadata: {},
      data: { "text/plain": "<repo>/mod.ts", "application/json": { p: "<tmp>/q" } },
    },
  ]);
  const serialized = serializeNotebook(clean);
  assert(serialized.endsWith("}\n"));
  assert(serialized.indexOf('"cells"') < serialized.indexOf('"metadata"'), "keys sorted");
  assertEquals(JSON.parse(serialized), JSON.parse(JSON.stringify(clean)));
});

// ------------------------------------------------------------------ nbformat's own validator

const PYTHON = "/usr/bin/python3";
async function hasNbformat(): Promise<boolean> {
  try {
    const out = await new Deno.Command(PYTHON, {
      args: ["-c", "import nbformat"],
      stdout: "null",
      stderr: "null",
    }).output();
    if (out.success) return true;
  } catch { /* no python */ }
  console.warn(`SKIP nbformat validation: ${PYTHON} with nbformat is absent (python3-nbformat)`);
  return false;
}

Deno.test({
  name: "the notebooks pass nbformat's schema validation",
  ignore: !(await hasNbformat()),
  fn: async () => {
    const script = "import sys, nbformat\n" +
      "for p in sys.argv[1:]:\n" +
      "    nbformat.validate(nbformat.read(p, as_version=nbformat.NO_CONVERT))\n" +
      "    print('valid', p)\n";
    const out = await new Deno.Command(PYTHON, {
      args: ["-c", script, ...committed.map(([name]) => `${NOTEBOOKS}/${name}`)],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(out.success, new TextDecoder().decode(out.stderr).slice(-2000));
  },
});

Deno.test("notebooks --out: a folder holding other files is refused before anything runs, and kept", async () => {
  const dir = await Deno.makeTempDir({ prefix: "drex-nb-out-" });
  try {
    await Deno.writeTextFile(`${dir}/mine.txt`, "keep me");
    const err = await assertRejects(
      () => notebooksMain(["--out", dir]),
      OutputDirError,
      "mine.txt",
    );
    // The task writes into the folder; it does not replace it, and the message says so.
    assertStringIncludes(err.message, "files in it would be overwritten");
    assertEquals(await Deno.readTextFile(`${dir}/mine.txt`), "keep me");
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["mine.txt"]);
    await assertRejects(
      () => notebooksMain(["--out", `${REPO_ROOT}/notebooks`]),
      Error,
      "use --in-place",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
