/**
 * Feature-extraction throughput on real reviews (Amazon 2018 All Beauty
 * 5-core): preprocessing alone, the static encoder (wink 100-d, the one-time
 * embedding load reported apart), and a BERT-family encoder
 * (`random-minilm-l6-shape`, int8: MiniLM-L6 timing, random weights).
 *
 * ```sh
 * deno run -A tasks/bench/features.ts   # prints a table, writes out/bench/features.json
 * ```
 *
 * Timings are wall-clock on this machine, the median of several passes
 * (BERT after a warm-up batch). Each stage reads its own sample, spread evenly
 * over the file.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { join, resolve } from "node:path";
import { cpus, loadavg } from "node:os";
import { writeFileAtomic } from "../../lib/io/atomic_write.ts";
import { BertEncoder } from "../../lib/text/bert_encoder.ts";
import { encodeLemmas } from "../../lib/text/extract_features.ts";
import { Preprocessor } from "../../lib/text/preprocess.ts";
import { StaticEncoder } from "../../lib/text/static_encoder.ts";
import { median } from "../../lib/stats/median.ts";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** `../shared` beside the repository, or `$DREX_SHARED`. */
function sharedDir(): string {
  let fromEnv: string | undefined;
  try {
    fromEnv = Deno.env.get("DREX_SHARED");
  } catch {
    fromEnv = undefined;
  }
  return fromEnv ?? resolve(REPO_ROOT, "..", "shared");
}

/** Options for {@linkcode benchFeatures}. */
export interface FeatureBenchOptions {
  /**
   * Amazon 2018 JSON lines (gzip or plain) with a `reviewText` field.
   * @default ../shared/data/amazon2018_All_Beauty_5.jsonl.gz
   */
  dataPath?: string;
  /**
   * Reviews preprocessed per timing pass.
   * @default 1000
   */
  preprocessReviews?: number;
  /**
   * Reviews encoded with the static encoder per pass; 0 skips the static
   * encoder (and its ~1 GB embedding load).
   * @default 1000
   */
  staticReviews?: number;
  /**
   * Reviews encoded with the BERT-family model; 0 skips it.
   * @default 256
   */
  bertReviews?: number;
  /**
   * BERT-family model folder (or hub id).
   * @default ../shared/models/random-minilm-l6-shape
   */
  bertModel?: string;
  /**
   * Use the int8 model.
   * @default true
   */
  quantized?: boolean;
  /**
   * BERT windows per model call.
   * @default 32
   */
  batchSize?: number;
  /**
   * Timing passes for preprocessing and static encoding (the median is reported).
   * @default 5
   */
  passes?: number;
  /**
   * Timing passes for the BERT encoder, after one warm-up batch (the median is reported).
   * @default 3
   */
  bertPasses?: number;
  /**
   * Receives one line per finished stage.
   * @default undefined (silent)
   */
  onLog?: (line: string) => void;
}

/** One timed stage. */
export interface StageTiming {
  /** Reviews processed per pass. */
  reviews: number;
  /** Median seconds per pass. */
  seconds: number;
  /** `reviews / seconds`. */
  reviewsPerSecond: number;
  /** One-time load before the first pass (model, embeddings), in seconds. */
  loadSeconds: number;
}

/** What {@linkcode benchFeatures} measured. */
export interface FeatureBenchResult {
  /** Data file read. */
  data: string;
  /** Non-blank reviews in the file. */
  reviewsAvailable: number;
  /** Mean characters per review over the preprocessed sample. */
  avgCharsPerReview: number;
  /** Mean kept words (lemmas, `maxWords` 64) per review over the preprocessed sample. */
  avgWordsPerReview: number;
  /**
   * Where it ran; `loadAverage` is the 1-minute load at the start and at the
   * end (other processes on the machine slow the timings down).
   */
  machine: { cpus: number; cpuModel: string; deno: string; os: string; loadAverage: number[] };
  /** Preprocessing alone (wink-nlp); `loadSeconds` is the wink model load. */
  preprocess: StageTiming;
  /** Static encoding of already preprocessed reviews (vocabulary + table); `loadSeconds` is the embedding import. */
  static?: StageTiming & { vocab: number; zeroRows: number; avgWordsPerReview: number };
  /** BERT-family encoding of already preprocessed reviews; `loadSeconds` is tokenizer + ONNX session. */
  bert?: StageTiming & {
    model: string;
    encoder: string;
    runtime: string;
    batchSize: number;
    avgWordsPerReview: number;
    avgWordPiecesPerReview: number;
  };
  /** Whole pipeline (preprocess + encode) per encoder, derived from the stage medians. */
  endToEndReviewsPerSecond: { static?: number; bert?: number };
}

