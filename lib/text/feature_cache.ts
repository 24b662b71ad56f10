/**
 * On-disk cache of {@linkcode TokenFeatures}: one file per key, so that a
 * second run with the same training texts, encoder and preprocessing options
 * reads the features instead of recomputing them (BERT takes about an hour per
 * 30k reviews on CPU).
 *
 * **Key.** SHA-256 of the cache format version, the encoder id, the resolved
 * preprocessing options and a hash of the texts encoded, in order. Callers
 * pass the *training* reviews only (in DReX, `split.train`'s reviews): that is
 * how no validation or test text ever reaches a cache key, or the cached
 * vocabulary. The cache does not know about splits; keeping held-out text
 * out is the caller's duty.
 *
 * **Files.** `<dir>/<key>.drexfeat`, written atomically (temporary file in
 * the same folder, then rename), so a crash never leaves half a file under the
 * final name. Layout (all numbers little-endian):
 *
 * | bytes | what |
 * | --- | --- |
 * | 8 | magic `DREXFEAT` |
 * | 4 | uint32 format version |
 * | 4 | uint32 header length H |
 * | H | UTF-8 JSON header (key, encoder, dim, form, counts, vocabulary), space-padded to a multiple of 4 |
 * | 4 × reviews | int32 token count per review |
 * | 4 × tokens | int32 vocabulary ids, review after review |
 * | 4 × values | float32 features: `vocab × dim` (table form) or `tokens × dim` (per-token form) |
 * | 8 | magic `DREXEND!` |
 * | 32 | SHA-256 of every byte before it |
 *
 * Sections are read in chunks of at most 16 MiB straight into their typed
 * arrays, so a multi-gigabyte file is never read into one buffer (per-token
 * features land in slabs of at most 64 MiB, one view per review). A file that
 * is truncated, has a bad header, a failed checksum or inconsistent counts is
 * reported with one warning and treated as a miss (the caller recomputes and
 * overwrites it); it never crashes a run.
 *
 * @module
 */
import { createHash, type Hash } from "node:crypto";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { ResidentFloatBuilder } from "../kernels/resident_float_rows.ts";
import { PerTokenFileReader } from "./per_token_file.ts";
import { type TokenFeatures, validateTokenFeatures } from "./token_features.ts";

/** Version of the file layout and key recipe; part of every key. */
export const FEATURE_CACHE_FORMAT = 1;
/** File name extension of cache files. */
export const FEATURE_CACHE_EXTENSION = ".drexfeat";

const MAGIC = "DREXFEAT";
const END_MAGIC = "DREXEND!";
const PREFIX_BYTES = 16;
const TRAILER_BYTES = 8 + 32;
/** Largest read or write chunk. */
const CHUNK_BYTES = 16 << 20;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** What a feature-cache key is made of. */
export interface FeatureCacheKeyParts {
  /** {@linkcode TokenFeatures.encoder}, i.e. the encoder's `id`. */
  encoder: string;
  /** The resolved preprocessing options (any JSON value; hashed in a canonical form). */
  preprocess: unknown;
  /** The texts encoded, in order (training reviews only); `undefined` for a missing review. */
  texts: readonly (string | undefined | null)[];
}

/**
 * SHA-256 (hex) of a list of texts, in order. Each text is framed by its
 * length, so `["ab", "c"]` and `["a", "bc"]` differ, and a missing text
 * differs from an empty one. Streams the texts into the hash (no big string).
 */
export function hashTexts(texts: readonly (string | undefined | null)[]): string {
  if (!Array.isArray(texts)) throw new TypeError("hashTexts: texts must be an array");
  const hash = createHash("sha256");
  hash.update(`texts:${texts.length}\n`);
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i];
    if (text === undefined || text === null) {
      hash.update("-\n");
    } else if (typeof text === "string") {
      hash.update(`+${text.length}:`);
      hash.update(text);
    } else {
      throw new TypeError(`hashTexts: text ${i} is a ${typeof text}, not a string`);
    }
  }
  return hash.digest("hex");
}

