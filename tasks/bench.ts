/**
 * `deno task bench`: speed figures, printed and written as JSON to
 * `out/bench/bench.json`.
 *
 * - `model`: DReX at the paper's Video Games size (31,670 training
 *   interactions, 64 words per review): seconds per epoch at token feature
 *   widths 384 and 768, with float features (in memory, and left in a file
 *   read batch by batch) and with int8 features, each in a
 *   process of its own (so each has its own peak memory), on two threads
 *   (`threads: 2`), 4 epochs, the steady epoch the fastest after the first;
 *   per-interaction prediction time, and full-ranking scoring throughput;
 *   and a host probe (`bench/host_probe.ts`: a fixed one-thread workload,
 *   timed before training and after each epoch) to tell a slow host from
 *   slow code.
 * - `features`: review feature extraction throughput (reviews/s) on real
 *   review texts, for the static encoder and the MiniLM-shaped BERT in
 *   `../shared/models` (skipped when that folder is absent).
 *
 * - `scale`: seconds per epoch and peak memory at 10k, 30k, 100k and 300k
 *   training interactions (static features), with the representation tables
 *   trained by dense Adam (the default) and by lazy Adam (`lazyTables`),
 *   each size in its own process, three rounds in turn (each size keeps its
 *   fastest); also written as `out/bench/scale.svg`, a log–log figure with a
 *   linear guide, with the growth exponents between sizes and fitted over
 *   all of them.
 *
 * `deno task bench` runs model and features; name parts to choose
 * (`deno task bench scale`).
 *
 * @module
 */
import { cpus, loadavg } from "node:os";
import { peakMemory } from "../lib/util/peak_memory.ts";
import { writeFileAtomic } from "../lib/io/atomic_write.ts";
import { benchFeatures, formatFeatureBench } from "./bench/features.ts";
import { benchModelIsolated, formatModelBench } from "./bench/model.ts";
import {
  benchScale,
  fittedExponents,
  formatScaleBench,
  growthExponents,
  SCALE_SIZES,
  scaleFigure,
} from "./bench/scale.ts";
import { figureToSvg } from "../lib/plots/static_svg.ts";

const HELP = `Usage: deno task bench [model] [features] [scale]

Speed figures, printed and written to out/bench/bench.json (a part run alone replaces only its
own entry there; the others are kept).

  model      DReX at the paper's Video Games size: seconds per epoch at D = 384 and 768,
             float features in memory and in a file, and int8 features (each in its
             own process, with its peak memory),
             two threads, 4 epochs (steady: the fastest after the first, and the median),
             prediction and full-ranking throughput, and a host probe (a fixed one-thread
             workload timed around the epochs, to tell a slow host from slow code)
  features   review feature extraction throughput, static encoder and MiniLM-shaped BERT
             (../shared/models; skipped when absent)
  scale      seconds per epoch and peak memory at 10k, 30k, 100k and 300k interactions,
             dense and lazy Adam tables, each in its own process (30 s apart),
             three rounds in turn (about 45 minutes);
             also out/bench/scale.svg
             (none named: model and features)
  -h, --help this help`;

if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
  console.log(HELP);
  Deno.exit(0);
}
const parts = Deno.args.length > 0 ? Deno.args : ["model", "features"];
for (const p of parts) {
  if (p !== "model" && p !== "features" && p !== "scale") {
    console.error(
      `error: unknown bench "${p}" (expected "model", "features" or "scale"; see --help)`,
    );
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
    "[bench] model: paper-sized synthetic data, D = 384 and 768, float features in memory and in a file, int8 features, two threads, each in its own process …",
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
if (parts.includes("scale")) {
  console.error(
    `[bench] scale: ${
      SCALE_SIZES.join(", ")
    } interactions, each in its own process, three rounds …`,
  );
  const scale = await benchScale();
  console.log(formatScaleBench(scale));
  result.scale = { results: scale, growth: growthExponents(scale), fitted: fittedExponents(scale) };
  await writeFileAtomic("out/bench/scale.svg", figureToSvg(scaleFigure(scale)));
  console.log("wrote out/bench/scale.svg");
}
(result.machine as Record<string, unknown>).loadAverageEnd = loadavg();
// Peak resident memory of this process, in bytes (model and scale run their work in child
// processes and record each one's own peak).
result.peakMemoryBytes = peakMemory().bytes;
await writeFileAtomic(out, JSON.stringify(result, null, 2) + "\n");
console.log(`\nwrote ${out}`);