/** Non-blank `reviewText` values of a (gzip) JSON-lines file, in file order. */
export async function readReviewTexts(path: string): Promise<string[]> {
  const bytes = await Deno.readFile(path);
  const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  const text = gzip
    ? await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")))
      .text()
    : new TextDecoder().decode(bytes);
  const out: string[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === "") continue;
    let record: { reviewText?: unknown };
    try {
      record = JSON.parse(lines[i]);
    } catch (error) {
      throw new Error(`${path}:${i + 1}: not JSON (${(error as Error).message})`);
    }
    if (typeof record.reviewText === "string" && record.reviewText.trim() !== "") {
      out.push(record.reviewText);
    }
  }
  return out;
}

function seconds(start: number): number {
  return (performance.now() - start) / 1000;
}

/**
 * `n` items spread evenly over `xs` (every `xs.length / n`-th, deterministic),
 * so the sample is not one product's reviews; cycles when `n > xs.length`.
 */
function spreadSample<T>(xs: T[], n: number): T[] {
  if (xs.length === 0) throw new Error("no reviews to benchmark");
  const step = Math.max(1, xs.length / n);
  return Array.from({ length: n }, (_, i) => xs[Math.floor(i * step) % xs.length]);
}

/** Measures feature-extraction throughput (reviews/s); see the module doc. */
export async function benchFeatures(
  options: FeatureBenchOptions = {},
): Promise<FeatureBenchResult> {
  const {
    dataPath = join(sharedDir(), "data", "amazon2018_All_Beauty_5.jsonl.gz"),
    preprocessReviews = 1000,
    staticReviews = 1000,
    bertReviews = 256,
    bertModel = join(sharedDir(), "models", "random-minilm-l6-shape"),
    quantized = true,
    batchSize = 32,
    passes = 5,
    bertPasses = 3,
    onLog,
  } = options;
  for (const [name, n] of Object.entries({ preprocessReviews, staticReviews, bertReviews })) {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name} must be an integer >= 0`);
  }
  if (preprocessReviews < 1) throw new RangeError("preprocessReviews must be at least 1");
  if (!Number.isInteger(passes) || passes < 1) throw new RangeError("passes must be at least 1");
  if (!Number.isInteger(bertPasses) || bertPasses < 1) {
    throw new RangeError("bertPasses must be at least 1");
  }

  const loadStart = loadavg()[0];
  const all = await readReviewTexts(dataPath);

  let start = performance.now();
  const pre = new Preprocessor();
  const preLoad = seconds(start);
  const preTexts = spreadSample(all, preprocessReviews);
  pre.processAll(preTexts.slice(0, 50)); // warm-up (JIT)
  const preTimes: number[] = [];
  let lemmas: string[][] = [];
  for (let p = 0; p < passes; p++) {
    start = performance.now();
    lemmas = pre.processAll(preTexts);
    preTimes.push(seconds(start));
  }
  const preSeconds = median(preTimes);
  const preprocess: StageTiming = {
    reviews: preprocessReviews,
    seconds: preSeconds,
    reviewsPerSecond: preprocessReviews / preSeconds,
    loadSeconds: preLoad,
  };
  const avgWordsPerReview = lemmas.reduce((n, l) => n + l.length, 0) / lemmas.length;
  const avgCharsPerReview = preTexts.reduce((n, t) => n + t.length, 0) / preTexts.length;
  onLog?.(`preprocess: ${preprocess.reviewsPerSecond.toFixed(0)} reviews/s`);
  const perReviewPre = preSeconds / preprocessReviews;
  const lemmasOf = (n: number): string[][] => pre.processAll(spreadSample(all, n));
  const meanWords = (ls: string[][]): number => ls.reduce((n, l) => n + l.length, 0) / ls.length;

  const result: FeatureBenchResult = {
    data: dataPath,
    reviewsAvailable: all.length,
    avgCharsPerReview,
    avgWordsPerReview,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      deno: Deno.version.deno,
      os: `${Deno.build.os}-${Deno.build.arch}`,
      loadAverage: [loadStart],
    },
    preprocess,
    endToEndReviewsPerSecond: {},
  };

  if (staticReviews > 0) {
    const encoder = new StaticEncoder();
    start = performance.now();
    await encoder.load();
    const loadSeconds = seconds(start);
    const input = lemmasOf(staticReviews);
    const times: number[] = [];
    let vocab = 0;
    let zeroRows = 0;
    for (let p = 0; p < passes; p++) {
      start = performance.now();
      const features = await encodeLemmas(input, encoder);
      times.push(seconds(start));
      vocab = features.vocab.length;
      zeroRows = 0;
      for (let v = 0; v < vocab; v++) {
        if (features.table!.subarray(v * 100, v * 100 + 100).every((x) => x === 0)) zeroRows += 1;
      }
    }
    const s = median(times);
    result.static = {
      reviews: staticReviews,
      seconds: s,
      reviewsPerSecond: staticReviews / s,
      loadSeconds,
      vocab,
      zeroRows,
      avgWordsPerReview: meanWords(input),
    };
    result.endToEndReviewsPerSecond.static = 1 / (perReviewPre + s / staticReviews);
    onLog?.(
      `static: ${result.static.reviewsPerSecond.toFixed(0)} reviews/s (load ${
        loadSeconds.toFixed(1)
      } s)`,
    );
    await encoder.dispose();
  }

  if (bertReviews > 0) {
    const encoder = await BertEncoder.create(bertModel, { quantized, batchSize });
    try {
      start = performance.now();
      await encoder.load();
      const loadSeconds = seconds(start);
      const input = lemmasOf(bertReviews);
      await encoder.encode(input.slice(0, Math.min(batchSize, input.length))); // warm-up
      const times: number[] = [];
      for (let p = 0; p < bertPasses; p++) {
        start = performance.now();
        await encoder.encode(input);
        times.push(seconds(start));
      }
      const s = median(times);
      let pieces = 0;
      for (const words of input) pieces += await encoder.pieceCount(words);
      result.bert = {
        reviews: bertReviews,
        seconds: s,
        reviewsPerSecond: bertReviews / s,
        loadSeconds,
        model: bertModel,
        encoder: encoder.id,
        runtime: encoder.runtime ?? "unknown",
        batchSize,
        avgWordsPerReview: meanWords(input),
        avgWordPiecesPerReview: pieces / input.length,
      };
      result.endToEndReviewsPerSecond.bert = 1 / (perReviewPre + s / bertReviews);
      onLog?.(
        `bert: ${result.bert.reviewsPerSecond.toFixed(1)} reviews/s on ${result.bert.runtime}`,
      );
    } finally {
      await encoder.dispose();
    }
  }
  result.machine.loadAverage.push(loadavg()[0]);
  return result;
}

/** The result as a plain-text table. */
export function formatFeatureBench(r: FeatureBenchResult): string {
  const rows: string[][] = [["stage", "reviews", "seconds", "reviews/s", "load s", "notes"]];
  const fmt = (x: number, d: number): string => x.toFixed(d);
  rows.push([
    "preprocess (wink-nlp)",
    String(r.preprocess.reviews),
    fmt(r.preprocess.seconds, 3),
    fmt(r.preprocess.reviewsPerSecond, 0),
    fmt(r.preprocess.loadSeconds, 2),
    `${fmt(r.avgWordsPerReview, 1)} kept words/review, ${fmt(r.avgCharsPerReview, 0)} chars/review`,
  ]);
  if (r.static) {
    rows.push([
      "static encode (wink sg-100d)",
      String(r.static.reviews),
      fmt(r.static.seconds, 4),
      fmt(r.static.reviewsPerSecond, 0),
      fmt(r.static.loadSeconds, 2),
      `${
        fmt(r.static.avgWordsPerReview, 1)
      } words/review, vocab ${r.static.vocab}, ${r.static.zeroRows} zero rows; end-to-end ${
        fmt(r.endToEndReviewsPerSecond.static!, 0)
      } reviews/s`,
    ]);
  }
  if (r.bert) {
    rows.push([
      `bert encode (${r.bert.encoder.split(":")[1]?.replace(/#.*/, "")})`,
      String(r.bert.reviews),
      fmt(r.bert.seconds, 2),
      fmt(r.bert.reviewsPerSecond, 1),
      fmt(r.bert.loadSeconds, 2),
      `${r.bert.runtime}, batch ${r.bert.batchSize}, ${
        fmt(r.bert.avgWordsPerReview, 1)
      } words and ${fmt(r.bert.avgWordPiecesPerReview, 1)} pieces/review; end-to-end ${
        fmt(r.endToEndReviewsPerSecond.bert!, 1)
      } reviews/s`,
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]): string =>
    row.map((cell, c) => (c === 0 || c === 5 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join("  ").trimEnd();
  const m = r.machine;
  return [
    `Feature extraction on ${r.data} (${r.reviewsAvailable} reviews)`,
    `Machine: ${m.cpus} × ${m.cpuModel}, Deno ${m.deno}, ${m.os}, load average ${
      m.loadAverage.map((x) => x.toFixed(2)).join(" → ")
    }`,
    line(rows[0]),
    ...rows.slice(1).map(line),
  ].join("\n");
}

if (import.meta.main) {
  const result = await benchFeatures({ onLog: (line) => console.error(line) });
  console.log(formatFeatureBench(result));
  const out = join(REPO_ROOT, "out", "bench", "features.json");
  await writeFileAtomic(out, JSON.stringify(result, null, 2) + "\n");
  console.log(`\nwrote ${out}`);
}