/** JSON with object keys sorted at every level, so equal values always hash equally. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** The cache key (64 hex digits) for `parts`; see the module doc for what it covers. */
export function featureCacheKey(parts: FeatureCacheKeyParts): string {
  if (typeof parts?.encoder !== "string" || parts.encoder === "") {
    throw new TypeError("featureCacheKey: encoder must be a non-empty string");
  }
  const recipe = canonicalJson({
    format: FEATURE_CACHE_FORMAT,
    encoder: parts.encoder,
    preprocess: parts.preprocess ?? null,
    texts: hashTexts(parts.texts),
  });
  return createHash("sha256").update(recipe).digest("hex");
}

/**
 * The cache folder used when none is given: `$DREX_CACHE_DIR` when set (and
 * readable), else `.cache/drex/features` under the current working directory.
 */
export function defaultFeatureCacheDir(): string {
  let fromEnv: string | undefined;
  try {
    fromEnv = Deno.env.get("DREX_CACHE_DIR");
  } catch {
    fromEnv = undefined; // no --allow-env: use the default
  }
  return fromEnv && fromEnv.trim() !== ""
    ? resolve(fromEnv)
    : resolve(".cache", "drex", "features");
}

/** Options for {@linkcode FeatureCache}. */
export interface FeatureCacheOptions {
  /**
   * Folder holding the cache files (created on first write).
   * @default defaultFeatureCacheDir(): `$DREX_CACHE_DIR`, else `./.cache/drex/features`
   */
  dir?: string;
  /**
   * Receives the one warning about an unreadable (corrupt, truncated) cache file.
   * @default console.warn
   */
  onWarning?: (message: string) => void;
  /**
   * Largest buffer that per-token features are read into: consecutive
   * reviews share a buffer (one view each) up to this size; a review larger
   * than it gets its own. Smaller means more, smaller allocations.
   * @default 67108864 (64 MiB)
   */
  slabBytes?: number;
}

/** Options for {@linkcode FeatureCache.read}. */
export interface FeatureCacheReadOptions {
  /**
   * Where per-token (contextual) features go: `"memory"` reads them into
   * arrays (`perToken`, views into the memories DReX's pooling kernel runs
   * on: `perTokenResident`); `"file"` leaves them in the cache file
   * (`perTokenFile`), read batch by batch by whoever uses them. Table
   * features are always read.
   * @default "memory"
   */
  perToken?: "memory" | "file";
}

/** The JSON header of a cache file. */
interface CacheHeader {
  key: string;
  encoder: string;
  dim: number;
  form: "table" | "perToken";
  reviews: number;
  tokens: number;
  values: number;
  vocab: string[];
  meta?: unknown;
}

/** A problem that makes a cache file unusable (reported, then treated as a miss). */
class CorruptCacheError extends Error {}

/**
 * Reads and writes {@linkcode TokenFeatures} files keyed by
 * {@linkcode featureCacheKey}.
 *
 * @example
 * ```ts ignore
 * import { FeatureCache, featureCacheKey } from "./feature_cache.ts";
 * const cache = new FeatureCache({ dir: ".cache/drex/features" });
 * const key = featureCacheKey({ encoder: "static:wink-sg-100d", preprocess: {}, texts: ["Great!"] });
 * const hit = await cache.read(key); // undefined on a miss
 * ```
 */
export class FeatureCache {
  /** Absolute path of the cache folder. */
  readonly dir: string;
  #warn: (message: string) => void;
  #slabValues: number;

  /** A cache over `options.dir` (nothing is touched until a read or write). */
  constructor(options: FeatureCacheOptions = {}) {
    const {
      dir = defaultFeatureCacheDir(),
      onWarning = (m: string) => console.warn(m),
      slabBytes = 64 << 20,
    } = options;
    if (typeof dir !== "string" || dir === "") {
      throw new TypeError("FeatureCache: dir must be a non-empty string");
    }
    if (!Number.isInteger(slabBytes) || slabBytes < 4) {
      throw new RangeError(`FeatureCache: slabBytes must be an integer >= 4, got ${slabBytes}`);
    }
    this.#slabValues = Math.floor(slabBytes / 4);
    this.dir = resolve(dir);
    this.#warn = onWarning;
  }

  /** The file that holds (or would hold) the features for `key`. */
  pathFor(key: string): string {
    if (!/^[0-9a-f]{16,128}$/.test(key)) {
      throw new RangeError(`FeatureCache: key must be a hex digest, got ${JSON.stringify(key)}`);
    }
    return join(this.dir, key + FEATURE_CACHE_EXTENSION);
  }

