/**
 * Review preprocessing: text to the list of lemmas that the token encoders
 * embed and that keyword profiles count.
 *
 * Steps, per review (spec section 2): strip HTML tags and entities (Amazon
 * dumps hold `<br />`, `&#34;`), lowercase, tokenize with wink-nlp and its
 * English model, keep only tokens of type `"word"` (punctuation, numbers,
 * symbols, emoji, emoticons, URLs, e-mail addresses, hashtags, mentions, times
 * and ordinals go), drop stopwords, lemmatize (`its.lemma`, which uses the
 * part-of-speech tags), keep only clean lemmas (letters, optionally joined by
 * inner hyphens or apostrophes, at least `minLength` long), and keep the first
 * `maxWords` of them in text order.
 *
 * @module
 */
import winkNLP, { type ItsFunction } from "npm:wink-nlp@2.4.0";
import winkModel from "npm:wink-eng-lite-web-model@1.8.1";

/**
 * Version of the preprocessing rules and the wink model behind them. It is
 * part of every feature-cache key: bump it whenever the output of
 * {@linkcode Preprocessor.process} can change for the same options.
 */
export const PREPROCESS_VERSION = "2/wink-eng-lite-web-model@1.8";

/** Options for {@linkcode Preprocessor}. */
export interface PreprocessOptions {
  /**
   * Most lemmas kept per review (the first ones in text order).
   * @default 64
   */
  maxWords?: number;
  /**
   * Shortest lemma kept, in characters (drops stray letters such as the "d" of "3 d").
   * @default 2
   */
  minLength?: number;
  /**
   * Extra stopwords, dropped in addition to wink's English list. Compared with
   * both the lowercased word and its lemma.
   * @default []
   */
  extraStopwords?: readonly string[];
}

/** {@linkcode PreprocessOptions} with every default filled in: what the feature cache key holds. */
export interface ResolvedPreprocessOptions {
  /** See {@linkcode PreprocessOptions.maxWords}. */
  maxWords: number;
  /** See {@linkcode PreprocessOptions.minLength}. */
  minLength: number;
  /** See {@linkcode PreprocessOptions.extraStopwords}; sorted and deduplicated. */
  extraStopwords: string[];
  /** {@linkcode PREPROCESS_VERSION} at the time of resolving. */
  version: string;
}

/** Fills in defaults and validates `options`; throws a `RangeError` or `TypeError` on bad values. */
export function resolvePreprocessOptions(
  options: PreprocessOptions = {},
): ResolvedPreprocessOptions {
  const { maxWords = 64, minLength = 2, extraStopwords = [] } = options;
  if (!Number.isInteger(maxWords) || maxWords < 1) {
    throw new RangeError(`preprocess: maxWords must be a positive integer, got ${maxWords}`);
  }
  if (!Number.isInteger(minLength) || minLength < 1) {
    throw new RangeError(`preprocess: minLength must be a positive integer, got ${minLength}`);
  }
  if (!Array.isArray(extraStopwords) || extraStopwords.some((w) => typeof w !== "string")) {
    throw new TypeError("preprocess: extraStopwords must be an array of strings");
  }
  const words = [...new Set(extraStopwords.map((w) => w.toLowerCase()))].sort();
  return { maxWords, minLength, extraStopwords: words, version: PREPROCESS_VERSION };
}

