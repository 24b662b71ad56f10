import { detectFormat, loadInteractions, readInteractions } from "../lib/data/read_interactions.ts";
import { InputFileError } from "../lib/data/input_file_error.ts";
import { assertEquals, assertRejects } from "./support/assert.ts";
import { hasShared, repoPath, sharedPath } from "./support/shared.ts";

const fixture = (name: string): string => repoPath("fixtures/readers", name);

Deno.test("detectFormat: by content for JSON lines (gzip or not), by extension or content for CSV", async () => {
  assertEquals(await detectFormat(fixture("amazon2023.jsonl")), "amazon2023");
  assertEquals(await detectFormat(fixture("amazon2023.jsonl.gz")), "amazon2023");
  assertEquals(await detectFormat(fixture("amazon2018.jsonl")), "amazon2018");
  assertEquals(await detectFormat(fixture("amazon2018_gzipped_no_ext.jsonl")), "amazon2018");
  assertEquals(await detectFormat(fixture("interactions.csv")), "csv");
  assertEquals(await detectFormat(fixture("interactions.csv.gz")), "csv");
  // The first line is broken JSON, the second decides.
  assertEquals(await detectFormat(fixture("malformed/mixed_2018.jsonl")), "amazon2018");
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/ratings.txt`, "user,item\nu,i\n");
    assertEquals(await detectFormat(`${dir}/ratings.txt`), "csv");
    await Deno.writeTextFile(`${dir}/other.jsonl`, '{"uid": 1}\n');
    await assertRejects(
      () => detectFormat(`${dir}/other.jsonl`),
      InputFileError,
      `set option "format"`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadInteractions: detects and reads each fixture format", async () => {
  const a23 = await loadInteractions(fixture("amazon2023.jsonl.gz"));
  assertEquals([a23.format, a23.interactions.length], ["amazon2023", 6]);
  const a18 = await loadInteractions(fixture("amazon2018.jsonl"), { includeTitle: true });
  assertEquals([a18.format, a18.interactions.length], ["amazon2018", 6]);
  assertEquals(a18.interactions[4].review, "No text here");
  const csv = await loadInteractions(fixture("interactions.csv"), {
    columns: { user: "user", item: "item", rating: "stars" },
  });
  assertEquals([csv.format, csv.interactions.length, csv.summary.records], ["csv", 5, 5]);
});

Deno.test("loadInteractions: returns the skip report", async () => {
  const path = fixture("malformed/mixed_2023.jsonl");
  const { interactions, summary } = await loadInteractions(path, { onError: "skip" });
  assertEquals(interactions.length, 3);
  assertEquals(summary.skipped.total, 9);
  assertEquals(summary.skipped.examples.length, 5);
  assertEquals(summary.skipped.examples[0].line, 2);
  assertEquals(summary.file, path);
});

Deno.test("readInteractions: streams need an explicit format; CSV needs columns", async () => {
  const bytes = await Deno.readFile(fixture("amazon2018.jsonl.gz"));
  const drain = async (it: AsyncIterable<unknown>): Promise<number> => {
    let n = 0;
    for await (const _ of it) n++;
    return n;
  };
  await assertRejects(() => drain(readInteractions(new Blob([bytes]).stream())), TypeError);
  assertEquals(
    await drain(readInteractions(new Blob([bytes]).stream(), { format: "amazon2018" })),
    6,
  );
  await assertRejects(
    () => drain(readInteractions(fixture("interactions.csv"))),
    InputFileError,
    `set option "columns"`,
  );
});

for (
  const [file, rows] of [
    ["amazon2018_All_Beauty_5.jsonl.gz", 5269],
    ["amazon2018_AMAZON_FASHION_5.jsonl.gz", 3176],
  ] as const
) {
  const name = `loadInteractions: ${file} is detected as amazon2018 with ${rows} rows`;
  Deno.test({
    name,
    ignore: !hasShared(name, "data", file),
    fn: async () => {
      const { format, interactions, summary } = await loadInteractions(sharedPath("data", file));
      assertEquals(format, "amazon2018");
      assertEquals(interactions.length, rows);
      assertEquals(summary.skipped.total, 0);
    },
  });
}
