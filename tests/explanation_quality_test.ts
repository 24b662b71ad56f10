import { DrexModel } from "../lib/drex/drex_model.ts";
import { attentionScores, predictionsWithout } from "../lib/explain/drex_passes.ts";
import { effectRankedWords, orderByEffect, pairKey } from "../lib/explain/effect_ranking.ts";
import { explanationQuality } from "../lib/explain/explanation_quality.ts";
import { pairWords, randomPairWords } from "../lib/explain/pair_words.ts";
import { frequencyScores, tfidfScores } from "../lib/explain/word_scores.ts";
import { explanationQualityFigure } from "../lib/plots/explanation_quality.ts";
import { Rng } from "../lib/random.ts";
import { fixtureFeatures, fixtureSplit, fixtureTruth } from "./support/fixture.ts";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertGreater,
  assertLess,
} from "./support/assert.ts";

const split = await fixtureSplit();
const features = await fixtureFeatures();
const truth = await fixtureTruth();
const input = { split, features };
const drex = new DrexModel({ maxEpochs: 8 });
await drex.fit(input, { progress: false });
const pairs = split.test.slice(0, 40);
const users = Int32Array.from(pairs, (p) => p.user);
const items = Int32Array.from(pairs, (p) => p.item);

Deno.test("removing no words reproduces predict exactly; removing a pair's words changes it", () => {
  const none = pairs.map((p) => ({ user: p.user, item: p.item, words: new Set<number>() }));
  assertEquals(
    Array.from(predictionsWithout(drex, input, none)),
    Array.from(drex.predict(users, items)),
  );
  const freq = frequencyScores(split, features);
  const all = pairs.map((p) => ({
    user: p.user,
    item: p.item,
    words: new Set([...freq.users[p.user].keys(), ...freq.items[p.item].keys()]),
  }));
  const changed = predictionsWithout(drex, input, all);
  const reference = drex.predict(users, items);
  assert(changed.some((v, j) => Math.abs(v - reference[j]) > 1e-3));
  // Words neither side ever wrote change nothing.
  const absent = pairs.map((p) => {
    const have = new Set([...freq.users[p.user].keys(), ...freq.items[p.item].keys()]);
    return {
      user: p.user,
      item: p.item,
      words: new Set(features.vocab.map((_, id) => id).filter((id) => !have.has(id))),
    };
  });
  assertEquals(Array.from(predictionsWithout(drex, input, absent)), Array.from(reference));
});

Deno.test("effectRankedWords: attention's candidates, each removed alone, whatever the chunk size", () => {
  const few = pairs.slice(0, 6);
  const ranked = effectRankedWords(drex, input, [...few, few[0]], { candidates: 6 });
  assertEquals(ranked.size, new Set(few.map((p) => pairKey(p.user, p.item))).size);
  const attention = attentionScores(drex, input);
  for (const p of few) {
    const got = ranked.get(pairKey(p.user, p.item))!;
    const proposed = pairWords(attention.users[p.user], attention.items[p.item], 6);
    assertEquals(got.words.map((w) => w.word).sort(), [...proposed].sort());
    assertEquals(got.words, orderByEffect(got.words, got.textChange));
    // Each change is the removal of that word alone.
    const [base, alone] = predictionsWithout(drex, input, [
      { user: p.user, item: p.item, words: new Set() },
      { user: p.user, item: p.item, words: new Set([got.words[0].word]) },
    ]);
    assertAlmostEquals(got.words[0].change, alone - base, 1e-6);
  }
  // Small chunks (one pair at a time) give the same result.
  assertEquals(effectRankedWords(drex, input, few, { candidates: 6, chunkSize: 3 }), ranked);
});

Deno.test("orderByEffect: words moving the prediction the way all the text does come first, largest first", () => {
  const effects = [
    { word: 1, change: 0.1 },
    { word: 2, change: -0.3 },
    { word: 3, change: -0.1 },
    { word: 4, change: 0.02 },
    { word: 5, change: 0 },
  ];
  // Removing the text lowers the rating: words whose removal lowers it lead.
  assertEquals(orderByEffect(effects, -0.5).map((e) => e.word), [2, 3, 5, 4, 1]);
  assertEquals(orderByEffect(effects, 0.5).map((e) => e.word), [1, 4, 5, 3, 2]);
});

