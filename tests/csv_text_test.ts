import { csvField, toCsv } from "../lib/io/csv_text.ts";
import { parseCsv } from "../lib/io/csv_parser.ts";
import { assertEquals } from "./support/assert.ts";

Deno.test("csvField quotes commas, quotes and line breaks, and only those", () => {
  assertEquals(
    csvField("All_Beauty 2018, copies collapsed"),
    '"All_Beauty 2018, copies collapsed"',
  );
  assertEquals(csvField('say "hi"'), '"say ""hi"""');
  assertEquals(csvField("a\nb"), '"a\nb"');
  assertEquals(csvField("plain"), "plain");
  assertEquals(csvField(0.5), "0.5");
  assertEquals(csvField(NaN), "NaN");
  assertEquals(csvField(undefined), "");
});

Deno.test("toCsv output parses back to the same fields", async () => {
  const rows = [
    { dataset: "All_Beauty 2018, copies collapsed", model: "DReX", value: 0.7 },
    { dataset: 'quote "q"', model: "multi\nline", value: 1 },
  ];
  const text = toCsv(rows);
  const parsed: string[][] = [];
  for await (const rec of parseCsv(ReadableStream.from([new TextEncoder().encode(text)]))) {
    parsed.push(rec.fields);
  }
  assertEquals(parsed, [
    ["dataset", "model", "value"],
    ["All_Beauty 2018, copies collapsed", "DReX", "0.7"],
    ['quote "q"', "multi\nline", "1"],
  ]);
  assertEquals(toCsv([]), "");
});
