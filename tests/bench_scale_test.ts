import {
  benchScale,
  benchScaleOne,
  fittedExponents,
  formatScaleBench,
  growthExponents,
  type ScaleBenchResult,
  scaleFigure,
} from "../tasks/bench/scale.ts";
import { syntheticSplit } from "../tasks/bench/model.ts";
import { Rng } from "../lib/random.ts";
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "./support/assert.ts";

const result = (
  interactions: number,
  seconds: number,
  gb: number,
  tables: "dense" | "lazy" = "dense",
): ScaleBenchResult => ({
  tables,
  interactions,
  users: 1,
  items: 1,
  epochSeconds: [seconds],
  epochSecondsSteady: seconds,
  peakMemoryBytes: gb * 1e9,
});

Deno.test("growthExponents: 1 for linear cost, 2 for quadratic, 0 for constant", () => {
  const g = growthExponents([result(1000, 1, 1), result(10_000, 10, 1), result(100_000, 1000, 1)]);
  assertEquals(g.map((x) => [x.from, x.to]), [[1000, 10_000], [10_000, 100_000]]);
  assertAlmostEquals(g[0].time, 1, 1e-12);
  assertAlmostEquals(g[1].time, 2, 1e-12);
  assertAlmostEquals(g[0].memory, 0, 1e-12);
  assert(formatScaleBench([result(1000, 1, 1), result(10_000, 10, 2)]).includes("time 1.00"));
  assertEquals(scaleFigure([result(1000, 1, 1), result(10_000, 10, 2)]).data.length, 3);
});

Deno.test("growthExponents compares sizes within a table mode only; the figure draws each mode", () => {
  const rows = [
    result(1000, 1, 1),
    result(10_000, 100, 1),
    result(1000, 1, 1, "lazy"),
    result(10_000, 10, 1, "lazy"),
  ];
  const g = growthExponents(rows);
  assertEquals(g.map((x) => [x.tables, x.time]), [["dense", 2], ["lazy", 1]]);
  assert(formatScaleBench(rows).includes("lazy 1000→10000: time 1.00"));
  const names = scaleFigure(rows).data.map((t) => (t as { name: string }).name);
  assertEquals(names, [
    "epoch seconds (dense tables)",
    "linear growth",
    "peak memory (dense tables)",
    "epoch seconds (lazy tables)",
    "peak memory (lazy tables)",
  ]);
});

Deno.test("benchScaleOne trains on synthetic data of the asked size and reports its peak memory", async () => {
  const r = await benchScaleOne(600, 1, "lazy");
  assertEquals(r.tables, "lazy");
  assertEquals(r.interactions, 600);
  assertEquals(r.epochSeconds.length, 1);
  assert(r.peakMemoryBytes > 0);
});

Deno.test("fittedExponents: the least-squares slope over all sizes of each mode", () => {
  const rows = [
    result(1000, 1, 1),
    result(10_000, 10, 1),
    result(100_000, 100, 1),
    result(1000, 1, 1, "lazy"),
    result(10_000, 50, 1, "lazy"),
    result(100_000, 100, 1, "lazy"),
  ];
  const f = fittedExponents(rows);
  assertEquals(f.map((x) => x.tables), ["dense", "lazy"]);
  assertAlmostEquals(f[0].time, 1, 1e-12);
  assertAlmostEquals(f[0].memory, 0, 1e-12);
  // log10 seconds 0, 1.70, 2 at log10 sizes 3, 4, 5: slope (2 − 0) / 2 = 1.
  assertAlmostEquals(f[1].time, 1, 1e-12);
  assert(formatScaleBench(rows).includes("fitted over all sizes: dense: time 1.00"));
  assertEquals(f[0].timeMedian, undefined);
  // With several rounds, the rounds' medians are fitted too: here they grow as the square.
  const rounds = rows.slice(0, 3).map((r) => ({ ...r, medianSteady: r.interactions ** 2 }));
  assertAlmostEquals(fittedExponents(rounds)[0].timeMedian!, 2, 1e-12);
  assert(formatScaleBench(rounds).includes("time 1.00 (round medians 2.00)"));
});

Deno.test("benchScale runs each size once per round and keeps its fastest round", async () => {
  const rows = await benchScale([600], ["lazy"], 2, 0);
  assertEquals(rows.length, 1);
  assertEquals(rows[0].roundSteady?.length, 2);
  assertEquals(rows[0].epochSecondsSteady, Math.min(...rows[0].roundSteady!));
  assertEquals(rows[0].epochSeconds.length, 6);
});

Deno.test("syntheticSplit refuses more interactions than its users and items leave room for", () => {
  assertThrows(
    () => syntheticSplit({ users: 10, items: 22, interactions: 300, seed: 1 }, new Rng(1)),
    RangeError,
    "300 interactions need more than 10 users × 22 items",
  );
});

Deno.test("syntheticSplit lists training interactions as splitDataset does: by user, then in time order", () => {
  const { train } = syntheticSplit(
    { users: 30, items: 60, interactions: 900, seed: 2 },
    new Rng(2),
  );
  for (let j = 1; j < train.length; j++) {
    const [a, b] = [train[j - 1], train[j]];
    assert(
      a.user < b.user || (a.user === b.user && a.timestamp! < b.timestamp!),
      `rows ${j - 1}, ${j}`,
    );
  }
});
