import { assert, assertEquals, assertRejects, assertStringIncludes } from "./support/assert.ts";
import {
  display,
  displayable,
  JUPYTER_DISPLAY,
  PLOTLY_MIME_TYPE,
  plotlyMimeBundle,
} from "../lib/plots/display.ts";
import { displayMarkdown, markdownTable } from "../lib/plots/display.ts";
import { learningCurvesFigure } from "../lib/plots/learning_curves.ts";
import { REPO_ROOT } from "./support/shared.ts";
import type { PlotlyFigure } from "../lib/plots/figure.ts";

const figure: PlotlyFigure = learningCurvesFigure([
  { epoch: 1, trainLoss: 1, validationMae: NaN, validationRmse: NaN, seconds: 1 },
  { epoch: 2, trainLoss: 0.5, validationMae: 0.8, validationRmse: 1, seconds: 1 },
], { title: "Curves <of> DReX" });

Deno.test("plotlyMimeBundle: plotly JSON, a script-free SVG fallback and a text line", () => {
  const bundle = plotlyMimeBundle(figure);
  assertEquals(Object.keys(bundle).sort(), [PLOTLY_MIME_TYPE, "text/html", "text/plain"].sort());
  const plotly = bundle[PLOTLY_MIME_TYPE];
  assertEquals(plotly.data, JSON.parse(JSON.stringify(figure.data)));
  assertEquals(plotly.layout, JSON.parse(JSON.stringify(figure.layout)));
  assertEquals(plotly.config.displaylogo, false);
  const html = bundle["text/html"];
  assert(html.startsWith('<div class="drex-figure"><svg'), html.slice(0, 80));
  assert(!/<script/i.test(html), "the fallback runs no script");
  assert(!/(?:src|href)=/i.test(html), "the fallback loads nothing");
  assertStringIncludes(html, "Curves &lt;of&gt; DReX");
  assertEquals(bundle["text/plain"], 'Plotly figure "Curves <of> DReX" (4 traces)');
});

Deno.test("plotlyMimeBundle output is JSON-safe: no NaN, no ANSI codes, no machine paths", () => {
  const bundle = plotlyMimeBundle(figure);
  const json = JSON.stringify(bundle);
  assertEquals(JSON.parse(json), JSON.parse(JSON.stringify(JSON.parse(json))));
  assert(!json.includes("NaN"), "NaN must become null");
  // The first validation MAE was NaN: it is a gap (null) in the plotly data.
  const mae = bundle[PLOTLY_MIME_TYPE].data[1] as { y: unknown[] };
  assertEquals(mae.y[0], null);
  assert(!json.includes("\u001b"), "no ANSI escape codes");
  for (const path of ["/work/", "/home/", "/tmp/", "/root/", "file:", "C:\\\\"]) {
    assert(!json.includes(path), `no machine path (${path})`);
  }
});

Deno.test("plotlyMimeBundle can leave the SVG out and size the fallback", () => {
  const small = plotlyMimeBundle(figure, { staticFallback: false, config: { responsive: false } });
  assert(!small["text/html"].includes("<svg"));
  assertStringIncludes(small["text/html"], "plotly renderer");
  assertEquals(small[PLOTLY_MIME_TYPE].config, { responsive: false });
  const noWidth: PlotlyFigure = {
    data: figure.data,
    layout: { ...figure.layout, width: undefined },
  };
  assertStringIncludes(
    plotlyMimeBundle(noWidth, { fallbackWidth: 640 })["text/html"],
    'width="640"',
  );
});

Deno.test("display outside a Jupyter kernel fails with a clear message", async () => {
  await assertRejects(() => display(figure), Error, "deno jupyter");
});

Deno.test("displayable hands the kernel the same bundle", () => {
  const shown = displayable(figure);
  assertEquals(JUPYTER_DISPLAY, Symbol.for("Jupyter.display"));
  assertEquals(shown[JUPYTER_DISPLAY](), plotlyMimeBundle(figure));
  assertEquals(shown.figure, figure);
});

// ---------------------------------------------------------------- a real Deno Jupyter kernel

const PYTHON = "/usr/bin/python3";

async function hasNbclient(testName: string): Promise<boolean> {
  try {
    const out = await new Deno.Command(PYTHON, {
      args: ["-c", "import nbclient, nbformat, jupyter_client"],
      stdout: "null",
      stderr: "null",
    }).output();
    if (out.success) return true;
  } catch { /* no python */ }
  console.warn(
    `SKIP ${testName}: ${PYTHON} with nbclient, nbformat and jupyter_client is absent ` +
      "(install python3-nbclient to run it)",
  );
  return false;
}