/** A clean lemma: letters, optionally joined by single inner hyphens or apostrophes. */
const CLEAN_WORD = /^\p{L}+(?:['’-]\p{L}+)*$/u;
/** HTML tags and character entities, replaced by a space before tokenizing. */
const HTML_NOISE =
  /<\/?[a-z][a-z0-9]*(?:\s[^<>]{0,200})?\/?>|&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi;
/** Tokens after the last kept word that must exist before a prefix's result is trusted. */
const PREFIX_MARGIN = 16;
/** First prefix length, in characters per wanted word. */
const PREFIX_CHARS_PER_WORD = 24;

/** Progress of a batch call: `done` of `total` texts processed. */
export type PreprocessProgress = (done: number, total: number) => void;

/** Options for {@linkcode Preprocessor.processAll}. */
export interface ProcessAllOptions {
  /**
   * Called every `progressEvery` texts and once at the end.
   * @default undefined (no progress reports)
   */
  onProgress?: PreprocessProgress;
  /**
   * How many texts between two progress reports.
   * @default 1000
   */
  progressEvery?: number;
}

type WinkInstance = ReturnType<typeof winkNLP>;

/**
 * Turns review texts into lemma lists. The wink-nlp model is loaded once per
 * instance (in the constructor, about 0.1 s); reuse the instance for many texts.
 *
 * Long reviews are read in growing prefixes: a prefix cut at a space is
 * accepted once its `maxWords`-th kept word lies at least 16 tokens before the
 * prefix's end (so the part-of-speech tags that drive lemmatisation saw their
 * right-hand context), otherwise the prefix doubles. The result equals
 * processing the whole text, at a fraction of the cost for very long reviews.
 *
 * @example
 * ```ts
 * import { Preprocessor } from "./preprocess.ts";
 * const pre = new Preprocessor({ maxWords: 32 });
 * pre.process("The kids were playing games!"); // ["kid", "play", "game"]
 * ```
 */
export class Preprocessor {
  /** The options in force, defaults filled in. */
  readonly options: ResolvedPreprocessOptions;
  #nlp: WinkInstance;
  #extra: Set<string>;

  /** Loads the wink-nlp English model (tokenizer and part-of-speech tagger only). */
  constructor(options: PreprocessOptions = {}) {
    this.options = resolvePreprocessOptions(options);
    this.#extra = new Set(this.options.extraStopwords);
    this.#nlp = winkNLP(winkModel, ["pos"]);
  }

  /**
   * The kept lemmas of one review, in text order, at most `maxWords`.
   * A missing (`undefined` or `null`) or blank text gives an empty list.
   */
  process(text: string | undefined | null): string[] {
    if (text === undefined || text === null) return [];
    if (typeof text !== "string") {
      throw new TypeError(`preprocess: review text must be a string, got ${typeof text}`);
    }
    const clean = text.replace(HTML_NOISE, " ").toLowerCase();
    const maxWords = this.options.maxWords;
    let limit = maxWords * PREFIX_CHARS_PER_WORD;
    while (true) {
      if (clean.length <= limit) return this.#lemmas(clean).kept;
      const cut = clean.lastIndexOf(" ", limit);
      const prefix = clean.slice(0, cut > 0 ? cut : limit);
      const { kept, lastIndex, tokenCount } = this.#lemmas(prefix);
      if (kept.length >= maxWords && lastIndex + PREFIX_MARGIN < tokenCount) return kept;
      limit *= 2;
    }
  }

  /** {@linkcode Preprocessor.process} over many texts, in order. */
  processAll(
    texts: readonly (string | undefined | null)[],
    options: ProcessAllOptions = {},
  ): string[][] {
    const { onProgress, progressEvery = 1000 } = options;
    const out: string[][] = new Array(texts.length);
    for (let i = 0; i < texts.length; i++) {
      out[i] = this.process(texts[i]);
      if (onProgress && ((i + 1) % progressEvery === 0 || i + 1 === texts.length)) {
        onProgress(i + 1, texts.length);
      }
    }
    if (onProgress && texts.length === 0) onProgress(0, 0);
    return out;
  }

  /** Lemmas of `text` (already lowercased), with the token index of the last kept one. */
  #lemmas(text: string): { kept: string[]; lastIndex: number; tokenCount: number } {
    const its = this.#nlp.its;
    const tokens = this.#nlp.readDoc(text).tokens();
    const types = tokens.out(its.type) as string[];
    const stop = tokens.out(its.stopWordFlag) as unknown as boolean[];
    // wink's typings declare `its.lemma` with a signature `out()` rejects; it is a token its-function.
    const lemmas = tokens.out(its.lemma as unknown as ItsFunction<string>) as string[];
    // The normal form stands in where wink has no lemma (it has none for "didnt", for one).
    const values = tokens.out(its.normal) as string[];
    const { maxWords, minLength } = this.options;
    const kept: string[] = [];
    let lastIndex = -1;
    for (let k = 0; k < types.length && kept.length < maxWords; k++) {
      if (types[k] !== "word" || stop[k]) continue;
      const lemma = (lemmas[k] ?? values[k] ?? "").toLowerCase();
      if (lemma.length < minLength || !CLEAN_WORD.test(lemma)) continue;
      if (this.#extra.has(values[k]) || this.#extra.has(lemma)) continue;
      kept.push(lemma);
      lastIndex = k;
    }
    return { kept, lastIndex, tokenCount: types.length };
  }
}
