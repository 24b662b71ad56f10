/**
 * Streaming input: the bytes of a file (gunzipped when it is gzip data) and
 * its lines, one at a time, with exact 1-based line numbers. Nothing here ever
 * holds a whole file in memory, so multi-gigabyte review dumps can be read.
 *
 * Gzip is recognised by its magic bytes (`1f 8b`), not by the file name, and
 * multi-member gzip files (concatenated members, as written by `bgzip` or
 * `cat a.gz b.gz`) are read to the end.
 *
 * @module
 */
import { InputFileError } from "../data/input_file_error.ts";
import { DataError } from "../data/errors.ts";
import { createGunzip } from "node:zlib";
import { pipeline, Readable } from "node:stream";
import { fileURLToPath } from "node:url";

/** Where bytes come from: a file path or URL, or an already open byte stream. */
export type ByteSource = string | URL | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** One line of text without its line terminator. */
export interface Line {
  /** 1-based line number in the (decompressed) source. */
  number: number;
  /** The line's text, without the trailing `\n` or `\r\n`. */
  text: string;
}

/** Options for {@linkcode readLines}. */
export interface ReadLinesOptions {
  /**
   * Name used in error messages.
   * @default the path for a file source, `"<stream>"` for a stream
   */
  name?: string;
  /**
   * Longest line accepted, in UTF-16 code units. Guards against reading a
   * huge file without newlines into one string.
   * @default 16777216 (16 Mi)
   */
  maxLineLength?: number;
}

/** Options for {@linkcode readBytes}. */
export interface ReadBytesOptions {
  /**
   * Name used in error messages.
   * @default the path for a file source, `"<stream>"` for a stream
   */
  name?: string;
}

/** The name a source goes by in error messages: its path, or `"<stream>"`. */
export function sourceName(source: ByteSource): string {
  if (typeof source === "string") return source;
  if (source instanceof URL) {
    return source.protocol === "file:" ? fileURLToPath(source) : source.href;
  }
  return "<stream>";
}

/** Whether `bytes` start with the gzip magic number `1f 8b`. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Opens `path` for reading; a folder or a missing file is an error that names it. */
async function openFile(path: string | URL): Promise<Deno.FsFile> {
  const file = sourceName(path);
  try {
    const info = await Deno.stat(path);
    if (info.isDirectory) {
      throw new InputFileError({ file, detail: "is a folder, not a file" });
    }
    return await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new InputFileError({ file, detail: "no such file" }, { cause: error });
    }
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new InputFileError({ file, detail: "no permission to read it" }, { cause: error });
    }
    throw error;
  }
}

async function* rawBytes(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (typeof source === "string" || source instanceof URL) {
    const file = await openFile(source);
    // Iterating the readable closes the file at the end, on error, and on early return.
    yield* file.readable;
  } else {
    yield* source;
  }
}

/**
 * The bytes of `source`, decompressed when they are gzip data (detected by
 * the magic bytes). Chunks are yielded as they are read.
 */
export async function* readBytes(
  source: ByteSource,
  options: ReadBytesOptions = {},
): AsyncGenerator<Uint8Array> {
  const name = options.name ?? sourceName(source);
  const input = rawBytes(source);
  const head: Uint8Array[] = [];
  let headLength = 0;
  try {
    while (headLength < 2) {
      const next = await input.next();
      if (next.done) break;
      if (next.value.length === 0) continue;
      head.push(next.value);
      headLength += next.value.length;
    }
  } catch (error) {
    await input.return(undefined);
    throw error;
  }
  async function* replay(): AsyncGenerator<Uint8Array> {
    try {
      yield* head;
      yield* input;
    } finally {
      await input.return(undefined);
    }
  }
  const first = head.length === 0 ? new Uint8Array(0) : concatHead(head);
  if (!isGzip(first)) {
    yield* replay();
    return;
  }
  const gunzip = createGunzip();
  pipeline(Readable.from(replay(), { objectMode: false }), gunzip, () => {});
  try {
    for await (const chunk of gunzip) yield chunk as Uint8Array;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const truncated = /unexpected end/i.test(message) ? " (is the file truncated?)" : "";
    throw new InputFileError({
      file: name,
      detail: `cannot read gzip data: ${message}${truncated}`,
    }, { cause: error });
  } finally {
    gunzip.destroy();
  }
}

