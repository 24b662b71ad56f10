import { type CsvRecord, CsvSyntaxError, parseCsv } from "../lib/io/csv_parser.ts";
import { assertEquals, assertRejects } from "./support/assert.ts";

function bytes(text: string, size = 1 << 16): AsyncIterable<Uint8Array> {
  const all = new TextEncoder().encode(text);
  return (async function* () {
    for (let k = 0; k < all.length; k += size) yield all.slice(k, k + size);
  })();
}

async function collect(records: AsyncIterable<CsvRecord>): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}

const TEXT = '\uFEFFa,b,c\n\n1,"x\ny",3\r\n4,5,6\n\r\n"7\n\n",8,"9 ""q"""\n10,11,12';

Deno.test("parseCsv: records carry the line they start and end on, for any chunking", async () => {
  const expected: CsvRecord[] = [
    { fields: ["a", "b", "c"], line: 1, endLine: 1 },
    { fields: ["1", "x\ny", "3"], line: 3, endLine: 4 },
    { fields: ["4", "5", "6"], line: 5, endLine: 5 },
    { fields: ["7\n\n", "8", '9 "q"'], line: 7, endLine: 9 },
    { fields: ["10", "11", "12"], line: 10, endLine: 10 },
  ];
  for (const size of [1, 2, 5, 1 << 16]) {
    assertEquals(await collect(parseCsv(bytes(TEXT, size))), expected, `chunk size ${size}`);
  }
});

Deno.test("parseCsv: separator option and ragged records", async () => {
  const records = await collect(parseCsv(bytes("a\tb\n1\t2\t3\n4\n"), { separator: "\t" }));
  assertEquals(records.map((r) => r.fields), [["a", "b"], ["1", "2", "3"], ["4"]]);
  assertEquals(records.map((r) => r.line), [1, 2, 3]);
});

Deno.test("parseCsv: an unclosed quote is a CsvSyntaxError at the record's first line", async () => {
  const error = await assertRejects(
    () => collect(parseCsv(bytes('a,b\n1,2\n\n3,"x\ny\n4,5\n', 3))),
    CsvSyntaxError,
  );
  assertEquals((error as CsvSyntaxError).line, 4);
  assertEquals((error as CsvSyntaxError).code, "CSV_QUOTE_NOT_CLOSED");
});

Deno.test("parseCsv: a quote inside an unquoted field is a CsvSyntaxError at its line", async () => {
  const error = await assertRejects(
    () => collect(parseCsv(bytes('a,b\n1,2\n\n3,x"y\n4,5\n'))),
    CsvSyntaxError,
  );
  assertEquals((error as CsvSyntaxError).line, 4);
});
