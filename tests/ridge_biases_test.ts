import { UserItemBias } from "../lib/baselines/user_item_bias/user_item_bias.ts";
import { ridgeBiases } from "../lib/stats/ridge_biases.ts";
import { assertAlmostEquals } from "./support/assert.ts";
import { fixtureSplit } from "./support/fixture.ts";

Deno.test("ridge biases give the UserItemBias baseline's predictions with the same penalties", async () => {
  const split = await fixtureSplit();
  const train = split.train.filter((it) => it.rating !== undefined);
  const users = Int32Array.from(train, (it) => it.user);
  const items = Int32Array.from(train, (it) => it.item);
  const ratings = Float32Array.from(train, (it) => it.rating!);
  const mean = ratings.reduce((a, b) => a + b, 0) / ratings.length;
  const fitted = ridgeBiases(users, items, ratings, split.users.size, split.items.size, mean, {
    userReg: 7,
    itemReg: 15,
  });
  const baseline = new UserItemBias({ userReg: 7, itemReg: 15, iterations: 20 });
  await baseline.fit({ split });
  const test = split.test.filter((it) => it.rating !== undefined);
  const want = baseline.predict(
    Int32Array.from(test, (it) => it.user),
    Int32Array.from(test, (it) => it.item),
  );
  test.forEach((it, j) =>
    assertAlmostEquals(mean + fitted.user[it.user] + fitted.item[it.item], want[j], 1e-4)
  );
});

Deno.test("ridge biases skip rows without a rating and shrink toward zero with the penalty", () => {
  const users = Int32Array.of(0, 0, 1, 1);
  const items = Int32Array.of(0, 1, 0, 1);
  const ratings = Float32Array.of(5, 5, 1, NaN);
  const loose = ridgeBiases(users, items, ratings, 2, 2, 3, { userReg: 0, itemReg: 1e9 });
  assertAlmostEquals(loose.user[0], 2, 1e-5);
  assertAlmostEquals(loose.user[1], -2, 1e-5);
  const tight = ridgeBiases(users, items, ratings, 2, 2, 3, { userReg: 1e9, itemReg: 1e9 });
  assertAlmostEquals(tight.user[0], 0, 1e-6);
});