  /**
   * The cached features for `key`, or `undefined` when there is no file, or
   * when the file is unusable (then one warning names the file and the
   * reason; the caller recomputes and overwrites it). Every byte is read
   * and checked either way; with `{ perToken: "file" }`, per-token features
   * are then left in the file (`perTokenFile`) instead of held in memory.
   */
  async read(
    key: string,
    options: FeatureCacheReadOptions = {},
  ): Promise<TokenFeatures | undefined> {
    const path = this.pathFor(key);
    if (!LITTLE_ENDIAN) return undefined;
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, { read: true });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      this.#warn(`feature cache: cannot open ${path} (${(error as Error).message}); recomputing`);
      return undefined;
    }
    try {
      const inFile = options.perToken === "file" ? path : undefined;
      return await readCacheFile(file, key, this.#slabValues, inFile);
    } catch (error) {
      const reason = error instanceof CorruptCacheError
        ? error.message
        : `read error: ${(error as Error)?.message ?? String(error)}`;
      this.#warn(`feature cache: ${path} is unusable (${reason}); recomputing`);
      return undefined;
    } finally {
      file.close();
    }
  }

  /**
   * Writes `features` under `key` atomically and returns the file's path.
   * `meta` (any JSON) is stored in the header for people inspecting the file.
   */
  async write(key: string, features: TokenFeatures, meta?: unknown): Promise<string> {
    return (await this.#write(key, features, meta)).path;
  }

  /**
   * Writes `features` as {@linkcode FeatureCache.write} does and returns
   * them as `read(key, { perToken: "file" })` would, without reading the
   * file back: per-token features left in the file just written
   * (`perTokenFile`); table features as they are.
   */
  async writeInFile(
    key: string,
    features: TokenFeatures,
    meta?: unknown,
  ): Promise<{ path: string; features: TokenFeatures }> {
    const { path, valuesAt } = await this.#write(key, features, meta);
    if (features.table) return { path, features };
    const { perToken: _written, perTokenFile: _copied, perTokenResident: _views, ...rest } =
      features;
    return { path, features: { ...rest, perTokenFile: { path, offset: valuesAt } } };
  }

  /** Writes the file; returns its path and the byte offset of its feature values. */
  async #write(
    key: string,
    features: TokenFeatures,
    meta: unknown,
  ): Promise<{ path: string; valuesAt: number }> {
    const path = this.pathFor(key);
    if (!LITTLE_ENDIAN) throw new Error("FeatureCache: big-endian hosts are not supported");
    validateTokenFeatures(features);
    const header = cacheHeaderBytes(key, features, meta);
    await writeFileAtomic(path, encodeCacheFile(features, header));
    const tokens = features.tokens.reduce((n, ids) => n + ids.length, 0);
    return { path, valuesAt: valuesOffset(header.length, features.tokens.length, tokens) };
  }
}

/** Byte offset of a cache file's feature values, after its prefix, header, counts and token ids. */
function valuesOffset(headerLength: number, reviews: number, tokens: number): number {
  return PREFIX_BYTES + headerLength + 4 * (reviews + tokens);
}

