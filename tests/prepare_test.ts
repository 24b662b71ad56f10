import { EmptyFilterError } from "../lib/data/filter.ts";
import { prepareDataset } from "../lib/data/prepare.ts";
import { readAmazon2018 } from "../lib/data/read_amazon2018.ts";
import type { Interaction } from "../lib/data/types.ts";
import { Rng } from "../lib/random.ts";
import { assert, assertEquals, assertStringIncludes, assertThrows } from "./support/assert.ts";
import { hasShared, sharedPath } from "./support/shared.ts";

function synthetic(seed: number): Interaction[] {
  const rng = new Rng(seed);
  const out: Interaction[] = [];
  for (let u = 0; u < 60; u++) {
    const n = 15 + rng.int(15);
    for (let k = 0; k < n; k++) {
      const x: Interaction = {
        user: `u${u}`,
        item: `i${rng.int(40)}`,
        rating: 1 + rng.int(5),
        review: `words ${k}`,
        timestamp: 1_600_000_000_000 + rng.int(1e9),
      };
      out.push(x);
      if (rng.next() < 0.1) out.push({ ...x }); // an exact duplicate
    }
  }
  return out;
}

Deno.test("prepareDataset: dedupe → filter → split with the paper's defaults; reports chain up", () => {
  const data = synthetic(1);
  const prepared = prepareDataset(data);
  const { dedupe, filter, split } = prepared.reports;
  assertEquals(dedupe.policy, "latest");
  assertEquals(dedupe.input, data.length);
  assert(dedupe.exactDuplicates > 0);
  assertEquals([filter.minUserRatings, filter.minItemRatings, filter.kCore], [20, 5, false]);
  assertEquals(filter.before.interactions, dedupe.output);
  assertEquals(split.seed, 42);
  assertEquals(split.ratios, [0.7, 0.1, 0.2]);
  const total = split.counts.train + split.counts.validation + split.counts.test;
  assertEquals(total, filter.after.interactions);
  assertEquals(prepared.stats.input.interactions, data.length);
  assertEquals(prepared.stats.deduped.interactions, dedupe.output);
  assertEquals(prepared.stats.filtered.interactions, filter.after.interactions);
  assertEquals(prepared.stats.parts.all.interactions, total);
  assertEquals(prepared.stats.parts.train.interactions, prepared.split.train.length);
  assertEquals(prepared.split.users.size, filter.after.users);
});

Deno.test("prepareDataset: nested options reach each step; same options, same result", () => {
  const data = synthetic(2);
  const options = {
    dedupe: { repeats: "keep-all" as const },
    filter: { minUserRatings: 10, minItemRatings: 3, kCore: true },
    split: { seed: 5, ratios: [0.8, 0.1, 0.1] as [number, number, number] },
  };
  const a = prepareDataset(data, options);
  const b = prepareDataset(new Rng(3).shuffle([...data]), options);
  assertEquals(a.reports.dedupe.policy, "keep-all");
  assertEquals(a.reports.filter.kCore, true);
  assertEquals(a.reports.split.seed, 5);
  assertEquals(a.reports.split.ratios, [0.8, 0.1, 0.1]);
  assertEquals(a.split.test, b.split.test);
  assertEquals(a.split.users.ids(), b.split.users.ids());
});

for (const file of ["amazon2018_All_Beauty_5.jsonl.gz", "amazon2018_AMAZON_FASHION_5.jsonl.gz"]) {
  const name = `prepareDataset: ${file}: paper's filter fails clearly, a relaxed one works`;
  Deno.test({
    name,
    ignore: !hasShared(name, "data", file),
    fn: async () => {
      const raw: Interaction[] = [];
      for await (const x of readAmazon2018(sharedPath("data", file))) raw.push(x);
      const error = assertThrows(() => prepareDataset(raw), EmptyFilterError);
      assertStringIncludes(error.message, "relax the thresholds");
      const prepared = prepareDataset(raw, { filter: { minUserRatings: 3, minItemRatings: 3 } });
      assertEquals(prepared.stats.input.interactions, raw.length);
      assertEquals(prepared.reports.dedupe.output, prepared.stats.deduped.interactions);
      assert(prepared.split.test.length > 0);
      assert(prepared.split.validation.length > 0);
    },
  });
}

Deno.test("prepareDataset: the rating scale is carried, given or inferred, and checked", () => {
  const data = synthetic(3);
  assertEquals(prepareDataset(data).ratingScale, { min: 1, max: 5, step: 1 });
  const halves = data.map((x) => ({ ...x, rating: (x.rating as number) - 0.5 }));
  assertEquals(
    prepareDataset(halves, { ratingScale: "auto" }).ratingScale,
    { min: 0.5, max: 4.5, step: 1 },
  );
  const half = { min: 0.5, max: 5, step: 0.5 };
  assertEquals(prepareDataset(halves, { ratingScale: half }).ratingScale, half);
  assertThrows(
    () => prepareDataset(halves, { ratingScale: { min: 1, max: 5, step: 1 } }),
    RangeError,
    "is not on the scale 1:5:1 (set another with --rating-scale",
  );
});