Deno.test("DReX-MLP: removal reruns reproduce predict too", async () => {
  const mlp = new DrexModel({ variant: "drex-mlp", maxEpochs: 3 });
  await mlp.fit(input, { progress: false });
  const none = pairs.map((p) => ({ user: p.user, item: p.item, words: new Set<number>() }));
  assertEquals(
    Array.from(predictionsWithout(mlp, input, none)),
    Array.from(mlp.predict(users, items)),
  );
  mlp.dispose();
});

Deno.test("full attention scores hold every word of an entity's reviews, and the top words match the profiles' order under summed attention", async () => {
  const summed = new DrexModel({ maxEpochs: 3, profileVotes: 0 });
  await summed.fit(input, { progress: false });
  const scores = attentionScores(summed, input);
  const freq = frequencyScores(split, features);
  assertEquals([...scores.users[0].keys()].sort(), [...freq.users[0].keys()].sort());
  const top = [...scores.users[0]].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([id]) =>
    features.vocab[id]
  );
  assertEquals(top, summed.userProfile(0).slice(0, 5).map((k) => k.word));
  summed.dispose();
});

Deno.test("pairWords: shared words first by combined share, then one-sided; random words come from the pair", () => {
  const u = new Map([[1, 3], [2, 1], [7, 4]]);
  const i = new Map([[2, 10], [1, 10], [9, 1]]);
  // Shares: u 1→3/8, 2→1/8, 7→4/8; i 2→10/21, 1→10/21, 9→1/21.
  assertEquals(pairWords(u, i, 2), [1, 2]);
  assertEquals(pairWords(u, i, 4), [1, 2, 7, 9]);
  const r = randomPairWords(u, i, 3, new Rng(5));
  assertEquals(r.length, 3);
  for (const id of r) assert([1, 2, 7, 9].includes(id));
  const tfidf = tfidfScores(split, features);
  const freq = frequencyScores(split, features);
  // A word every user wrote has idf 0; a word one user wrote keeps its full weight.
  const users = freq.users.length;
  const df = new Map<number, number>();
  for (const m of freq.users) for (const id of m.keys()) df.set(id, (df.get(id) ?? 0) + 1);
  for (const [id, count] of freq.users[0]) {
    const expected = count * Math.log(users / df.get(id)!);
    assertAlmostEquals(tfidf.users[0].get(id)!, expected, 1e-9);
  }
});

Deno.test("the evaluation cannot be passed by construction: scrambled words score at chance", () => {
  const V = features.vocab.length;
  const q = explanationQuality(drex, input, {
    truth,
    ks: [5],
    k: 5,
    faithfulnessPairs: 120,
    extraExplainers: {
      // Uniform draws from the whole vocabulary: no knowledge of the pair at all.
      scrambled: (u, i, k) => {
        const rng = new Rng(u * 1009 + i * 7 + 1);
        const out = new Set<number>();
        while (out.size < k) out.add(rng.int(V));
        return [...out];
      },
    },
  });
  const chance = q.chance.plausibility!;
  assertAlmostEquals(q.metrics.plausibility!.scrambled, chance, 0.03);
  assertGreater(q.metrics.plausibility!.attention, 5 * chance);
  assertLess(q.metrics.faithfulness.scrambled, 0.35 * q.metrics.faithfulness.attention);
  assertGreater(q.metrics.faithfulness.attention, q.metrics.faithfulness.random);
  assertLess(q.metrics.faithfulness.scrambled, 0.35 * q.metrics.faithfulness["attention-effect"]);
  // Nothing removes more than every word; ranking attention's words by effect is at least as faithful.
  for (const name of Object.keys(q.metrics.faithfulness)) {
    assertLess(q.metrics.faithfulness[name], q.ceiling.faithfulness);
  }
  assertGreater(q.metrics.faithfulness["attention-effect"], q.metrics.faithfulness.attention);
  assertEquals(q.pairs.faithfulness, 120);
  assertEquals(Object.keys(q.byK), ["5"]);
  // The figure has one bar per explainer per measure, and the chance line.
  const fig = explanationQualityFigure(q);
  assertEquals(fig.data.length, 3 * 6);
  assertEquals(fig.layout.shapes?.length, 1);
});