/** Byte view of a typed array (no copy). */
function bytesOf(a: Int32Array | Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** The JSON header of a cache file for `features`, space-padded to a multiple of 4 bytes. */
function cacheHeaderBytes(key: string, features: TokenFeatures, meta: unknown): Uint8Array {
  const { encoder, dim, vocab, tokens, table } = features;
  if (features.perTokenInt8) {
    throw new TypeError(
      "FeatureCache: int8 features are not cached; cache the float features and compact them after reading",
    );
  }
  const totalTokens = tokens.reduce((n, ids) => n + ids.length, 0);
  const header: CacheHeader = {
    key,
    encoder,
    dim,
    form: table ? "table" : "perToken",
    reviews: tokens.length,
    tokens: totalTokens,
    values: table ? table.length : totalTokens * dim,
    vocab,
    meta: meta ?? null,
  };
  let json = JSON.stringify(header);
  const jsonBytes = new TextEncoder().encode(json);
  json += " ".repeat((4 - (jsonBytes.length % 4)) % 4);
  return new TextEncoder().encode(json);
}

/** The file's bytes, in chunks of up to {@linkcode CHUNK_BYTES}, ending with the checksum trailer. */
function* encodeCacheFile(
  features: TokenFeatures,
  headerBytes: Uint8Array,
): Generator<Uint8Array> {
  const { dim, tokens, table, perToken, perTokenFile } = features;
  const prefix = new Uint8Array(PREFIX_BYTES);
  prefix.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(prefix.buffer);
  view.setUint32(8, FEATURE_CACHE_FORMAT, true);
  view.setUint32(12, headerBytes.length, true);

  const hash = createHash("sha256");
  const buffer = new Uint8Array(1 << 20);
  let filled = 0;
  // Coalesces small pieces (one per review) into 1 MiB writes; large pieces go straight through.
  function* emit(piece: Uint8Array): Generator<Uint8Array> {
    hash.update(piece);
    if (piece.length >= buffer.length) {
      if (filled > 0) yield buffer.slice(0, filled);
      filled = 0;
      for (let at = 0; at < piece.length; at += CHUNK_BYTES) {
        yield piece.subarray(at, Math.min(piece.length, at + CHUNK_BYTES));
      }
      return;
    }
    if (filled + piece.length > buffer.length) {
      yield buffer.slice(0, filled);
      filled = 0;
    }
    buffer.set(piece, filled);
    filled += piece.length;
  }

  yield* emit(prefix);
  yield* emit(headerBytes);
  yield* emit(bytesOf(Int32Array.from(tokens, (ids) => ids.length)));
  for (const ids of tokens) yield* emit(bytesOf(ids));
  if (table) {
    yield* emit(bytesOf(table));
  } else if (perTokenFile) {
    const reader = new PerTokenFileReader(perTokenFile, tokens, dim);
    try {
      for (let r = 0; r < tokens.length; r++) yield* emit(bytesOf(reader.read(r)));
    } finally {
      reader.close();
    }
  } else {
    for (const block of perToken!) yield* emit(bytesOf(block));
  }
  yield* emit(new TextEncoder().encode(END_MAGIC));
  if (filled > 0) yield buffer.slice(0, filled);
  yield new Uint8Array(hash.digest());
}

/** Fills `into` from the file's current position; throws when the file ends first. */
async function readExactly(file: Deno.FsFile, into: Uint8Array, hash: Hash): Promise<void> {
  let at = 0;
  while (at < into.length) {
    const n = await file.read(into.subarray(at, Math.min(into.length, at + CHUNK_BYTES)));
    if (n === null) throw new CorruptCacheError("file is truncated");
    at += n;
  }
  hash.update(into);
}

async function readCacheFile(
  file: Deno.FsFile,
  key: string,
  slabValues: number,
  inFile?: string,
): Promise<TokenFeatures> {
  const size = (await file.stat()).size;
  const hash = createHash("sha256");
  if (size < PREFIX_BYTES + TRAILER_BYTES) {
    throw new CorruptCacheError(`file is too short (${size} bytes)`);
  }
  const prefix = new Uint8Array(PREFIX_BYTES);
  await readExactly(file, prefix, hash);
  if (new TextDecoder().decode(prefix.subarray(0, 8)) !== MAGIC) {
    throw new CorruptCacheError("not a DReX feature cache file (bad magic)");
  }
  const view = new DataView(prefix.buffer);
  const format = view.getUint32(8, true);
  if (format !== FEATURE_CACHE_FORMAT) {
    throw new CorruptCacheError(`format ${format}, expected ${FEATURE_CACHE_FORMAT}`);
  }
  const headerLength = view.getUint32(12, true);
  if (headerLength % 4 !== 0) throw new CorruptCacheError(`bad header length ${headerLength}`);
  if (PREFIX_BYTES + headerLength + TRAILER_BYTES > size) {
    throw new CorruptCacheError(
      `file is truncated (or its header length ${headerLength} is wrong)`,
    );
  }
  const headerBytes = new Uint8Array(headerLength);
  await readExactly(file, headerBytes, hash);
  let header: CacheHeader;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(headerBytes));
  } catch (error) {
    throw new CorruptCacheError(`header is not JSON (${(error as Error).message})`);
  }
  checkHeader(header, key);
  const expected = PREFIX_BYTES + headerLength +
    4 * (header.reviews + header.tokens + header.values) +
    TRAILER_BYTES;
  if (size !== expected) {
    throw new CorruptCacheError(
      size < expected
        ? `file is truncated (${size} of ${expected} bytes)`
        : `file has ${size - expected} unexpected trailing bytes`,
    );
  }

  const counts = new Int32Array(header.reviews);
  await readExactly(file, bytesOf(counts), hash);
  let sum = 0;
  for (const c of counts) {
    if (c < 0) throw new CorruptCacheError("negative token count");
    sum += c;
  }
  if (sum !== header.tokens) throw new CorruptCacheError("token counts do not add up");
  const allIds = new Int32Array(header.tokens);
  await readExactly(file, bytesOf(allIds), hash);
  const tokens: Int32Array[] = new Array(header.reviews);
  for (let r = 0, at = 0; r < header.reviews; at += counts[r], r++) {
    tokens[r] = allIds.subarray(at, at + counts[r]);
  }

  const features: TokenFeatures = {
    encoder: header.encoder,
    dim: header.dim,
    vocab: header.vocab,
    tokens,
  };
  if (header.form === "table") {
    features.table = new Float32Array(header.values);
    await readExactly(file, bytesOf(features.table), hash);
  } else if (inFile) {
    // Checked like the rest, through one reused buffer; the values stay in the file.
    const buffer = new Uint8Array(Math.min(4 * header.values, CHUNK_BYTES));
    for (let left = 4 * header.values; left > 0; left -= buffer.length) {
      await readExactly(file, buffer.subarray(0, Math.min(left, buffer.length)), hash);
    }
    features.perTokenFile = {
      path: inFile,
      offset: valuesOffset(headerLength, header.reviews, header.tokens),
    };
  } else {
    // Read straight into the memories DReX's pooling kernel runs on, so that
    // pooling copies nothing; runs of adjacent reviews are read at once, up
    // to slabValues values (at least one review).
    const builder = new ResidentFloatBuilder(header.dim, counts);
    let r = 0;
    while (r < header.reviews) {
      const first = builder.view(r);
      let values = first.length;
      let end = r + 1;
      while (end < header.reviews) {
        const next = builder.view(end);
        if (
          next.buffer !== first.buffer ||
          next.byteOffset !== first.byteOffset + 4 * values ||
          values + next.length > slabValues
        ) break;
        values += next.length;
        end += 1;
      }
      await readExactly(file, new Uint8Array(first.buffer, first.byteOffset, 4 * values), hash);
      r = end;
    }
    const { perToken, resident } = builder.build();
    features.perToken = perToken;
    features.perTokenResident = resident;
  }

  const end = new Uint8Array(8);
  await readExactly(file, end, hash);
  if (new TextDecoder().decode(end) !== END_MAGIC) {
    throw new CorruptCacheError("end marker missing");
  }
  // The stored checksum covers every byte before it, end marker included.
  const digest = new Uint8Array(hash.digest());
  const stored = new Uint8Array(32);
  await readExactly(file, stored, createHash("sha256"));
  if (!equalBytes(stored, digest)) throw new CorruptCacheError("checksum mismatch");
  try {
    validateTokenFeatures(features);
  } catch (error) {
    throw new CorruptCacheError((error as Error).message);
  }
  return features;
}

function checkHeader(h: CacheHeader, key: string): void {
  const count = (n: unknown): boolean => Number.isSafeInteger(n) && (n as number) >= 0;
  if (typeof h !== "object" || h === null) throw new CorruptCacheError("header is not an object");
  if (h.key !== key) throw new CorruptCacheError("header key does not match the file name");
  if (typeof h.encoder !== "string" || !count(h.dim) || h.dim < 1) {
    throw new CorruptCacheError("header has no valid encoder or dim");
  }
  if (h.form !== "table" && h.form !== "perToken") {
    throw new CorruptCacheError("header form unknown");
  }
  if (!count(h.reviews) || !count(h.tokens) || !count(h.values)) {
    throw new CorruptCacheError("header counts are not valid");
  }
  if (!Array.isArray(h.vocab) || h.vocab.some((w) => typeof w !== "string")) {
    throw new CorruptCacheError("header vocabulary is not a list of words");
  }
  const values = h.form === "table" ? h.vocab.length * h.dim : h.tokens * h.dim;
  if (h.values !== values) {
    throw new CorruptCacheError("header value count does not match its shape");
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
