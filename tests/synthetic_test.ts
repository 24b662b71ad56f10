import winkNLP from "wink-nlp";
import model from "wink-eng-lite-web-model";
import {
  assert,
  assertEquals,
  assertGreater,
  assertGreaterOrEqual,
  assertLess,
  assertLessOrEqual,
  assertNotEquals,
  assertThrows,
} from "./support/assert.ts";
import { repoPath } from "./support/shared.ts";
import { Rng } from "../lib/random.ts";
import {
  generateSynthetic,
  SYNTHETIC_ASPECT_GROUPS,
  SYNTHETIC_ASPECTS,
  SYNTHETIC_FILLER_WORDS,
  SYNTHETIC_SENTIMENT_WORDS,
  type SyntheticOptions,
  type SyntheticReview,
  syntheticReviewsJsonl,
  type SyntheticTruth,
  syntheticTruthJson,
} from "../lib/data/synthetic.ts";

const FIXTURE_DIR = repoPath("fixtures", "synthetic");
const jsonlText = Deno.readTextFileSync(`${FIXTURE_DIR}/reviews.jsonl`);
const truthText = Deno.readTextFileSync(`${FIXTURE_DIR}/truth.json`);
const truth = JSON.parse(truthText) as SyntheticTruth;
// A few lines of parsing on purpose: the library's readers are tested elsewhere.
const rows = jsonlText.split("\n").filter((line) => line !== "").map((line) =>
  JSON.parse(line) as SyntheticReview
);

const nlp = winkNLP(model);
const its = nlp.its;
// wink-nlp's typings give `its.lemma` a signature `out()` rejects; at run time it is an ordinary its-function.
const itsLemma = its.lemma as unknown as typeof its.value;

/** Kept words of `text` as the preprocessing sees them: lowercased, word tokens, no stopwords, lemmas. */
function keptLemmas(text: string): string[] {
  const tokens = nlp.readDoc(text.toLowerCase()).tokens();
  const types = tokens.out(its.type) as unknown[];
  const stop = tokens.out(its.stopWordFlag) as unknown[];
  const lemmas = tokens.out(itsLemma) as unknown[];
  return lemmas.filter((_, k) => types[k] === "word" && stop[k] === false).map(String);
}

const aspectOf = new Map<string, string>();
for (const [aspect, words] of Object.entries(truth.aspects)) {
  for (const w of words) aspectOf.set(w, aspect);
}

/** The planted match of a user and an item: the share of the user's aspect weight the item has. */
function match(user: string, item: string): number {
  const itemAspects = truth.items[item];
  let m = 0;
  truth.users[user].forEach((a, k) => {
    if (itemAspects.includes(a)) m += truth.userAspectWeights[user][k];
  });
  return m;
}

function groupBy(key: (r: SyntheticReview) => string): Map<string, SyntheticReview[]> {
  const out = new Map<string, SyntheticReview[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k) ?? [];
    list.push(r);
    out.set(k, list);
  }
  return out;
}

Deno.test("generateSynthetic: same seed gives identical output, another seed differs", () => {
  const options: SyntheticOptions = { seed: 3, users: 40, items: 45 };
  const a = generateSynthetic(options);
  const b = generateSynthetic(options);
  assertEquals(syntheticReviewsJsonl(a), syntheticReviewsJsonl(b));
  assertEquals(syntheticTruthJson(a), syntheticTruthJson(b));
  const c = generateSynthetic({ ...options, seed: 4 });
  assertNotEquals(syntheticReviewsJsonl(a), syntheticReviewsJsonl(c));
  assertNotEquals(c.truth.users, a.truth.users);
});

Deno.test("committed fixture equals a fresh generation with the options in truth.json", () => {
  const fresh = generateSynthetic({
    ...truth.options,
    aspects: truth.aspects,
    aspectGroups: truth.aspectGroups,
  });
  assertEquals(syntheticTruthJson(fresh), truthText);
  assert(
    syntheticReviewsJsonl(fresh) === jsonlText,
    "reviews.jsonl differs from a fresh generation",
  );
  // The fixture uses the library defaults, so `deno run -A tasks/make_fixture.ts` reproduces it.
  assertEquals(syntheticTruthJson(generateSynthetic({ seed: truth.seed })), truthText);
});

