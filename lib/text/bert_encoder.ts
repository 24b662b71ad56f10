/**
 * Contextual token encoder: a BERT-family model (BERT, MiniLM, ...) run with
 * transformers.js 2.x over the preprocessed word sequence; a word's feature is
 * the mean of its word-pieces' last hidden states (spec section 2).
 *
 * transformers.js is imported lazily (dynamic import) on first use, so code
 * that never uses BERT never loads it. Only its text parts are imported (the
 * tokenizer, the config and file loaders, its ONNX runtime binding), never its
 * entry point: that one loads the image library sharp, a native module whose
 * install step downloads a binary, which fails offline and in projects that do
 * not run npm install scripts. The model itself runs as an ONNX session on
 * `onnxruntime-node` (native CPU execution provider), exactly as
 * transformers.js would run it; {@linkcode BertEncoder.runtime} reports which
 * ONNX runtime was picked.
 *
 * @module
 */
import { InputFileError } from "../data/input_file_error.ts";
import { createHash } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";
import type { EncodeOptions, TokenEncoder } from "./token_encoder.ts";

/** Options for {@linkcode BertEncoder.create}. */
export interface BertEncoderOptions {
  /**
   * Load the int8 model (`onnx/model_quantized.onnx`) instead of fp32
   * (`onnx/model.onnx`). Int8 is about 2–4× faster on CPU. Its activations are
   * quantized per batch (dynamic quantization), so an int8 word feature can
   * differ slightly with the batch it was computed in; fp32 features do not
   * (beyond float rounding).
   * @default true
   */
  quantized?: boolean;
  /**
   * Text windows per model call. Windows are sorted by length first and padded
   * only to the longest in their batch (length bucketing).
   * @default 32
   */
  batchSize?: number;
  /**
   * Most word-pieces per model window, `[CLS]` and `[SEP]` included. A word
   * sequence longer than one window is split at word boundaries into
   * consecutive windows, each encoded as its own `[CLS] ... [SEP]` input: every
   * word gets a feature, but context does not cross windows. A single word
   * with more pieces than `maxLength - 2` keeps its first `maxLength - 2`.
   * @default the model's `max_position_embeddings` (512 for BERT), or 512
   */
  maxLength?: number;
}

/** The parts of a transformers.js tokenizer that the encoder uses. */
interface TokenizerLike {
  encode(text: string, pair: null, options: { add_special_tokens: boolean }): number[];
  pad_token_id?: number;
  unk_token_id?: number;
}

/** The output tensor of a transformers.js model call. */
interface HiddenStates {
  dims: number[];
  data: Float32Array;
}

/** The parts of an ONNX runtime inference session that the encoder uses. */
interface SessionLike {
  inputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, HiddenStates | undefined>>;
  handler?: { constructor?: { name?: string }; dispose?(): Promise<unknown> };
}

/** The text parts of transformers.js that the encoder uses. */
interface TransformersLike {
  env: { allowRemoteModels: boolean; localModelPath: string };
  AutoConfig: { from_pretrained(id: string, options?: object): Promise<Record<string, unknown>> };
  AutoTokenizer: { from_pretrained(id: string, options?: object): Promise<TokenizerLike> };
  /** Reads a model file from the local folder, the cache or the hub (transformers.js's rules). */
  getModelFile(id: string, file: string, fatal: boolean, options?: object): Promise<Uint8Array>;
  /** The ONNX runtime transformers.js picked (`onnxruntime-node` under Deno). */
  ONNX: {
    InferenceSession: { create(model: Uint8Array, options: object): Promise<SessionLike> };
    Tensor: new (type: string, data: BigInt64Array, dims: number[]) => unknown;
  };
  /** The execution providers transformers.js uses with that runtime. */
  executionProviders: unknown[];
}

/**
 * The text parts of transformers.js, imported on first use (the module loader
 * caches them). Its entry point is avoided on purpose: it re-exports the image
 * utilities, which load sharp at start-up (see the module doc).
 */
