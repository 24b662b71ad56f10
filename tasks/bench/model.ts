/**
 * DReX speed at the paper's Video Games size: time per training epoch,
 * per-interaction inference time, and full-ranking scoring throughput.
 *
 * The data are synthetic with the paper's shape (933 users, 2,347 items,
 * 31,670 training interactions, a long-tailed item popularity) and random
 * per-token features (64 words per review, D = 384 or 768), so timings do
 * not depend on any file. Run directly: `deno run -A tasks/bench/model.ts`.
 *
 * @module
 */
import { initBackend } from "../../lib/backend/init.ts";
import { IdMap } from "../../lib/data/id_map.ts";
import type { DatasetSplit, IndexedInteraction } from "../../lib/data/types.ts";
import { DrexModel } from "../../lib/drex/drex_model.ts";
import type { DrexVariant } from "../../lib/drex/options.ts";
import { Rng } from "../../lib/random.ts";
import type { TokenFeatures } from "../../lib/text/token_features.ts";
import { ResidentInt8Builder } from "../../lib/kernels/resident_rows.ts";
import { ResidentFloatBuilder } from "../../lib/kernels/resident_float_rows.ts";
import { writePerTokenFile } from "../../lib/text/per_token_file.ts";
import { peakMemory } from "../../lib/util/peak_memory.ts";
import { median } from "../../lib/stats/median.ts";
import { hostProbeNsPerToken as probeHost } from "./host_probe.ts";

/** How a model benchmark stores its token features (see {@linkcode ModelBenchOptions}). */
export type FeatureStorage = "f32" | "file" | "int8";

/** Sizes of a model benchmark. */
export interface ModelBenchOptions {
  /** Users. @default 933 */
  users?: number;
  /** Items. @default 2347 */
  items?: number;
  /** Training interactions (one epoch passes over all of them). @default 31670 */
  interactions?: number;
  /** Words per review. @default 64 */
  wordsPerReview?: number;
  /** Token feature widths to time. @default [384, 768] */
  featureDims?: number[];
  /** Latent size d. @default 64 */
  latentDim?: number;
  /** Epochs to time (the first includes warm-up). @default 4 */
  epochs?: number;
  /** Variant to time. @default "drex" */
  variant?: DrexVariant;
  /** Seed of the synthetic data. @default 7 */
  seed?: number;
  /**
   * How the token features are stored: `"f32"` in memory, `"file"` (float,
   * left in a temporary file and read batch by batch: `perTokenFile`), or
   * `"int8"` rows with a scale each (`compactFeatures`: a quarter of the
   * bytes, read in place).
   * @default "f32"
   */
  featureStorage?: FeatureStorage;
  /**
   * Threads of the training kernels (DReX option `threads`, whose own
   * default is 1): the bench times the fastest configuration.
   * @default 2
   */
  threads?: number;
}

/** Timings for one feature width. */
export interface ModelBenchResult {
  /** Feature width D. */
  featureDim: number;
  /** Training interactions per epoch. */
  interactions: number;
  /** Seconds of each timed epoch (user pass, item pass, state refreshes, validation). */
  epochSeconds: number[];
  /**
   * Seconds of the steady-state epoch: the fastest after the first. This
   * VM's epochs vary by up to a third from one to the next (other guests),
   * and the fastest is the one least disturbed.
   */
  epochSecondsSteady: number;
  /** Median seconds of the epochs after the first. */
  epochSecondsMedian: number;
  /** Mean microseconds to predict one (user, item) rating, in batches of 8,192 pairs. */
  predictMicrosPerInteraction: number;
  /** Scores per second of `scoreAllItems` over every user × every item. */
  fullRankingScoresPerSecond: number;
  /** Seconds to make the random features (not part of training). */
  setupSeconds: number;
  /** How the token features were stored. */
  featureStorage: FeatureStorage;
  /** Threads of the training kernels. */
  threads: number;
  /** Validation RMSE after the timed epochs (to compare storages: same data, same seed). */
  validationRmse: number;
  /**
   * The host's speed around the epochs: nanoseconds per token of a fixed
   * one-thread workload (`host_probe.ts`), timed before training and
   * after each epoch (outside the epoch's time). Epochs on two hosts, or two
   * phases of one, compare through it: same code, same probe, same epoch.
   */
  hostProbeNsPerToken: number[];
  /**
   * Peak resident memory, in bytes, of the process that ran this width
   * alone (`deno task bench` runs each width and storage in its own process);
   * absent when several ran in one process.
   */
  peakMemoryBytes?: number;
}