Deno.test("fixture: sizes and per-user / per-item interaction counts", () => {
  const o = truth.options;
  assertGreaterOrEqual(rows.length, 3000);
  assertLessOrEqual(rows.length, 3500);
  assertLess(new TextEncoder().encode(jsonlText).length, 2_000_000);
  const byUser = groupBy((r) => r.user_id);
  const byItem = groupBy((r) => r.parent_asin);
  assertEquals([...byUser.keys()].sort(), Object.keys(truth.users).sort());
  assertEquals([...byItem.keys()].sort(), Object.keys(truth.items).sort());
  assertEquals(byUser.size, o.users);
  assertEquals(byItem.size, o.items);
  for (const [user, list] of byUser) {
    assertGreaterOrEqual(list.length, 20, user);
    assertLessOrEqual(list.length, 35, user);
    assertEquals(
      new Set(list.map((r) => r.parent_asin)).size,
      list.length,
      `${user} repeats an item`,
    );
  }
  const itemCounts = [...byItem.values()].map((list) => list.length);
  assertGreaterOrEqual(Math.min(...itemCounts), 8);
  // Mildly skewed popularity: the busiest item has clearly more than the quietest.
  assertGreater(Math.max(...itemCounts), 2 * Math.min(...itemCounts));
});

Deno.test("fixture: Amazon 2023 fields, timestamps rise per user within the date range", () => {
  const lo = Date.parse(truth.options.startDate);
  const hi = Date.parse(truth.options.endDate) + 86_400_000;
  const last = new Map<string, number>();
  for (const r of rows) {
    assertEquals(typeof r.user_id, "string");
    assertEquals(r.asin, r.parent_asin);
    assert(Number.isInteger(r.timestamp) && r.timestamp >= lo && r.timestamp < hi);
    const prev = last.get(r.user_id);
    if (prev !== undefined) assertGreater(r.timestamp, prev, `${r.user_id} time goes back`);
    last.set(r.user_id, r.timestamp);
  }
});

Deno.test("fixture: ratings are 1..5 with a positive skew and all values present", () => {
  const counts = [0, 0, 0, 0, 0];
  for (const r of rows) {
    assert(Number.isInteger(r.rating) && r.rating >= 1 && r.rating <= 5, `rating ${r.rating}`);
    counts[r.rating - 1]++;
  }
  for (const c of counts) assertGreater(c, 0.02 * rows.length);
  const mean = rows.reduce((s, r) => s + r.rating, 0) / rows.length;
  assertGreaterOrEqual(mean, 3.6);
  assertLessOrEqual(mean, 4.0);
  assertGreater(counts[4] + counts[3], counts[0] + counts[1] + counts[2]);
});

Deno.test("fixture: ratings follow the planted aspect match", () => {
  const matched = rows.filter((r) => match(r.user_id, r.parent_asin) > 0);
  const unmatched = rows.filter((r) => match(r.user_id, r.parent_asin) === 0);
  const mean = (list: SyntheticReview[]) => list.reduce((s, r) => s + r.rating, 0) / list.length;
  assertGreater(matched.length, 0.3 * rows.length);
  assertGreater(unmatched.length, 0.3 * rows.length);
  assertGreater(mean(matched) - mean(unmatched), 1);
  // Correlation of rating with match: strong, yet far from deterministic.
  const xs = rows.map((r) => match(r.user_id, r.parent_asin));
  const ys = rows.map((r) => r.rating);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0, sxx = 0, syy = 0;
  xs.forEach((x, k) => {
    sxy += (x - mx) * (ys[k] - my);
    sxx += (x - mx) ** 2;
    syy += (ys[k] - my) ** 2;
  });
  const corr = sxy / Math.sqrt(sxx * syy);
  assertGreater(corr, 0.4);
  assertLess(corr, 0.9);
});

