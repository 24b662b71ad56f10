import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { DMF } from "../lib/baselines/dmf/dmf.ts";
import { evaluate } from "../lib/metrics/evaluate.ts";
import { Rng } from "../lib/random.ts";
import type { RatingPredictor } from "../lib/recommender.ts";
import { seenItemsByUser } from "../lib/seen_items.ts";
import {
  assert,
  assertEquals,
  assertGreater,
  assertLessOrEqual,
  assertNotEquals,
  assertThrows,
} from "./support/assert.ts";
import { allPairs, fixtureSplit } from "./support/fixture.ts";

/** Scores every pair with a fixed random number: the ranking DMF must beat. */
class RandomScores implements RatingPredictor {
  readonly predictsRatings = false;
  readonly #table: Float32Array;
  constructor(readonly numUsers: number, readonly numItems: number, seed: number) {
    const rng = new Rng(seed);
    this.#table = Float32Array.from({ length: numUsers * numItems }, () => rng.next());
  }
  predict(users: Int32Array, items: Int32Array): Float32Array {
    return Float32Array.from(users, (u, j) => this.#table[u * this.numItems + items[j]]);
  }
  scoreAllItems(users: Int32Array): Float32Array {
    const out = new Float32Array(users.length * this.numItems);
    users.forEach((u, b) =>
      out.set(this.#table.subarray(u * this.numItems, (u + 1) * this.numItems), b * this.numItems)
    );
    return out;
  }
}

const QUIET = { progress: false } as const;

Deno.test("DMF: the same seed gives an identical model, another seed a different one", async () => {
  const split = await fixtureSplit();
  const { users, items } = allPairs(split);
  const fit = async (seed: number) => {
    const m = new DMF({ seed, maxEpochs: 3 });
    await m.fit({ split }, QUIET);
    return m.predict(users, items);
  };
  const a = await fit(7);
  assertEquals(await fit(7), a);
  assertNotEquals(await fit(8), a);
});

Deno.test("DMF: the live tensor count stays flat across epochs, and fit frees everything", async () => {
  await initBackend();
  const split = await fixtureSplit();
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  const m = new DMF({ maxEpochs: 6, patience: 100, hiddenDims: [32, 16] });
  await m.fit({ split }, { ...QUIET, onEpoch: () => counts.push(tf.memory().numTensors) });
  assertEquals(counts.length, 6);
  // The first epoch creates Adam's slots; from then on the count must not move.
  assertEquals(new Set(counts.slice(1)).size, 1, `tensor counts per epoch: ${counts}`);
  assertEquals(tf.memory().numTensors, before);
  m.recommend(0, 5);
  m.scoreAllItems(Int32Array.of(0, 1));
  assertEquals(tf.memory().numTensors, before);
});

Deno.test("DMF: predict agrees with scoreAllItems; it scores, not rates", async () => {
  const split = await fixtureSplit();
  const m = new DMF({ maxEpochs: 3 });
  await m.fit({ split }, QUIET);
  assertEquals(m.predictsRatings, false);
  const { users, items } = allPairs(split);
  const pred = m.predict(users, items);
  assertEquals(pred, m.scoreAllItems(Int32Array.from({ length: split.users.size }, (_, u) => u)));
  for (const s of pred) assert(s >= -1.0001 && s <= 1.0001, `cosine out of range: ${s}`);
});

Deno.test("DMF: save then load gives identical scores and recommendations", async () => {
  const split = await fixtureSplit();
  const m = new DMF({ maxEpochs: 3 });
  await m.fit({ split }, QUIET);
  const dir = await Deno.makeTempDir();
  try {
    await m.save(`${dir}/dmf`);
    const loaded = await DMF.load(`${dir}/dmf`);
    const { users, items } = allPairs(split);
    assertEquals(loaded.predict(users, items), m.predict(users, items));
    assertEquals(loaded.scoreAllItems(Int32Array.of(3, 4)), m.scoreAllItems(Int32Array.of(3, 4)));
    for (const u of [0, 9, 77]) assertEquals(loaded.recommend(u, 10), m.recommend(u, 10));
    assertEquals(loaded.options, m.options);
    await Deno.writeFile(`${dir}/dmf/embeddings.f32`, new Uint8Array(8));
    let message = "";
    await DMF.load(`${dir}/dmf`).catch((e) => message = e.message);
    assert(message.includes("embeddings.f32: 8 bytes"), message);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("DMF: recommend returns k unseen items, best first", async () => {
  const split = await fixtureSplit();
  const m = new DMF({ maxEpochs: 3 });
  await m.fit({ split }, QUIET);
  const seen = seenItemsByUser(split);
  for (let user = 0; user < split.users.size; user++) {
    const recs = m.recommend(user, 10);
    assertEquals(recs.length, 10);
    for (const r of recs) {
      assert(!seen[user].includes(r.item), `user ${user} got seen item ${r.item}`);
    }
    for (let j = 1; j < recs.length; j++) assertLessOrEqual(recs[j].score, recs[j - 1].score);
  }
});

Deno.test("DMF: ranks the fixture's test items better than a random ranking", async () => {
  const split = await fixtureSplit();
  const m = new DMF();
  const report = await m.fit({ split }, QUIET);
  assertLessOrEqual(report.bestEpoch, report.history.length);
  const random = new RandomScores(split.users.size, split.items.size, 1);
  const r = evaluate(m, split);
  const base = evaluate(random, split);
  assertGreater(r.ranking.full!.ndcg[10], base.ranking.full!.ndcg[10] + 0.05);
  assertGreater(r.ranking.full!.hitRate[10], base.ranking.full!.hitRate[10]);
  assertGreater(r.ranking["test-items"]!.ndcg[5], base.ranking["test-items"]!.ndcg[5]);
});

Deno.test("DMF: bad options and untrained use are clear errors", () => {
  assertThrows(() => new DMF({ hiddenDims: [0] }), RangeError, "hiddenDims[0]");
  assertThrows(() => new DMF({ negativeRatio: -1 }), RangeError, "negativeRatio");
  assertThrows(() => new DMF({ layers: [3] } as never), RangeError, 'Unknown DMF option "layers"');
  assertThrows(() => new DMF().predict(Int32Array.of(0), Int32Array.of(0)), Error, "not trained");
});
