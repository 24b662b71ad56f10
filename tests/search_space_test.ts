import {
  BIAS_REGULARISATION_GRID,
  budgetedSettings,
  checkSearchSpace,
  DEFAULT_BUDGET,
  defaultPoint,
  gridPoints,
  gridSize,
  PAPER_GRID,
  withDefaultPoint,
} from "../lib/compare/search_space.ts";
import { assert, assertEquals, assertThrows } from "./support/assert.ts";

Deno.test("gridPoints: every combination, last key fastest; an empty space is one default point", () => {
  assertEquals(gridPoints({ a: [1, 2], b: ["x", "y"] }), [
    { a: 1, b: "x" },
    { a: 1, b: "y" },
    { a: 2, b: "x" },
    { a: 2, b: "y" },
  ]);
  assertEquals(gridPoints({}), [{}]);
  assertEquals(gridSize(PAPER_GRID), DEFAULT_BUDGET);
  assertEquals(
    gridSize({ userReg: BIAS_REGULARISATION_GRID, itemReg: BIAS_REGULARISATION_GRID }),
    100,
  );
});

Deno.test("budgetedSettings: the full grid when it fits, else a seeded sample of exactly the budget", () => {
  const small = budgetedSettings({ a: [1, 2, 3] }, 20, 1);
  assertEquals(small, { points: [{ a: 1 }, { a: 2 }, { a: 3 }], gridSize: 3, sampled: false });
  const space = { userReg: BIAS_REGULARISATION_GRID, itemReg: BIAS_REGULARISATION_GRID };
  const sample = budgetedSettings(space, 20, 1);
  assertEquals(sample.points.length, 20);
  assertEquals(sample.gridSize, 100);
  assert(sample.sampled);
  assertEquals(new Set(sample.points.map((p) => JSON.stringify(p))).size, 20); // no repeats
  const all = gridPoints(space).map((p) => JSON.stringify(p));
  const at = sample.points.map((p) => all.indexOf(JSON.stringify(p)));
  assert(at.every((j, k) => j >= 0 && (k === 0 || j > at[k - 1])), "grid order kept");
  assertEquals(budgetedSettings(space, 20, 1), sample); // seeded
  assert(JSON.stringify(budgetedSettings(space, 20, 2)) !== JSON.stringify(sample));
  assertThrows(
    () => budgetedSettings(space, 0, 1),
    RangeError,
    "budget must be a positive integer",
  );
});

Deno.test("checkSearchSpace: a key without values is an error naming it", () => {
  assertThrows(
    () => checkSearchSpace({ lr: [] }, "model x"),
    RangeError,
    'model x: search space key "lr"',
  );
});

Deno.test("withDefaultPoint: the defaults at the space's keys go first unless already there", () => {
  const space = { lr: [0.1, 0.01], d: [64] };
  const points = [{ lr: 0.1, d: 64 }, { lr: 0.01, d: 64 }];
  assertEquals(defaultPoint(space, { lr: 0.005, d: 64, other: "x" }), { lr: 0.005, d: 64 });
  assertEquals(defaultPoint(space, { lr: 0.005 }), undefined);
  const added = withDefaultPoint(points, space, { lr: 0.005, d: 64 });
  assertEquals(added.added, true);
  assertEquals(added.points, [{ lr: 0.005, d: 64 }, ...points]);
  const present = withDefaultPoint(points, space, { d: 64, lr: 0.01 });
  assertEquals(present.added, false);
  assertEquals(present.points, points);
  assertEquals(withDefaultPoint(points, space, {}).points, points);
});