Deno.test("fixture: a latent-factor model beats a user+item bias model on held-out ratings", () => {
  // Plain SGD matrix factorisation on a seeded 80/20 split; rank 0 is the bias-only model.
  const order = new Rng(1).shuffle(rows.map((_, k) => k));
  const cut = Math.floor(0.8 * rows.length);
  const train = order.slice(0, cut).map((k) => rows[k]);
  const test = order.slice(cut).map((k) => rows[k]);
  const users = new Map(Object.keys(truth.users).map((id, k) => [id, k]));
  const items = new Map(Object.keys(truth.items).map((id, k) => [id, k]));
  const rmse = (rank: number): number => {
    const rng = new Rng(7);
    const mu = train.reduce((s, r) => s + r.rating, 0) / train.length;
    const bu = new Float64Array(users.size);
    const bi = new Float64Array(items.size);
    const init = () => Float64Array.from({ length: rank }, () => 0.1 * rng.normal());
    const P = [...users.keys()].map(init);
    const Q = [...items.keys()].map(init);
    const predict = (r: SyntheticReview) => {
      const u = users.get(r.user_id)!, i = items.get(r.parent_asin)!;
      let p = mu + bu[u] + bi[i];
      for (let f = 0; f < rank; f++) p += P[u][f] * Q[i][f];
      return { u, i, p };
    };
    const lr = 0.01, reg = 0.2;
    const idx = train.map((_, k) => k);
    for (let epoch = 0; epoch < 150; epoch++) {
      for (const k of rng.shuffle(idx)) {
        const { u, i, p } = predict(train[k]);
        const err = train[k].rating - p;
        bu[u] += lr * (err - reg * bu[u]);
        bi[i] += lr * (err - reg * bi[i]);
        for (let f = 0; f < rank; f++) {
          const pu = P[u][f], qi = Q[i][f];
          P[u][f] += lr * (err * qi - reg * pu);
          Q[i][f] += lr * (err * pu - reg * qi);
        }
      }
    }
    const se = test.reduce(
      (s, r) => s + (r.rating - Math.min(5, Math.max(1, predict(r).p))) ** 2,
      0,
    );
    return Math.sqrt(se / test.length);
  };
  const bias = rmse(0);
  const mf = rmse(4);
  assertLess(mf, 0.95 * bias, `MF ${mf.toFixed(4)} vs bias ${bias.toFixed(4)}`);
});

Deno.test("fixture: review texts, titles and missing reviews", () => {
  const empty = rows.filter((r) => r.text === "");
  assertGreaterOrEqual(empty.length, 0.01 * rows.length);
  assertLessOrEqual(empty.length, 0.03 * rows.length);
  for (const r of rows) {
    assertEquals(r.title === "", r.text === "", "title and text are empty together");
    if (r.text === "") continue;
    const words = r.text.match(/[A-Za-z]+/g)?.length ?? 0;
    assertGreaterOrEqual(words, truth.options.minReviewWords);
    assertLessOrEqual(words, truth.options.maxReviewWords);
  }
  // Varied: many distinct texts, not a handful of templates filled the same way.
  assertGreater(new Set(rows.map((r) => r.text)).size, 0.95 * rows.length);
});

Deno.test("fixture: sentiment words agree with the rating", () => {
  const pos = new Set(truth.sentiment.positive);
  const neg = new Set(truth.sentiment.negative);
  for (const r of rows) {
    const words = r.text.toLowerCase().match(/[a-z]+/g) ?? [];
    if (r.rating >= 4) assert(!words.some((w) => neg.has(w)), `negative word at ${r.rating}`);
    if (r.rating <= 2) assert(!words.some((w) => pos.has(w)), `positive word at ${r.rating}`);
    if (r.rating === 5 && r.text !== "") assert(words.some((w) => pos.has(w)));
    if (r.rating === 1 && r.text !== "") assert(words.some((w) => neg.has(w)));
  }
});

Deno.test("fixture: users and items talk about their own aspects far more than others", () => {
  const rates = (reviews: SyntheticReview[], own: string[]) => {
    const mine = new Set(own.flatMap((a) => truth.aspects[a]));
    let ownHits = 0, otherHits = 0;
    for (const r of reviews) {
      for (const w of r.text.match(/[a-z]+/g) ?? []) {
        if (!aspectOf.has(w)) continue;
        if (mine.has(w)) ownHits++;
        else otherHits++;
      }
    }
    // Mentions per review per word, so aspects with more words do not count double.
    const n = reviews.length;
    return { own: ownHits / n / mine.size, other: otherHits / n / (aspectOf.size - mine.size) };
  };
  for (const [user, list] of groupBy((r) => r.user_id)) {
    const { own, other } = rates(list, truth.users[user]);
    assertGreater(own, 4 * other, `user ${user}: ${own} vs ${other}`);
  }
  for (const [item, list] of groupBy((r) => r.parent_asin)) {
    const { own, other } = rates(list, truth.items[item]);
    assertGreater(own, 2 * other, `item ${item}: ${own} vs ${other}`);
  }
  // Every aspect is preferred by some users and held by some items.
  for (const aspect of Object.keys(truth.aspects)) {
    assert(Object.values(truth.users).some((list) => list.includes(aspect)), aspect);
    assert(Object.values(truth.items).some((list) => list.includes(aspect)), aspect);
  }
});

