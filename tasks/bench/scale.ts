/**
 * How DReX's cost grows with the data: seconds per training epoch and peak
 * memory at 10k, 30k, 100k and 300k training interactions, each size in a
 * process of its own (so each peak is that size's alone). The data are
 * synthetic with the Video Games shape (users and items in the paper's
 * proportions, long-tailed item popularity) and static features as the
 * default pipeline makes them (a 100-wide lemma table, 64 words per
 * review), so nothing depends on a file. Run directly:
 * `deno run -A tasks/bench/scale.ts [N ...]`, or `deno task bench scale`.
 *
 * @module
 */
import { initBackend } from "../../lib/backend/init.ts";
import { DrexModel } from "../../lib/drex/drex_model.ts";
import type { PlotlyFigure } from "../../lib/plots/figure.ts";
import { axis, baseLayout } from "../../lib/plots/layout.ts";
import { Rng } from "../../lib/random.ts";
import { median } from "../../lib/stats/median.ts";
import type { TokenFeatures } from "../../lib/text/token_features.ts";
import { peakMemory } from "../../lib/util/peak_memory.ts";
import { syntheticSplit } from "./model.ts";

/** Training interactions timed by default. */
export const SCALE_SIZES: readonly number[] = [10_000, 30_000, 100_000, 300_000];

/**
 * How the representation tables are trained: `"dense"` (the default, dense
 * Adam: a row without a gradient still moves along its moments) or `"lazy"`
 * (option `lazyTables`: a row moves only in the batches that read it).
 */
export type TableUpdates = "dense" | "lazy";

/** One size's figures. */
export interface ScaleBenchResult {
  /** How the tables were trained. */
  tables: TableUpdates;
  /** Training interactions. */
  interactions: number;
  /** Users and items of the synthetic data. */
  users: number;
  /** Items. */
  items: number;
  /** Seconds of each timed epoch. */
  epochSeconds: number[];
  /**
   * Seconds of the fastest epoch after the first (the steady state, least
   * disturbed by the host); over several rounds, the fastest of the rounds'.
   */
  epochSecondsSteady: number;
  /** Each round's steady epoch, when the size ran in several rounds. */
  roundSteady?: number[];
  /** The median of {@linkcode roundSteady}, when the size ran in several rounds. */
  medianSteady?: number;
  /** Peak resident memory of the process that ran this size, in bytes. */
  peakMemoryBytes: number;
}

/** Static features shaped as the default pipeline's: a lemma table and 64 words per review. */
function tableFeatures(n: number, rng: Rng, dim = 100, vocabSize = 10_000): TokenFeatures {
  const vocab = Array.from({ length: vocabSize }, (_, k) => `w${k}`);
  const table = new Float32Array(vocabSize * dim).map(() => rng.next() - 0.5);
  const tokens = Array.from(
    { length: n },
    () => Int32Array.from({ length: 64 }, () => rng.int(vocabSize)),
  );
  return { encoder: `bench-table-${dim}`, dim, vocab, tokens, table };
}

/** Trains DReX for `epochs` epochs (default 3) on `interactions` synthetic interactions and times them. */
export async function benchScaleOne(
  interactions: number,
  epochs = 3,
  tables: TableUpdates = "dense",
): Promise<ScaleBenchResult> {
  await initBackend();
  const users = Math.max(10, Math.round((interactions * 933) / 31670));
  const items = Math.max(10, Math.round((interactions * 2347) / 31670));
  const rng = new Rng(7);
  const split = syntheticSplit({ users, items, interactions, seed: 7 }, rng);
  const features = tableFeatures(split.train.length, rng);
  const model = new DrexModel({
    maxEpochs: epochs,
    patience: epochs,
    seed: 7,
    lazyTables: tables === "lazy",
  });
  const report = await model.fit({ split, features }, { progress: false });
  model.dispose();
  const epochSeconds = report.history.map((h) => h.seconds);
  return {
    tables,
    interactions: split.train.length,
    users,
    items,
    epochSeconds,
    // The fastest epoch after the first (which warms up): this shared VM's timings vary by up to a
    // third from epoch to epoch, and the fastest is the least disturbed.
    epochSecondsSteady: Math.min(...epochSeconds.slice(epochSeconds.length > 1 ? 1 : 0)),
    peakMemoryBytes: peakMemory().bytes,
  };
}