/**
 * A paper-sized split with long-tailed item popularity; every interaction in
 * train, listed by user and then in time order, as `splitDataset` lists real
 * data.
 */
export function syntheticSplit(
  o: { users: number; items: number; interactions: number; seed: number },
  rng: Rng,
): DatasetSplit {
  // Distinct pairs are drawn by rejection: leave room, or the draw never ends.
  if (o.interactions > 0.8 * o.users * o.items) {
    throw new RangeError(
      `syntheticSplit: ${o.interactions} interactions need more than ${o.users} users × ${o.items} items × 0.8`,
    );
  }
  const train: IndexedInteraction[] = [];
  const seen = new Set<number>();
  // Zipf-like item popularity so a few items have long sequences, as in real data.
  const weights = Array.from({ length: o.items }, (_, i) => 1 / Math.pow(i + 1, 0.8));
  const total = weights.reduce((a, b) => a + b, 0);
  const cdf: number[] = [];
  let acc = 0;
  for (const w of weights) cdf.push(acc += w / total);
  const drawItem = () => {
    const x = rng.next();
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  while (train.length < o.interactions) {
    const user = train.length < o.users ? train.length : rng.int(o.users);
    const item = train.length < o.items ? train.length : drawItem();
    const key = user * o.items + item;
    if (seen.has(key)) continue;
    seen.add(key);
    train.push({ user, item, rating: 1 + rng.int(5), timestamp: train.length, review: "x" });
  }
  // Listed as splitDataset lists real data: by user, then in time order. (Drawn in random order,
  // every row of a side's pass sat far from the one before, which real data never does.)
  train.sort((a, b) => a.user - b.user || a.timestamp! - b.timestamp!);
  const validation = Array.from({ length: 500 }, () => ({
    user: rng.int(o.users),
    item: rng.int(o.items),
    rating: 1 + rng.int(5),
  }));
  return {
    users: IdMap.from(Array.from({ length: o.users }, (_, u) => `u${u}`)),
    items: IdMap.from(Array.from({ length: o.items }, (_, i) => `i${i}`)),
    train,
    validation,
    test: [],
    report: {
      seed: o.seed,
      ratios: [1, 0, 0],
      movedFromValidation: 0,
      movedFromTest: 0,
      counts: { train: train.length, validation: validation.length, test: 0 },
    },
  };
}

/**
 * Random per-token features: `interactions` reviews of `words` tokens, width
 * `dim`; with `"int8"` each review is compacted as it is made, and with
 * `"file"` written to a new temporary file as it is made (delete
 * `perTokenFile.path` when done), so the floats are never all held at once.
 * Every storage draws the same numbers.
 */
export function randomFeatures(
  n: number,
  words: number,
  dim: number,
  rng: Rng,
  storage: FeatureStorage = "f32",
): TokenFeatures {
  const vocab = Array.from({ length: 1000 }, (_, k) => `w${k}`);
  const tokens: Int32Array[] = [];
  const encoder = `bench-random-${dim}`;
  const blocks = function* (): Generator<Float32Array> {
    for (let r = 0; r < n; r++) {
      tokens.push(Int32Array.from({ length: words }, () => rng.int(vocab.length)));
      const block = new Float32Array(words * dim);
      for (let j = 0; j < block.length; j++) block[j] = rng.next() - 0.5;
      yield block;
    }
  };
  if (storage === "file") {
    const path = Deno.makeTempFileSync({ prefix: "drex-bench-features-", suffix: ".f32" });
    return { encoder, dim, vocab, tokens, perTokenFile: writePerTokenFile(path, blocks()) };
  }
  if (storage === "int8") {
    // Int8 rows are quantized straight into the memory the pooling kernel runs on.
    const builder = new ResidentInt8Builder(dim, new Int32Array(n).fill(words));
    let r = 0;
    for (const block of blocks()) builder.set(r++, block);
    return { encoder, dim, vocab, tokens, perTokenInt8: builder.build() };
  }
  // Float rows are made straight in the memories the pooling kernel runs on, as the cache reads them.
  const builder = new ResidentFloatBuilder(dim, new Int32Array(n).fill(words));
  let r = 0;
  for (const block of blocks()) builder.set(r++, block);
  const { perToken, resident } = builder.build();
  return { encoder, dim, vocab, tokens, perToken, perTokenResident: resident };
}

/** Times DReX at each feature width in `options.featureDims`. */
export async function benchModel(options: ModelBenchOptions = {}): Promise<ModelBenchResult[]> {
  const o: Required<ModelBenchOptions> = {
    users: 933,
    items: 2347,
    interactions: 31670,
    wordsPerReview: 64,
    featureDims: [384, 768],
    latentDim: 64,
    epochs: 4,
    variant: "drex",
    seed: 7,
    featureStorage: "f32",
    threads: 2,
    ...options,
  };
  await initBackend();
  const results: ModelBenchResult[] = [];
  for (const dim of o.featureDims) {
    const rng = new Rng(o.seed);
    const t0 = performance.now();
    const split = syntheticSplit(o, rng);
    let features: TokenFeatures | undefined = randomFeatures(
      split.train.length,
      o.wordsPerReview,
      dim,
      rng,
      o.featureStorage,
    );
    const setupSeconds = (performance.now() - t0) / 1000;
    const model = new DrexModel({
      variant: o.variant,
      latentDim: o.latentDim,
      maxEpochs: o.epochs,
      patience: o.epochs,
      seed: o.seed,
      threads: o.threads,
    });
    const inFile = features.perTokenFile?.path;
    const hostProbeNsPerToken = [probeHost()];
    let report;
    try {
      report = await model.fit({ split, features }, {
        progress: false,
        onEpoch: () => hostProbeNsPerToken.push(probeHost()),
      });
    } finally {
      features = undefined; // free the features before timing inference
      if (inFile) Deno.removeSync(inFile);
    }

    const pairs = 8192;
    const users = Int32Array.from({ length: pairs }, () => rng.int(o.users));
    const items = Int32Array.from({ length: pairs }, () => rng.int(o.items));
    model.predict(users, items);
    let t = performance.now();
    const reps = 20;
    for (let r = 0; r < reps; r++) model.predict(users, items);
    const predictMicros = ((performance.now() - t) * 1000) / (reps * pairs);

    const allUsers = Int32Array.from({ length: o.users }, (_, u) => u);
    model.scoreAllItems(allUsers.subarray(0, 16));
    t = performance.now();
    model.scoreAllItems(allUsers);
    const scoreSeconds = (performance.now() - t) / 1000;

    const epochSeconds = report.history.map((h) => h.seconds);
    // Every epoch after the first (which warms up), or the only one.
    const steady = epochSeconds.slice(epochSeconds.length > 1 ? 1 : 0);
    results.push({
      featureDim: dim,
      interactions: split.train.length,
      epochSeconds,
      epochSecondsSteady: Math.min(...steady),
      epochSecondsMedian: median(steady),
      predictMicrosPerInteraction: predictMicros,
      fullRankingScoresPerSecond: (o.users * o.items) / scoreSeconds,
      setupSeconds,
      featureStorage: o.featureStorage,
      threads: o.threads,
      validationRmse: report.history[report.history.length - 1].validationRmse,
      hostProbeNsPerToken,
    });
    model.dispose();
  }
  return results;
}

/** A plain-text table of {@linkcode benchModel} results. */
export function formatModelBench(results: ModelBenchResult[]): string {
  const lines = [
    "| D | storage | threads | interactions | epoch s (each) | steady epoch s (fastest after the first) | median after the first | validation RMSE | peak memory GB | predict µs/interaction | full ranking scores/s | host probe ns/token (median) |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of results) {
    const memory = r.peakMemoryBytes === undefined ? "–" : (r.peakMemoryBytes / 1e9).toFixed(2);
    lines.push(
      `| ${r.featureDim} | ${r.featureStorage} | ${r.threads} | ${r.interactions} | ${
        r.epochSeconds.map((s) => s.toFixed(2)).join(", ")
      } | ` +
        `${r.epochSecondsSteady.toFixed(2)} | ${r.epochSecondsMedian.toFixed(2)} | ` +
        `${r.validationRmse.toFixed(6)} | ${memory} | ` +
        `${r.predictMicrosPerInteraction.toFixed(2)} | ` +
        `${Math.round(r.fullRankingScoresPerSecond).toLocaleString("en-US")} | ` +
        `${median(r.hostProbeNsPerToken).toFixed(1)} |`,
    );
  }
  return lines.join("\n");
}

/** Seconds {@linkcode benchModelIsolated} waits before each configuration after the first. */
export const SETTLE_SECONDS = 45;

/**
 * Runs {@linkcode benchModel} for each width and storage in a process of its
 * own (`deno run tasks/bench/model.ts --json`), so that each result carries
 * the peak memory of that configuration alone. Between two configurations it
 * waits `settleSeconds`: on the VM these figures come from, a process started
 * right after one that used 8 GB ran a third slower through all its epochs
 * (int8, D = 384: 4.14 s against 3.01–3.08 s alone, and 3.03 s after a
 * minute's pause), while the host took the freed memory back.
 */
export async function benchModelIsolated(
  featureDims: number[] = [384, 768],
  storages: FeatureStorage[] = ["f32", "file", "int8"],
  settleSeconds: number = SETTLE_SECONDS,
): Promise<ModelBenchResult[]> {
  const results: ModelBenchResult[] = [];
  const script = new URL(import.meta.url).pathname;
  for (const storage of storages) {
    for (const dim of featureDims) {
      if (results.length > 0 && settleSeconds > 0) {
        await new Promise((done) => setTimeout(done, settleSeconds * 1000));
      }
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", script, "--json", "--storage", storage, String(dim)],
        stdout: "piped",
        stderr: "inherit",
      }).output();
      if (!out.success) throw new Error(`bench model D = ${dim} (${storage}) failed`);
      const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
      results.push(...(JSON.parse(lines[lines.length - 1]) as ModelBenchResult[]));
    }
  }
  return results;
}

if (import.meta.main) {
  let json = false;
  let storage = "f32";
  const dims: number[] = [];
  for (let j = 0; j < Deno.args.length; j++) {
    const arg = Deno.args[j];
    if (arg === "--json") json = true;
    else if (arg === "--storage") storage = Deno.args[++j] ?? "";
    else dims.push(Number(arg));
  }
  if (storage !== "f32" && storage !== "file" && storage !== "int8") {
    console.error(`error: --storage must be f32, file or int8, got "${storage}"`);
    Deno.exit(2);
  }
  if (dims.some((d) => !Number.isInteger(d) || d < 1)) {
    console.error(`error: feature widths must be positive integers, got ${Deno.args.join(" ")}`);
    Deno.exit(2);
  }
  const results = await benchModel({
    featureStorage: storage,
    ...(dims.length > 0 ? { featureDims: dims } : {}),
  });
  // One width per process: its peak is this width's alone.
  if (results.length === 1) results[0].peakMemoryBytes = peakMemory().bytes;
  console.log(json ? JSON.stringify(results) : formatModelBench(results));
}