// Runs cells in a Deno kernel (registered in a temporary JUPYTER_PATH, nothing installed) and
// prints each cell's outputs as JSON. Outputs are matched to their cell by the parent message id
// and read until the cell's expected output types have arrived (or 60 s pass): the kernel
// publishes a cell's outputs and its "idle" status from different tasks, so "idle" can overtake an
// execute_result under load, and a client that stops reading at "idle" (as nbclient does) loses
// it now and then. JupyterLab keeps routing late outputs to their cell; so does this runner.
const RUN_CELLS = `
import json, queue, sys, time
from jupyter_client.manager import start_new_kernel
cells, expected = json.loads(sys.argv[2]), json.loads(sys.argv[3])
km, kc = start_new_kernel(kernel_name="deno", cwd=sys.argv[1], startup_timeout=120)
try:
    results = []
    for code, want in zip(cells, expected):
        msg_id = kc.execute(code)
        while kc.get_shell_msg(timeout=120)["parent_header"].get("msg_id") != msg_id:
            pass
        outputs, idle, deadline = [], False, time.time() + 60
        while not (idle and all(any(o["type"] == t for o in outputs) for t in want)):
            try:
                msg = kc.get_iopub_msg(timeout=max(0.01, deadline - time.time()))
            except queue.Empty:
                break
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status":
                idle = idle or content["execution_state"] == "idle"
            elif kind in ("display_data", "execute_result", "stream", "error"):
                outputs.append({"type": kind, "data": content.get("data", {}),
                                "text": content.get("text", content.get("evalue", ""))})
        results.append(outputs)
    print(json.dumps(results))
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
`;

const kernelTestName = "display and displayable emit the plotly bundle in a Deno Jupyter kernel";
Deno.test({
  name: kernelTestName,
  ignore: !(await hasNbclient(kernelTestName)),
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "drex-jupyter-" });
    try {
      await Deno.mkdir(`${dir}/kernels/deno`, { recursive: true });
      await Deno.mkdir(`${dir}/runtime`);
      await Deno.writeTextFile(
        `${dir}/kernels/deno/kernel.json`,
        JSON.stringify({
          argv: [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"],
          display_name: "Deno",
          language: "typescript",
        }),
      );
      await Deno.writeTextFile(`${dir}/run.py`, RUN_CELLS);
      const cells = [
        'import { display, displayable } from "./lib/plots/display.ts";\n' +
        'import { ratingMetricsFigure } from "./lib/plots/rating_bars.ts";\n' +
        "const fig = ratingMetricsFigure({ A: { mae: { mean: 0.7 }, rmse: { mean: 0.9 } } });\n" +
        "await display(fig);",
        "displayable(fig)",
      ];
      const out = await new Deno.Command(PYTHON, {
        args: [
          `${dir}/run.py`,
          REPO_ROOT,
          JSON.stringify(cells),
          JSON.stringify([["display_data"], ["execute_result"]]),
        ],
        env: { JUPYTER_PATH: dir, JUPYTER_RUNTIME_DIR: `${dir}/runtime`, NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stdout = new TextDecoder().decode(out.stdout);
      assert(out.success, new TextDecoder().decode(out.stderr).slice(-2000));
      const outputs = JSON.parse(stdout.trim().split("\n").pop() as string) as {
        type: string;
        data: Record<string, unknown>;
      }[][];
      assertEquals(outputs.map((cell) => cell.map((o) => o.type)), [
        ["display_data"],
        ["execute_result"],
      ]);
      for (const [o] of outputs) {
        assertEquals(
          Object.keys(o.data).sort(),
          [PLOTLY_MIME_TYPE, "text/html", "text/plain"].sort(),
        );
        const plotly = o.data[PLOTLY_MIME_TYPE] as { data: { y: number[] }[] };
        assertEquals(plotly.data[0].y, [0.7, 0.9]);
        const text = JSON.stringify(o.data);
        assert(!text.includes("\u001b"), "no ANSI codes in notebook outputs");
        assert(!text.includes(REPO_ROOT) && !text.includes(dir), "no machine paths in outputs");
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("markdownTable lays out rows, formats decimals and escapes pipes", () => {
  assertEquals(
    markdownTable(
      [{ model: "DReX", mae: 0.82134, note: "a|b" }, { model: "MF", mae: 1, note: "" }],
      3,
    ),
    "| model | mae | note |\n| --- | --- | --- |\n| DReX | 0.821 | a\\|b |\n| MF | 1 |  |",
  );
  assertEquals(markdownTable([]), "(no rows)");
});

Deno.test("displayMarkdown outside a kernel fails with a clear message", async () => {
  await assertRejects(() => displayMarkdown("**hi**"), Error, "deno jupyter");
});
