import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/backend/init.ts";
import { predictRatings } from "../lib/drex/drex_network.ts";
import { createDrexParams, disposeParams } from "../lib/drex/drex_params.ts";
import { predictionLoss } from "../lib/drex/prediction_loss_op.ts";
import type { Side } from "../lib/drex/sequences.ts";
import { DenseProducts } from "../lib/kernels/dense_products.ts";
import { Rng } from "../lib/random.ts";
import { firstBitDifference } from "./support/float_bits.ts";
import { assert } from "./support/assert.ts";

await initBackend("wasm");

for (const side of ["user", "item"] as Side[]) {
  for (const biases of [true, false]) {
    Deno.test(`predictionLoss (${side} side, biases ${biases}): TF.js's value and gradients to the bit`, () => {
      const rng = new Rng(side === "user" ? 5 : 6);
      const d = 64;
      const M = 157;
      const numUsers = 40;
      const numItems = 50;
      const params = createDrexParams(
        {
          featureDim: 8,
          latentDim: d,
          ratingLevels: 5,
          numUsers,
          numItems,
          representation: "table",
          mlpHidden: 16,
          initScale: 0.1,
          biases,
        },
        3.7,
        rng,
      );
      if (params.bias) {
        params.bias.user.assign(tf.randomNormal([numUsers], 0, 0.3, "float32", 1));
        params.bias.item.assign(tf.randomNormal([numItems], 0, 0.3, "float32", 2));
      }
      const users = Int32Array.from({ length: M }, () => rng.int(numUsers));
      const items = Int32Array.from({ length: M }, () => rng.int(numItems));
      // A third of the rows carry no loss (unrated, or kept out of DReX-MLP's loss).
      const weights = Float32Array.from({ length: M }, () => (rng.next() < 0.33 ? 0 : 1));
      const targets = Float32Array.from(weights, (w) => (w ? 1 + rng.int(5) : 0));
      const denom = weights.reduce((a, b) => a + b, 0);
      const own = tf.variable(tf.randomNormal([M, d], 0, 0.5, "float32", 3)) as tf.Variable<
        tf.Rank.R2
      >;
      const seen = tf.randomNormal([M, d], 0, 0.5, "float32", 4) as tf.Tensor2D;
      const p = params.predictor;
      const vars = [own, p.w1u, p.w1i, p.b1, p.w2, p.b2];
      const pairs = { users, items };

      const want = tf.variableGrads(() => {
        const pred = side === "user"
          ? predictRatings(params, own, seen, pairs)
          : predictRatings(params, seen, own, pairs);
        const err = tf.mul(tf.sub(pred, tf.tensor1d(targets)), tf.tensor1d(weights));
        return tf.div(tf.sum(tf.square(err)), denom) as tf.Scalar;
      }, vars);
      const bu = params.bias?.user.dataSync();
      const bi = params.bias?.item.dataSync();
      const rowBias = bu && bi ? Float32Array.from(users, (u, j) => bu[u] + bi[items[j]]) : null;
      const got = tf.variableGrads(
        () =>
          predictionLoss(new DenseProducts(), p, own, seen, {
            side,
            rowBias,
            targets,
            weights,
            denom,
          }),
        vars,
      );
      const value = (t: tf.Tensor) => t.dataSync() as Float32Array;
      assert(
        firstBitDifference(value(got.value), value(want.value)) < 0,
        `loss ${value(got.value)[0]}, TF.js ${value(want.value)[0]}`,
      );
      const names = ["own", "w1u", "w1i", "b1", "w2", "b2"];
      vars.forEach((v, j) => {
        const [g, w] = [value(got.grads[v.name]), value(want.grads[v.name])];
        const at = firstBitDifference(g, w);
        assert(at < 0, `gradient of ${names[j]}: value ${at} is ${g[at]}, TF.js ${w[at]}`);
      });
      [want, got].forEach((r) => {
        r.value.dispose();
        Object.values(r.grads).forEach((g) => g.dispose());
      });
      own.dispose();
      seen.dispose();
      disposeParams(params);
    });
  }
}