/** Seconds {@linkcode benchScale} waits before each process after the first. */
export const SCALE_SETTLE_SECONDS = 30;

/**
 * Runs {@linkcode benchScaleOne} for each table mode and size, each in a
 * process of its own, `rounds` times (default 3) in turn (every size once,
 * then again), so that a slow phase of the host lands on all sizes alike
 * rather than on one; each size keeps its fastest round. Before each process
 * after the first it waits `settleSeconds` (default
 * {@linkcode SCALE_SETTLE_SECONDS}): on the VM these figures come from, a
 * process started right after a large one ran slower while the host took the
 * freed memory back (see `benchModelIsolated`).
 */
export async function benchScale(
  sizes: readonly number[] = SCALE_SIZES,
  modes: readonly TableUpdates[] = ["dense", "lazy"],
  rounds = 3,
  settleSeconds: number = SCALE_SETTLE_SECONDS,
): Promise<ScaleBenchResult[]> {
  const script = new URL(import.meta.url).pathname;
  const runs = new Map<string, ScaleBenchResult[]>();
  let started = 0;
  for (let round = 0; round < rounds; round++) {
    for (const mode of modes) {
      for (const n of sizes) {
        if (started++ > 0 && settleSeconds > 0) {
          await new Promise((done) => setTimeout(done, settleSeconds * 1000));
        }
        const out = await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", script, "--json", ...(mode === "lazy" ? ["--lazy"] : []), String(n)],
          stdout: "piped",
          stderr: "inherit",
        }).output();
        if (!out.success) throw new Error(`bench scale at ${n} interactions failed`);
        const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
        const key = `${mode} ${n}`;
        const run = JSON.parse(lines[lines.length - 1]) as ScaleBenchResult;
        runs.set(key, [...(runs.get(key) ?? []), run]);
        console.error(
          `[bench] scale round ${round + 1}/${rounds}: ${mode} tables, ${n} interactions: ` +
            `steady epoch ${run.epochSecondsSteady.toFixed(2)} s, ` +
            `peak ${(run.peakMemoryBytes / 1e9).toFixed(2)} GB`,
        );
      }
    }
  }
  return [...runs.values()].map((each) => {
    const best = each.reduce((a, b) => (b.epochSecondsSteady < a.epochSecondsSteady ? b : a));
    return {
      ...best,
      epochSeconds: each.flatMap((r) => r.epochSeconds),
      roundSteady: each.map((r) => r.epochSecondsSteady),
      medianSteady: median(each.map((r) => r.epochSecondsSteady)),
      peakMemoryBytes: Math.max(...each.map((r) => r.peakMemoryBytes)),
    };
  });
}

/**
 * The exponent b of `cost ∝ interactions^b` fitted by least squares on
 * log–log axes over all sizes of each table mode (1 is linear): of the
 * steady epoch (`time`), of the rounds' median steady epoch (`timeMedian`,
 * when every size ran in several rounds) and of the peak memory.
 */
export function fittedExponents(
  results: readonly ScaleBenchResult[],
): { tables: TableUpdates; time: number; timeMedian?: number; memory: number }[] {
  const modes = [...new Set(results.map((r) => r.tables))];
  const slope = (x: number[], y: number[]) => {
    const mx = x.reduce((a, b) => a + b, 0) / x.length;
    const my = y.reduce((a, b) => a + b, 0) / y.length;
    let num = 0, den = 0;
    x.forEach((xi, j) => {
      num += (xi - mx) * (y[j] - my);
      den += (xi - mx) ** 2;
    });
    return num / den;
  };
  return modes.map((tables) => {
    const rows = results.filter((r) => r.tables === tables);
    const x = rows.map((r) => Math.log(r.interactions));
    const medians = rows.map((r) => r.medianSteady);
    return {
      tables,
      time: slope(x, rows.map((r) => Math.log(r.epochSecondsSteady))),
      ...(medians.every((m) => m !== undefined)
        ? { timeMedian: slope(x, medians.map((m) => Math.log(m!))) }
        : {}),
      memory: slope(x, rows.map((r) => Math.log(r.peakMemoryBytes))),
    };
  });
}

/**
 * The exponent b of `cost ∝ interactions^b` between consecutive sizes of the
 * same table mode (1 is linear), for the epoch time and the peak memory.
 */