Deno.test("planted words survive wink-nlp preprocessing unchanged", () => {
  const aspectWords = Object.values(SYNTHETIC_ASPECTS).flat();
  assertEquals(new Set(aspectWords).size, aspectWords.length, "a word is in two aspects");
  assertGreaterOrEqual(Object.keys(SYNTHETIC_ASPECTS).length, 10);
  const planted = [
    ...aspectWords,
    ...SYNTHETIC_FILLER_WORDS,
    ...SYNTHETIC_SENTIMENT_WORDS.positive,
    ...SYNTHETIC_SENTIMENT_WORDS.neutral,
    ...SYNTHETIC_SENTIMENT_WORDS.negative,
  ];
  assertEquals(new Set(planted).size, planted.length, "a planted word is in two lists");
  for (const word of planted) {
    const tokens = nlp.readDoc(word).tokens();
    assertEquals(tokens.length(), 1, word);
    assertEquals(tokens.out(its.type), ["word"], word);
    assertEquals(tokens.out(its.stopWordFlag), [false], word);
    assertEquals(tokens.out(itsLemma), [word], word);
  }
});

Deno.test("fixture: in context, the kept lemmas of every review are exactly its planted words", () => {
  const planted = new Set([
    ...aspectOf.keys(),
    ...truth.filler,
    ...truth.sentiment.positive,
    ...truth.sentiment.neutral,
    ...truth.sentiment.negative,
  ]);
  for (const r of rows) {
    const expected = (r.text.toLowerCase().match(/[a-z]+/g) ?? []).filter((w) => planted.has(w));
    assertEquals(keptLemmas(r.text), expected, r.text);
  }
});

Deno.test("generateSynthetic: interactions mirror the reviews", () => {
  const ds = generateSynthetic({ seed: 9, users: 30, items: 40, emptyReviewRate: 0.1 });
  assertEquals(ds.interactions.length, ds.reviews.length);
  ds.reviews.forEach((r, k) => {
    const x = ds.interactions[k];
    assertEquals(x.user, r.user_id);
    assertEquals(x.item, r.parent_asin);
    assertEquals(x.rating, r.rating);
    assertEquals(x.timestamp, r.timestamp);
    assertEquals(x.review, r.text === "" ? undefined : r.text);
  });
  assertEquals(
    ds.interactions.filter((x) => x.review === undefined).length,
    Math.round(0.1 * ds.reviews.length),
  );
});

Deno.test("generateSynthetic: custom aspects form one group and are honoured", () => {
  const aspects = {
    taste: ["flavor", "sweetness", "aroma"],
    size: ["portion", "weight", "height"],
    look: ["color", "shape", "logo"],
  };
  const ds = generateSynthetic({
    seed: 1,
    users: 25,
    items: 40,
    aspects,
    aspectsPerUser: [1, 2],
    aspectsPerItem: [1, 1],
    minItemInteractions: 5,
  });
  assertEquals(ds.truth.aspects, aspects);
  assertEquals(ds.truth.aspectGroups, [["taste", "size", "look"]]);
  for (const list of Object.values(ds.truth.items)) assertEquals(list.length, 1);
  const words = new Set(Object.values(aspects).flat());
  const used = ds.reviews.flatMap((r) => r.text.match(/[a-z]+/g) ?? []).filter((w) => words.has(w));
  assertGreater(used.length, ds.reviews.length);
  assert(!ds.reviews.some((r) => /\b(plot|battery|soundtrack)\b/.test(r.text)));
  assertEquals(SYNTHETIC_ASPECT_GROUPS.flat().length, Object.keys(SYNTHETIC_ASPECTS).length);
});

Deno.test("generateSynthetic: rejects impossible options", () => {
  assertThrows(() => generateSynthetic({ items: 30 }), RangeError, "maxUserInteractions");
  assertThrows(
    () => generateSynthetic({ aspects: { a: ["word", "other"], b: ["word"] } }),
    RangeError,
    '"word"',
  );
  assertThrows(
    () => generateSynthetic({ aspectGroups: [["story", "sound"]] }),
    RangeError,
    "aspectGroups",
  );
  assertThrows(() => generateSynthetic({ aspectsPerUser: [3, 2] }), RangeError, "aspectsPerUser");
  assertThrows(() => generateSynthetic({ seed: Number.NaN }), RangeError, "seed");
});