async function importTransformers(): Promise<TransformersLike> {
  // Literal specifiers (the version deno.json pins), so that publishing can analyse them.
  const [env, configs, tokenizers, hub, onnx] = await Promise.all([
    import("npm:@xenova/transformers@2.17.2/src/env.js"),
    import("npm:@xenova/transformers@2.17.2/src/configs.js"),
    import("npm:@xenova/transformers@2.17.2/src/tokenizers.js"),
    import("npm:@xenova/transformers@2.17.2/src/utils/hub.js"),
    import("npm:@xenova/transformers@2.17.2/src/backends/onnx.js"),
  ]);
  return {
    env: env.env,
    AutoConfig: configs.AutoConfig,
    AutoTokenizer: tokenizers.AutoTokenizer,
    getModelFile: hub.getModelFile,
    ONNX: onnx.ONNX,
    executionProviders: onnx.executionProviders,
  } as TransformersLike;
}

/**
 * transformers.js keeps `env` (local model folder, remote switch) as global
 * state, read while a model loads. Loads that change it run one at a time;
 * this queue is the only state the module keeps, and it exists because of
 * that third-party global.
 */
let envLock: Promise<unknown> = Promise.resolve();

function withEnvLock<T>(task: () => Promise<T>): Promise<T> {
  const run = envLock.then(task, task);
  envLock = run.catch(() => {});
  return run;
}

/** Where a model comes from: a local folder (offline) or a model-hub id. */
interface ModelSource {
  /** Local folder: its parent, used as `env.localModelPath`. */
  parent?: string;
  /** Id passed to `from_pretrained`: the folder's name, or the hub id. */
  id: string;
}

/**
 * Whether `model` is written as a path (absolute, relative with `./` or
 * `../`, home-relative, or with a trailing slash) rather than a hub id
 * (`owner/name`).
 */
export function looksLikePath(model: string): boolean {
  return /^(\/|\.{1,2}[\/\\]|~|[A-Za-z]:[\/\\])/.test(model) || /[\/\\]$/.test(model);
}

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

function fileSize(path: string): number {
  try {
    return Deno.statSync(path).size;
  } catch {
    return -1;
  }
}

/**
 * Contextual token encoder over a BERT-family ONNX model.
 *
 * Per input sequence of words: each word is split into word-pieces with the
 * model's tokenizer, the pieces are framed as `[CLS] pieces... [SEP]`
 * (windows of at most `maxLength` pieces, see
 * {@linkcode BertEncoderOptions.maxLength}), windows from all sequences are
 * sorted by length and run in padded batches with an attention mask, and each
 * word's feature is the mean of its pieces' last hidden states.
 *
 * @example
 * ```ts ignore
 * import { BertEncoder } from "./bert_encoder.ts";
 * const encoder = await BertEncoder.create("../shared/models/tiny-random-bert", { quantized: false });
 * const [rows] = await encoder.encode([["great", "shampoo"]]); // 2 × 32 values
 * await encoder.dispose();
 * ```
 */
export class BertEncoder implements TokenEncoder {
  /** `"bert:<model>:<int8|fp32>:max<maxLength>"`; a local model is named by folder name and a content fingerprint. */
  readonly id: string;
  /** Hidden size of the model (768 for bert-base, 384 for MiniLM). */
  readonly dim: number;
  /** `true`: a word's feature depends on its neighbours. */
  readonly contextual: boolean = true;
  /** Most pieces per window, `[CLS]` and `[SEP]` included. */
  readonly maxLength: number;
  /** Windows per model call. */
  readonly batchSize: number;
  /** Whether the int8 model is used. */
  readonly quantized: boolean;
  #source: ModelSource;
  #tokenizer: TokenizerLike | undefined;
  #session: SessionLike | undefined;
  #loading: Promise<void> | undefined;
  #pieces = new Map<string, number[]>();
  #cls = 0;
  #sep = 0;
  #pad = 0;
  #unk = 0;

  private constructor(
    source: ModelSource,
    id: string,
    dim: number,
    maxLength: number,
    batchSize: number,
    quantized: boolean,
  ) {
    this.#source = source;
    this.id = id;
    this.dim = dim;
    this.maxLength = maxLength;
    this.batchSize = batchSize;
    this.quantized = quantized;
  }