/**
 * Passes `bytes` through unchanged, checking that they are UTF-8: bytes that
 * are not are a `DataError` naming `name` and the 1-based line they are on.
 */
export async function* utf8Checked(
  bytes: AsyncIterable<Uint8Array>,
  name: string,
): AsyncGenerator<Uint8Array> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let line = 1;
  for await (const chunk of bytes) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      const loose = new TextDecoder("utf-8").decode(chunk);
      const before = loose.slice(0, Math.max(0, loose.indexOf("\uFFFD")));
      throw notUtf8(name, line + before.split("\n").length - 1);
    }
    for (let k = text.indexOf("\n"); k !== -1; k = text.indexOf("\n", k + 1)) line++;
    yield chunk;
  }
  try {
    decoder.decode();
  } catch {
    throw notUtf8(name, line);
  }
}

function notUtf8(file: string, line: number): DataError {
  return new DataError({
    file,
    line,
    reason: "malformed",
    detail: "not valid UTF-8 text (convert the file to UTF-8)",
  });
}

function concatHead(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * The lines of `source` (UTF-8, gzip or plain), numbered from 1.
 *
 * Lines end at `\n`; a `\r` before it is dropped, so Windows files read the
 * same. A final line without a terminator is still yielded; an empty file
 * yields nothing. A UTF-8 byte-order mark at the start is dropped. Bytes
 * that are not UTF-8 (a file saved as Latin-1, say) are a `DataError`
 * naming the file and line, rather than text silently changed.
 *
 * @example
 * ```ts
 * import { readLines } from "./line_stream.ts";
 * for await (const { number, text } of readLines("reviews.jsonl.gz")) {
 *   if (text.trim() !== "") console.log(number, text.length);
 * }
 * ```
 */
export async function* readLines(
  source: ByteSource,
  options: ReadLinesOptions = {},
): AsyncGenerator<Line> {
  const name = options.name ?? sourceName(source);
  const maxLength = options.maxLineLength ?? 16_777_216;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const decode = (bytes?: Uint8Array): string => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      // Find the line: decode leniently and count the line ends before the first bad byte.
      const loose = new TextDecoder("utf-8").decode(bytes ?? new Uint8Array());
      const before = loose.slice(0, Math.max(0, loose.indexOf("\uFFFD")));
      throw notUtf8(name, number + 1 + before.split("\n").length - 1);
    }
  };
  let pending = "";
  let number = 0;
  const tooLong = (): Error =>
    new Error(
      `${name}:${number + 1}: line longer than ${maxLength} characters ` +
        `(is this a text file with one record per line?)`,
    );
  const finish = (text: string): string =>
    text.length > 0 && text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;

  for await (const bytes of readBytes(source, { name })) {
    const chunk = decode(bytes);
    let start = 0;
    let newline = chunk.indexOf("\n");
    if (newline === -1) {
      pending += chunk;
      if (pending.length > maxLength) throw tooLong();
      continue;
    }
    const firstText = pending + chunk.slice(0, newline);
    pending = "";
    if (firstText.length > maxLength + 1) throw tooLong();
    yield { number: ++number, text: finish(firstText) };
    start = newline + 1;
    while ((newline = chunk.indexOf("\n", start)) !== -1) {
      if (newline - start > maxLength + 1) throw tooLong();
      yield { number: ++number, text: finish(chunk.slice(start, newline)) };
      start = newline + 1;
    }
    pending = chunk.slice(start);
    if (pending.length > maxLength) throw tooLong();
  }
  pending += decode();
  if (pending.length > 0) yield { number: ++number, text: finish(pending) };
}