export function growthExponents(
  results: readonly ScaleBenchResult[],
): { tables: TableUpdates; from: number; to: number; time: number; memory: number }[] {
  const out = [];
  for (let j = 1; j < results.length; j++) {
    const a = results[j - 1];
    const b = results[j];
    if (a.tables !== b.tables) continue;
    const x = Math.log(b.interactions / a.interactions);
    out.push({
      tables: b.tables,
      from: a.interactions,
      to: b.interactions,
      time: Math.log(b.epochSecondsSteady / a.epochSecondsSteady) / x,
      memory: Math.log(b.peakMemoryBytes / a.peakMemoryBytes) / x,
    });
  }
  return out;
}

/** A plain-text table of the results and the growth between sizes. */
export function formatScaleBench(results: readonly ScaleBenchResult[]): string {
  const lines = [
    "| tables | interactions | users | items | epoch s (each) | steady epoch s | peak memory GB |",
    "|---|---|---|---|---|---|---|",
    ...results.map((r) =>
      `| ${r.tables} | ${r.interactions} | ${r.users} | ${r.items} | ${
        r.epochSeconds.map((s) => s.toFixed(2)).join(", ")
      } | ${r.epochSecondsSteady.toFixed(2)} | ${(r.peakMemoryBytes / 1e9).toFixed(2)} |`
    ),
    "",
    "growth exponent (1 = linear): " + growthExponents(results)
      .map((g) =>
        `${g.tables} ${g.from}→${g.to}: time ${g.time.toFixed(2)}, memory ${g.memory.toFixed(2)}`
      )
      .join("; "),
    "fitted over all sizes: " + fittedExponents(results)
      .map((g) =>
        `${g.tables}: time ${g.time.toFixed(2)}${
          g.timeMedian === undefined ? "" : ` (round medians ${g.timeMedian.toFixed(2)})`
        }, memory ${g.memory.toFixed(2)}`
      )
      .join("; "),
  ];
  return lines.join("\n");
}

/**
 * Epoch time and peak memory against interactions, both axes logarithmic, one
 * line per table mode, with a linear guide through the smallest size.
 */
export function scaleFigure(results: readonly ScaleBenchResult[]): PlotlyFigure {
  const modes = [...new Set(results.map((r) => r.tables))];
  const layout = baseLayout("DReX cost against training interactions (log–log)", 420);
  layout.xaxis = axis("training interactions", { type: "log", domain: [0, 0.45] });
  layout.yaxis = axis("seconds per epoch", { type: "log" });
  layout.xaxis2 = axis("training interactions", { type: "log", domain: [0.55, 1], anchor: "y2" });
  layout.yaxis2 = axis("peak memory (GB)", { type: "log", anchor: "x2" });
  const data: PlotlyFigure["data"] = [];
  for (const mode of modes) {
    const rows = results.filter((r) => r.tables === mode);
    const x = rows.map((r) => r.interactions);
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: `epoch seconds (${mode} tables)`,
      x,
      y: rows.map((r) => r.epochSecondsSteady),
    });
    if (mode === modes[0]) {
      data.push({
        type: "scatter",
        mode: "lines",
        name: "linear growth",
        x,
        y: rows.map((r) => (rows[0].epochSecondsSteady * r.interactions) / rows[0].interactions),
        line: { dash: "dash", color: "#999999" },
      });
    }
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: `peak memory (${mode} tables)`,
      x,
      y: rows.map((r) => r.peakMemoryBytes / 1e9),
      xaxis: "x2",
      yaxis: "y2",
    });
  }
  return { data, layout };
}

if (import.meta.main) {
  const json = Deno.args.includes("--json");
  const lazy = Deno.args.includes("--lazy");
  const sizes = Deno.args.filter((a) => a !== "--json" && a !== "--lazy").map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 600)) {
    console.error(`error: sizes must be integers of at least 600, got ${Deno.args.join(" ")}`);
    Deno.exit(2);
  }
  if (json) {
    if (sizes.length !== 1) {
      console.error("error: --json runs exactly one size");
      Deno.exit(2);
    }
    console.log(JSON.stringify(await benchScaleOne(sizes[0], 3, lazy ? "lazy" : "dense")));
  } else {
    const modes: TableUpdates[] = lazy ? ["lazy"] : ["dense", "lazy"];
    console.log(formatScaleBench(await benchScale(sizes.length > 0 ? sizes : SCALE_SIZES, modes)));
  }
}