  /**
   * Creates an encoder for `model`: a local folder holding `config.json`,
   * the tokenizer files and `onnx/model[_quantized].onnx` (loaded with
   * `env.allowRemoteModels = false`), or else a model-hub id such as
   * `"Xenova/bert-base-uncased"` (needs the hub or transformers.js's cache).
   * Reads only the model's config; tokenizer and weights load on first use.
   */
  static async create(model: string, options: BertEncoderOptions = {}): Promise<BertEncoder> {
    if (typeof model !== "string" || model.trim() === "") {
      throw new TypeError("BertEncoder: model must be a folder path or a model-hub id");
    }
    const { quantized = true, batchSize = 32 } = options;
    if (typeof quantized !== "boolean") {
      throw new TypeError("BertEncoder: quantized must be a boolean");
    }
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`BertEncoder: batchSize must be a positive integer, got ${batchSize}`);
    }
    let config: Record<string, unknown>;
    let source: ModelSource;
    let name: string;
    if (isDirectory(model)) {
      const folder = resolve(model);
      source = { parent: dirname(folder), id: basename(folder) };
      const configPath = join(folder, "config.json");
      let text: string;
      try {
        text = await Deno.readTextFile(configPath);
      } catch (error) {
        throw new InputFileError({
          file: configPath,
          detail: `cannot read the BERT model's config (${(error as Error).message})`,
        }, { cause: error });
      }
      try {
        config = JSON.parse(text);
      } catch (error) {
        throw new InputFileError({
          file: configPath,
          detail: `is not JSON (${(error as Error).message})`,
        }, { cause: error });
      }
      const onnx = join(folder, "onnx", quantized ? "model_quantized.onnx" : "model.onnx");
      if (fileSize(onnx) < 0) {
        throw new InputFileError({
          file: onnx,
          detail: "the BERT model's weights are missing" +
            (quantized
              ? " (quantized: false uses the fp32 model)"
              : " (quantized: true uses int8)"),
        });
      }
      const fingerprint = createHash("sha256")
        .update(text)
        .update(`\0${fileSize(onnx)}\0${fileSize(join(folder, "tokenizer.json"))}`)
        .digest("hex")
        .slice(0, 12);
      name = `local/${source.id}#${fingerprint}`;
    } else if (looksLikePath(model)) {
      throw new InputFileError({ file: model, detail: "no such BERT model folder" });
    } else {
      source = { id: model };
      const transformers = await importTransformers();
      try {
        config = await transformers.AutoConfig.from_pretrained(model);
      } catch (error) {
        throw new InputFileError({
          file: model,
          detail: `not a local folder, and its config could not be loaded from the model hub ` +
            `or transformers.js's cache (${(error as Error).message})`,
        }, { cause: error });
      }
      name = model;
    }
    const dim = config.hidden_size;
    if (typeof dim !== "number" || !Number.isInteger(dim) || dim < 1) {
      throw new Error(`BertEncoder: ${model}: config has no valid hidden_size`);
    }
    const positions = typeof config.max_position_embeddings === "number"
      ? config.max_position_embeddings
      : 512;
    const maxLength = options.maxLength ?? positions;
    if (!Number.isInteger(maxLength) || maxLength < 3 || maxLength > positions) {
      throw new RangeError(
        `BertEncoder: maxLength must be an integer in [3, ${positions}], got ${maxLength}`,
      );
    }
    const id = `bert:${name}:${quantized ? "int8" : "fp32"}:max${maxLength}`;
    return new BertEncoder(source, id, dim, maxLength, batchSize, quantized);
  }

  /**
   * Which ONNX runtime runs the model, once loaded: `"onnxruntime-node"`
   * (native, expected under Deno and Node), `"onnxruntime-web"` (WebAssembly),
   * or `undefined` before loading.
   */
  get runtime(): string | undefined {
    if (!this.#session) return undefined;
    const handler = this.#session.handler?.constructor?.name ?? "";
    if (handler === "OnnxruntimeSessionHandler") return "onnxruntime-node";
    if (handler.includes("WebAssembly")) return "onnxruntime-web";
    return `unknown (${handler || "no session handler"})`;
  }

  /** Loads transformers.js's text modules, the tokenizer and the ONNX model (once). */
  load(): Promise<void> {
    this.#loading ??= this.#doLoad().catch((error) => {
      this.#loading = undefined;
      throw error;
    });
    return this.#loading;
  }

  async #doLoad(): Promise<void> {
    const transformers = await importTransformers();
    const source = this.#source;
    const { tokenizer, session } = await withEnvLock(async () => {
      const env = transformers.env;
      const saved = {
        allowRemoteModels: env.allowRemoteModels,
        localModelPath: env.localModelPath,
      };
      if (source.parent !== undefined) {
        env.allowRemoteModels = false;
        env.localModelPath = source.parent + "/";
      }
      try {
        const local = source.parent !== undefined;
        const tokenizer = await transformers.AutoTokenizer.from_pretrained(source.id, {
          local_files_only: local,
        });
        // What transformers.js's AutoModel does for an encoder: the weights file, then a session.
        const weights = await transformers.getModelFile(
          source.id,
          `onnx/${this.quantized ? "model_quantized" : "model"}.onnx`,
          true,
          { local_files_only: local },
        );
        const session = await transformers.ONNX.InferenceSession.create(weights, {
          executionProviders: transformers.executionProviders,
        });
        return { tokenizer, session };
      } finally {
        env.allowRemoteModels = saved.allowRemoteModels;
        env.localModelPath = saved.localModelPath;
      }
    });
    const special = tokenizer.encode("", null, { add_special_tokens: true });
    if (special.length !== 2) {
      await session.handler?.dispose?.();
      throw new Error(
        `BertEncoder: ${source.id}: expected a BERT-style tokenizer ([CLS] text [SEP]), ` +
          `got ${special.length} special tokens around an empty text`,
      );
    }
    [this.#cls, this.#sep] = special;
    this.#pad = tokenizer.pad_token_id ?? 0;
    this.#unk = tokenizer.unk_token_id ?? this.#pad;
    this.#tokenizer = tokenizer;
    this.#session = session;
  }

  /** Word-piece ids of one word (cached per encoder). */
  #wordPieces(word: string): number[] {
    let ids = this.#pieces.get(word);
    if (ids === undefined) {
      ids = this.#tokenizer!.encode(word, null, { add_special_tokens: false });
      if (ids.length === 0) ids = [this.#unk];
      if (this.#pieces.size < 1_000_000) this.#pieces.set(word, ids);
    }
    return ids;
  }

  /**
   * Word-pieces `words` splits into (special tokens not counted), e.g. to
   * estimate encoding cost; loads the tokenizer.
   */
  async pieceCount(words: readonly string[]): Promise<number> {
    await this.load();
    let n = 0;
    for (const word of words) n += this.#wordPieces(word).length;
    return n;
  }

  /** Per sequence, `length × dim` values: the mean last hidden state of each word's pieces. */
  async encode(
    sequences: readonly (readonly string[])[],
    options: EncodeOptions = {},
  ): Promise<Float32Array[]> {
    if (!Array.isArray(sequences)) {
      throw new TypeError("BertEncoder.encode: sequences must be an array of word arrays");
    }
    await this.load();
    const { onProgress } = options;
    const D = this.dim;
    const budget = this.maxLength - 2;
    const out: Float32Array[] = new Array(sequences.length);
    const windowsLeft = new Int32Array(sequences.length);
    const windows: Window[] = [];
    let finished = 0;
    for (let s = 0; s < sequences.length; s++) {
      const words = sequences[s];
      if (!Array.isArray(words)) {
        throw new TypeError(`BertEncoder.encode: sequence ${s} is not an array of words`);
      }
      out[s] = new Float32Array(words.length * D);
      let current: Window | undefined;
      for (let k = 0; k < words.length; k++) {
        if (typeof words[k] !== "string") {
          throw new TypeError(`BertEncoder.encode: sequence ${s}, word ${k} is not a string`);
        }
        let pieces = this.#wordPieces(words[k]);
        if (pieces.length > budget) pieces = pieces.slice(0, budget);
        if (current === undefined || current.ids.length + pieces.length > budget) {
          current = { sequence: s, firstWord: k, ids: [], counts: [] };
          windows.push(current);
          windowsLeft[s] += 1;
        }
        for (const p of pieces) current.ids.push(p);
        current.counts.push(pieces.length);
      }
      if (words.length === 0) finished += 1;
    }
    const order = windows.map((_, i) => i);
    order.sort((a, b) => windows[a].ids.length - windows[b].ids.length || a - b);
    for (let start = 0; start < order.length; start += this.batchSize) {
      const batch = order.slice(start, start + this.batchSize).map((i) => windows[i]);
      const hidden = await this.#run(batch);
      const L = hidden.dims[1];
      for (let b = 0; b < batch.length; b++) {
        const w = batch[b];
        const target = out[w.sequence];
        let pos = 1;
        for (let j = 0; j < w.counts.length; j++) {
          const n = w.counts[j];
          const row = (w.firstWord + j) * D;
          for (let p = 0; p < n; p++) {
            const from = ((b * L) + pos + p) * D;
            for (let d = 0; d < D; d++) target[row + d] += hidden.data[from + d];
          }
          for (let d = 0; d < D; d++) target[row + d] /= n;
          pos += n;
        }
        windowsLeft[w.sequence] -= 1;
        if (windowsLeft[w.sequence] === 0) finished += 1;
      }
      onProgress?.(finished, sequences.length);
    }
    if (onProgress && order.length === 0) onProgress(finished, sequences.length);
    return out;
  }

  /** One padded model call over `batch`; returns the last hidden states `[B, L, D]`. */
  async #run(batch: Window[]): Promise<HiddenStates> {
    const transformers = await importTransformers();
    const B = batch.length;
    const L = Math.max(...batch.map((w) => w.ids.length)) + 2;
    const ids = new BigInt64Array(B * L).fill(BigInt(this.#pad));
    const mask = new BigInt64Array(B * L);
    for (let b = 0; b < B; b++) {
      const w = batch[b];
      const base = b * L;
      ids[base] = BigInt(this.#cls);
      for (let i = 0; i < w.ids.length; i++) ids[base + 1 + i] = BigInt(w.ids[i]);
      ids[base + 1 + w.ids.length] = BigInt(this.#sep);
      mask.fill(1n, base, base + w.ids.length + 2);
    }
    const session = this.#session!;
    const inputs: Record<string, BigInt64Array> = {
      input_ids: ids,
      attention_mask: mask,
      token_type_ids: new BigInt64Array(B * L),
    };
    // Feed what the model declares (DistilBERT-style models have no token types), as transformers.js does.
    const feeds: Record<string, unknown> = {};
    for (const name of session.inputNames) {
      const data = inputs[name];
      if (data === undefined) {
        throw new Error(`BertEncoder: ${this.id}: the model needs an input "${name}"`);
      }
      feeds[name] = new transformers.ONNX.Tensor("int64", data, [B, L]);
    }
    const hidden = (await session.run(feeds)).last_hidden_state;
    if (
      !hidden || hidden.dims.length !== 3 || hidden.dims[0] !== B || hidden.dims[1] !== L ||
      hidden.dims[2] !== this.dim
    ) {
      throw new Error(
        `BertEncoder: ${this.id}: expected last_hidden_state [${B}, ${L}, ${this.dim}], ` +
          `got ${hidden ? `[${hidden.dims.join(", ")}]` : "none"}`,
      );
    }
    return hidden;
  }

  /** Releases the ONNX session; a later encode loads it again. */
  async dispose(): Promise<void> {
    const loading = this.#loading;
    this.#loading = undefined;
    if (loading) await loading.catch(() => {});
    const session = this.#session;
    this.#session = undefined;
    this.#tokenizer = undefined;
    this.#pieces.clear();
    if (session) await session.handler?.dispose?.();
  }
}

/** A run of consecutive words of one sequence that fits one model input. */
interface Window {
  /** Index of the input sequence. */
  sequence: number;
  /** Index of the window's first word in its sequence. */
  firstWord: number;
  /** Word-piece ids of the window's words, concatenated (no special tokens). */
  ids: number[];
  /** Pieces per word. */
  counts: number[];
}
