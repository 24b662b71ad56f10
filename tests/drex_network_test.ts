import { initBackend } from "../lib/backend/init.ts";
import { createDrexParams, disposeParams, drexShapes } from "../lib/drex/drex_params.ts";
import { DrexNetwork } from "../lib/drex/drex_network.ts";
import { resolveDrexOptions } from "../lib/drex/options.ts";
import { prepareDrexTrainingData } from "../lib/drex/training_data.ts";
import { AttentionPooler } from "../lib/kernels/attention_pool.ts";
import { Rng } from "../lib/random.ts";
import { fixtureFeatures, fixtureSplit } from "./support/fixture.ts";
import { assert, assertEquals } from "./support/assert.ts";

await initBackend("wasm");

Deno.test("DReX-MLP's vector holdout: a held-out rating is in neither rating vector and is the only target", async () => {
  const split = await fixtureSplit();
  const features = await fixtureFeatures();
  const o = resolveDrexOptions({ variant: "drex-mlp", vectorHoldout: 0.5 });
  const data = prepareDrexTrainingData(split, features, o, new Rng(1));
  const params = createDrexParams(
    drexShapes(o, features.dim, data.numUsers, data.numItems),
    data.meanRating,
    new Rng(2),
  );
  const net = new DrexNetwork(params, new AttentionPooler(features), data, o);
  const row = 7;
  const u = data.users[row];
  const i = data.items[row];
  const vectors = () => [
    net.initial("user", Int32Array.of(u)).arraySync(),
    net.initial("item", Int32Array.of(i)).arraySync(),
  ];
  // Changing the row's rating inside the vectors changes both representations...
  const plain = vectors();
  const j = data.userRatings[u].rows.indexOf(row);
  const k = data.itemRatings[i].rows.indexOf(row);
  data.userRatings[u].value[j] = 0.123;
  data.itemRatings[i].value[k] = 0.123;
  const changed = vectors();
  assert(JSON.stringify(changed) !== JSON.stringify(plain), "the vectors must hold the rating");
  // ...unless the row is held out: then neither representation sees it.
  net.heldOut = new Uint8Array(data.users.length);
  net.heldOut[row] = 1;
  const heldOut = vectors();
  data.userRatings[u].value[j] = 0.987;
  data.itemRatings[i].value[k] = 0.987;
  assertEquals(vectors(), heldOut);
  // The held-out row is the only target among these rows.
  const t = net.targets(Int32Array.of(row, row + 1));
  assertEquals(Array.from(t.weights), [1, 0]);
  assertEquals(t.count, 1);
  disposeParams(params);
});
