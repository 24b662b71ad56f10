/**
 * `deno task bench`: speed figures, printed and written as JSON to
 * `out/bench/bench.json`.
 *
 * - `model`: DReX at the paper's Video Games size (31,670 training
 *   interactions, 64 words per review): seconds per epoch at token feature
 *   widths 384 and 768, with float and with int8 features, each in a
 *   process of its own (so each has its own peak memory), per-interaction
 *   prediction time, and full-ranking scoring throughput.
 * - `features`: review feature extraction throughput (reviews/s) on real
 *   review texts, for the static encoder and the MiniLM-shaped BERT in
 *   `../shared/models` (skipped when that folder is absent).
 *
 * `deno task bench` runs both; `deno task bench model` or `... features` one.
 *
 * @module
 */
import { cpus, loadavg } from "node:os";
import { peakMemory } from "../lib/util/peak_memory.ts";
import { writeFileAtomic } from "../lib/io/atomic_write.ts";
import { benchFeatures, formatFeatureBench } from "./bench/features.ts";
import { benchModelIsolated, formatModelBench } from "./bench/model.ts";

const HELP = `Usage: deno task bench [model] [features]

Speed figures, printed and written to out/bench/bench.json (a part run alone replaces only its
own entry there; the others are kept).

  model      DReX at the paper's Video Games size: seconds per epoch at D = 384 and 768,
             float and int8 features (each in its own process, with its peak memory),
             prediction and full-ranking throughput
  features   review feature extraction throughput, static encoder and MiniLM-shaped BERT
             (../shared/models; skipped when absent)
  -h, --help this help`;

if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
  console.log(HELP);
  Deno.exit(0);
}
const parts = Deno.args.length > 0 ? Deno.args : ["model", "features"];
for (const p of parts) {
  if (p !== "model" && p !== "features") {
    console.error(`error: unknown bench "${p}" (expected "model" or "features"; see --help)`);
    Deno.exit(2);
  }
}
const out = "out/bench/bench.json";
// Parts not run this time keep their earlier figures.
let earlier: Record<string, unknown> = {};
try {
  earlier = JSON.parse(await Deno.readTextFile(out));
} catch { /* no earlier figures, or unreadable: start afresh */ }
const result: Record<string, unknown> = {
  ...earlier,
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "?",
    deno: Deno.version.deno,
    loadAverageStart: loadavg(),
  },
  date: new Date().toISOString(),
};
if (parts.includes("model")) {
  console.error(
    "[bench] model: paper-sized synthetic data, D = 384 and 768, float and int8 features, each in its own process …",
  );
  const model = await benchModelIsolated();
  console.log(formatModelBench(model));
  result.model = model;
}
if (parts.includes("features")) {
  console.error("[bench] features: real review texts …");
  try {
    const features = await benchFeatures({ onLog: (line) => console.error(line) });
    console.log(formatFeatureBench(features));
    result.features = features;
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
    console.error(
      `[bench] features skipped: ${err.message} (real data and models live in ../shared)`,
    );
  }
}
(result.machine as Record<string, unknown>).loadAverageEnd = loadavg();
// Peak resident memory of this run (all parts run in it), in bytes.
result.peakMemoryBytes = peakMemory().bytes;
await writeFileAtomic(out, JSON.stringify(result, null, 2) + "\n");
console.log(`\nwrote ${out}`);
