import { InputFileError } from "../lib/data/input_file_error.ts";
import { isGzip, type Line, readBytes, readLines, sourceName } from "../lib/io/line_stream.ts";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "./support/assert.ts";
import { repoPath } from "./support/shared.ts";
import { gzipSync } from "node:zlib";

const encoder = new TextEncoder();

/** A byte stream delivering `bytes` in chunks of `size`. */
function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (let k = 0; k < bytes.length; k += size) controller.enqueue(bytes.slice(k, k + size));
      controller.close();
    },
  });
}

function gzip(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(gzipSync(bytes));
}

async function collect(lines: AsyncIterable<Line>): Promise<Line[]> {
  const out: Line[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

const SAMPLE = "\uFEFFfirst\r\nsecond line é☕👍\n\nfourth\r\nlast without newline";
const EXPECTED: Line[] = [
  { number: 1, text: "first" },
  { number: 2, text: "second line é☕👍" },
  { number: 3, text: "" },
  { number: 4, text: "fourth" },
  { number: 5, text: "last without newline" },
];

Deno.test("readLines: LF and CRLF, blank lines numbered, BOM dropped, last line without newline", async () => {
  assertEquals(await collect(readLines(chunked(encoder.encode(SAMPLE), 1 << 16))), EXPECTED);
});

Deno.test("readLines: identical for every chunk size, including splits inside UTF-8 characters", async () => {
  const bytes = encoder.encode(SAMPLE);
  for (const size of [1, 2, 3, 5, 7, 64]) {
    assertEquals(await collect(readLines(chunked(bytes, size))), EXPECTED, `chunk size ${size}`);
  }
});

Deno.test("readLines: a trailing newline does not add an empty line; an empty source has none", async () => {
  const lines = await collect(readLines(chunked(encoder.encode("a\nb\n"), 4)));
  assertEquals(lines, [{ number: 1, text: "a" }, { number: 2, text: "b" }]);
  assertEquals(await collect(readLines(chunked(new Uint8Array(0), 1))), []);
  assertEquals(await collect(readLines(chunked(encoder.encode("\n"), 1))), [{
    number: 1,
    text: "",
  }]);
});

Deno.test("readBytes/readLines: gzip is recognised by its magic bytes", async () => {
  const compressed = gzip(encoder.encode(SAMPLE));
  assert(isGzip(compressed));
  assertEquals(await collect(readLines(chunked(compressed, 1))), EXPECTED);
  assertEquals(await collect(readLines(chunked(compressed, 100))), EXPECTED);
});

Deno.test("readLines: a gzip file without .gz extension reads like its plain twin", async () => {
  const plain = await collect(readLines(repoPath("fixtures/readers/amazon2018.jsonl")));
  const gz = await collect(readLines(repoPath("fixtures/readers/amazon2018_gzipped_no_ext.jsonl")));
  assertEquals(plain.length, 6);
  assertEquals(gz, plain);
});

Deno.test("readLines: multi-member gzip (concatenated members) is read to the end", async () => {
  const a = gzip(encoder.encode("one\ntwo\n"));
  const b = gzip(encoder.encode("three\n"));
  const both = new Uint8Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);
  const lines = await collect(readLines(chunked(both, 7)));
  assertEquals(lines.map((l) => l.text), ["one", "two", "three"]);
});

Deno.test("readLines: a truncated gzip file is an error naming the file", async () => {
  const path = repoPath("fixtures/readers/malformed/truncated.jsonl.gz");
  const error = await assertRejects(() => collect(readLines(path)));
  assertStringIncludes(error.message, "truncated.jsonl.gz");
  assertStringIncludes(error.message, "gzip");
});

Deno.test("readLines: a line over maxLineLength is an error naming file and line", async () => {
  const text = "short\n" + "x".repeat(50) + "\nend\n";
  const error = await assertRejects(() =>
    collect(readLines(chunked(encoder.encode(text), 8), { name: "big.txt", maxLineLength: 20 }))
  );
  assertStringIncludes(error.message, "big.txt:2:");
  const ok = await collect(readLines(chunked(encoder.encode(text), 8), { maxLineLength: 50 }));
  assertEquals(ok.length, 3);
});

Deno.test("readLines: streams many lines with exact numbering", async () => {
  const n = 100_000;
  let k = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (k >= n) return controller.close();
      const batch: string[] = [];
      for (let j = 0; j < 1000 && k < n; j++, k++) batch.push(`{"k":${k}}\n`);
      controller.enqueue(encoder.encode(batch.join("")));
    },
  });
  let count = 0;
  let consistent = true;
  for await (const line of readLines(source)) {
    count++;
    if (line.text !== `{"k":${line.number - 1}}`) consistent = false;
  }
  assertEquals(count, n);
  assert(consistent, "every line's number matches its content");
});

Deno.test("readBytes passes plain bytes through unchanged", async () => {
  const bytes = encoder.encode("\x1fnot gzip, only one magic byte");
  let text = "";
  const decoder = new TextDecoder();
  for await (const c of readBytes(chunked(bytes, 1))) text += decoder.decode(c, { stream: true });
  assertEquals(text, "\x1fnot gzip, only one magic byte");
});

Deno.test("sourceName and isGzip", () => {
  assertEquals(sourceName("data/x.jsonl"), "data/x.jsonl");
  assertEquals(sourceName(new URL("file:///tmp/y.csv")), "/tmp/y.csv");
  assertEquals(sourceName(chunked(new Uint8Array(0), 1)), "<stream>");
  assert(isGzip(new Uint8Array([0x1f, 0x8b, 8])));
  assert(!isGzip(new Uint8Array([0x1f])));
  assert(!isGzip(encoder.encode("{}")));
});

Deno.test("readLines: stopping early closes the file (the resource sanitizer checks)", async () => {
  let first: Line | undefined;
  for await (const line of readLines(repoPath("fixtures/readers/amazon2023.jsonl.gz"))) {
    first = line;
    break;
  }
  assertEquals(first?.number, 1);
  assertStringIncludes(first?.text ?? "", '"user_id": "U1"');
});

Deno.test("whole-file problems are InputFileErrors naming the file: folder, missing, truncated gzip", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const drain = async (path: string) => {
      for await (const _ of readLines(path)) { /* read all */ }
    };
    await assertRejects(() => drain(dir), InputFileError, `${dir}: is a folder, not a file`);
    await assertRejects(
      () => drain(`${dir}/missing.jsonl`),
      InputFileError,
      "missing.jsonl: no such file",
    );
    const gz = await Deno.readFile(repoPath("fixtures/readers/amazon2023.jsonl.gz"));
    await Deno.writeFile(`${dir}/cut.jsonl.gz`, gz.slice(0, Math.floor(gz.length / 2)));
    await assertRejects(
      () => drain(`${dir}/cut.jsonl.gz`),
      InputFileError,
      "cut.jsonl.gz: cannot read gzip data: unexpected end of file (is the file truncated?)",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
