/**
 * A seeded generator of toy review datasets with planted structure, for
 * tests, demos and checking that keyword profiles explain what they should.
 *
 * Every user cares about a few named aspects (story, sound, price...) and
 * every item has a few. A rating follows how well the item's aspects match
 * the user's, plus user and item biases and noise, with the positive skew of
 * Amazon reviews. The review text mentions words of the user's aspects (users
 * talk about what they care about) and of the item's aspects, sentiment words
 * that agree with the rating and neutral filler nouns, glued together with
 * stopwords. The ground truth comes back beside the data, so a test can ask
 * whether a model recovered it.
 *
 * The planted aspect, sentiment and filler words survive the text
 * preprocessing unchanged (wink-nlp calls them words, not stopwords, and
 * their lemma is the word itself); all the glue is stopwords.
 *
 * @module
 */
import { Rng } from "../random.ts";
import type { Interaction } from "./types.ts";

/** The default aspects: twelve named aspects with six distinctive words each. */
export const SYNTHETIC_ASPECTS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  story: ["plot", "narrative", "character", "chapter", "villain", "protagonist"],
  graphics: ["texture", "resolution", "animation", "pixel", "visual", "scenery"],
  sound: ["audio", "music", "soundtrack", "bass", "melody", "volume"],
  controls: ["controller", "button", "joystick", "trigger", "layout", "sensitivity"],
  multiplayer: ["server", "lobby", "matchmaking", "teammate", "opponent", "tournament"],
  price: ["cost", "value", "discount", "bargain", "budget", "dollar"],
  durability: ["material", "hinge", "plastic", "metal", "scratch", "warranty"],
  comfort: ["cushion", "grip", "strap", "posture", "foam", "softness"],
  design: ["style", "color", "shape", "elegance", "finish", "logo"],
  battery: ["battery", "charger", "cable", "charge", "outlet", "recharge"],
  setup: ["installation", "manual", "driver", "firmware", "update", "menu"],
  performance: ["speed", "lag", "crash", "processor", "memory", "latency"],
});

/**
 * The default aspect groups (think product categories): a user or item draws
 * most of its aspects from one home group, which gives the ratings a low-rank
 * structure a latent-factor model can learn from a few dozen ratings each.
 */
export const SYNTHETIC_ASPECT_GROUPS: readonly (readonly string[])[] = Object.freeze([
  Object.freeze(["story", "graphics", "sound", "multiplayer"]),
  Object.freeze(["controls", "comfort", "design", "durability"]),
  Object.freeze(["battery", "setup", "performance", "price"]),
]);

/** Neutral filler nouns that any review may use; they carry no aspect and no sentiment. */
export const SYNTHETIC_FILLER_WORDS: readonly string[] = Object.freeze([
  "product",
  "package",
  "week",
  "day",
  "box",
  "order",
  "month",
  "item",
  "purchase",
  "thing",
  "weekend",
  "delivery",
  "friend",
  "family",
  "gift",
  "store",
  "brother",
  "sister",
  "son",
  "daughter",
  "kitchen",
  "office",
  "holiday",
  "birthday",
  "evening",
  "morning",
  "shipment",
  "seller",
  "desk",
  "trip",
]);

/** Sentiment adjectives by polarity; a review's sentiment words agree with its rating. */
export interface SentimentWords {
  /** Used for ratings 4 and 5. */
  positive: readonly string[];
  /** Used for rating 3, and beside the main polarity for ratings 2 and 4. */
  neutral: readonly string[];
  /** Used for ratings 1 and 2. */
  negative: readonly string[];
}

/** The sentiment adjectives the generator uses. */
export const SYNTHETIC_SENTIMENT_WORDS: SentimentWords = Object.freeze({
  positive: Object.freeze([
    "great",
    "excellent",
    "wonderful",
    "fantastic",
    "superb",
    "perfect",
    "awesome",
    "brilliant",
    "lovely",
    "outstanding",
  ]),
  neutral: Object.freeze([
    "okay",
    "decent",
    "average",
    "fine",
    "acceptable",
    "ordinary",
    "adequate",
    "fair",
  ]),
  negative: Object.freeze([
    "awful",
    "terrible",
    "horrible",
    "poor",
    "mediocre",
    "bad",
    "useless",
    "disappointing",
    "dreadful",
    "pathetic",
  ]),
});

/** Options of {@linkcode generateSynthetic}. Every field is optional. */
export interface SyntheticOptions {
  /** Seed of every random choice; equal options give byte-identical output. @default 42 */
  seed?: number;
  /** Number of users. @default 120 */
  users?: number;
  /** Number of items. @default 80 */
  items?: number;
  /** Aspect name to its distinctive words; no word may belong to two aspects. @default SYNTHETIC_ASPECTS */
  aspects?: Readonly<Record<string, readonly string[]>>;
  /**
   * Groups of aspect names; each user and item has a home group. Every aspect must be in exactly
   * one group. When `aspects` is given without groups, all its aspects form one group.
   * @default SYNTHETIC_ASPECT_GROUPS
   */
  aspectGroups?: readonly (readonly string[])[];
  /** Chance that each aspect of a user or item comes from its home group rather than from any group. @default 0.85 */
  groupAffinity?: number;
  /** Inclusive range of how many aspects a user prefers. @default [2, 3] */
  aspectsPerUser?: readonly [number, number];
  /** Inclusive range of how many aspects an item has. @default [2, 3] */
  aspectsPerItem?: readonly [number, number];
  /** Fewest interactions (distinct items) per user. @default 20 */
  minUserInteractions?: number;
  /** Most interactions (distinct items) per user. @default 35 */
  maxUserInteractions?: number;
  /** Fewest interactions per item. @default 8 */
  minItemInteractions?: number;
  /** Exponent of the Zipf-like item popularity `1 / (rank + 10)^s`; 0 makes items equally popular. @default 1 */
  popularitySkew?: number;
  /** How much more likely a user picks a matching item: weight `1 + selectionBias * match`. @default 3 */
  selectionBias?: number;
  /** Rating before rounding for a user and item with zero bias and no aspect in common. @default 3.1 */
  baseRating?: number;
  /** Rating added at a full match (the item has every aspect the user prefers), scaled by the match. @default 3 */
  matchWeight?: number;
  /** Standard deviation of the per-user rating bias. @default 0.3 */
  userBiasStd?: number;
  /** Standard deviation of the per-item rating bias. @default 0.3 */
  itemBiasStd?: number;
  /** Standard deviation of the per-interaction rating noise. @default 0.5 */
  noiseStd?: number;
  /** Share of interactions whose rating is replaced by a 1 (60%) or a 2 whatever the match (a faulty unit). @default 0.04 */
  outlierRate?: number;
  /** Share of interactions with an empty review (title and text), i.e. a missing review modality. @default 0.02 */
  emptyReviewRate?: number;
  /** Inclusive range of how many user-aspect words a review mentions. @default [2, 4] */
  userAspectMentions?: readonly [number, number];
  /** Inclusive range of how many item-aspect words a review mentions. @default [1, 3] */
  itemAspectMentions?: readonly [number, number];
  /** Inclusive range of how many sentiment words a review has. @default [1, 2] */
  sentimentMentions?: readonly [number, number];
  /** Inclusive range of how many filler nouns a review has. @default [2, 4] */
  fillerMentions?: readonly [number, number];
  /** Fewest words in a non-empty review text. @default 30 */
  minReviewWords?: number;
  /** Most words in a non-empty review text. @default 45 */
  maxReviewWords?: number;
  /** First possible review date (ISO 8601, UTC). @default "2015-01-01" */
  startDate?: string;
  /** Last possible review date (ISO 8601, UTC). @default "2023-06-30" */
  endDate?: string;
}

/** {@linkcode SyntheticOptions} with every default filled in, except the aspects and their groups (kept apart in the truth). */
export type ResolvedSyntheticOptions = Required<Omit<SyntheticOptions, "aspects" | "aspectGroups">>;

/** One review in the Amazon Reviews 2023 JSON-lines layout (the fields the readers use, and a few more). */
export interface SyntheticReview {
  /** Star rating, 1..5. */
  rating: number;
  /** Review title; empty when the review is missing. */
  title: string;
  /** Review text; empty when the review is missing. */
  text: string;
  /** Always empty; present because Amazon 2023 lines have it. */
  images: never[];
  /** Same as `parent_asin`. */
  asin: string;
  /** Item id. */
  parent_asin: string;
  /** User id. */
  user_id: string;
  /** Milliseconds since the Unix epoch; strictly increasing within each user. */
  timestamp: number;
  /** Always 0. */
  helpful_vote: number;
  /** Always true. */
  verified_purchase: boolean;
}

/** The planted structure: what a model should recover, and how to regenerate the data. */
export interface SyntheticTruth {
  /** Format tag, bumped whenever the generator's output changes for the same options. */
  generator: string;
  /** The seed (also in `options`). */
  seed: number;
  /** Every option the data was generated with, defaults filled in. */
  options: ResolvedSyntheticOptions;
  /** Aspect name to its words. */
  aspects: Record<string, string[]>;
  /** The aspect groups, as aspect names. */
  aspectGroups: string[][];
  /** User id to the index of its home group in `aspectGroups`. */
  userGroup: Record<string, number>;
  /** Item id to the index of its home group in `aspectGroups`. */
  itemGroup: Record<string, number>;
  /** User id to the aspects the user prefers. */
  users: Record<string, string[]>;
  /** User id to the weights of its preferred aspects, in the same order (they sum to 1). */
  userAspectWeights: Record<string, number[]>;
  /** Item id to the aspects the item has. */
  items: Record<string, string[]>;
  /** User id to its rating bias. */
  userBias: Record<string, number>;
  /** Item id to its rating bias. */
  itemBias: Record<string, number>;
  /** The filler nouns. */
  filler: string[];
  /** The sentiment adjectives by polarity. */
  sentiment: { positive: string[]; neutral: string[]; negative: string[] };
}

/** A generated dataset: reviews in file order, the same as interactions, and the truth. */
export interface SyntheticDataset {
  /** Reviews sorted by timestamp (ties by user, then item), as written to the JSON-lines file. */
  reviews: SyntheticReview[];
  /** The same interactions as {@linkcode Interaction}s: `review` is the text, absent when it is empty. */
  interactions: Interaction[];
  /** The planted structure. */
  truth: SyntheticTruth;
}

const GENERATOR_TAG = "drex-synthetic/1";
const DAY_MS = 86_400_000;

const DEFAULTS: ResolvedSyntheticOptions = {
  seed: 42,
  users: 120,
  items: 80,
  groupAffinity: 0.85,
  aspectsPerUser: [2, 3],
  aspectsPerItem: [2, 3],
  minUserInteractions: 20,
  maxUserInteractions: 35,
  minItemInteractions: 8,
  popularitySkew: 1,
  selectionBias: 3,
  baseRating: 3.1,
  matchWeight: 3,
  userBiasStd: 0.3,
  itemBiasStd: 0.3,
  noiseStd: 0.5,
  outlierRate: 0.04,
  emptyReviewRate: 0.02,
  userAspectMentions: [2, 4],
  itemAspectMentions: [1, 3],
  sentimentMentions: [1, 2],
  fillerMentions: [2, 4],
  minReviewWords: 30,
  maxReviewWords: 45,
  startDate: "2015-01-01",
  endDate: "2023-06-30",
};

/**
 * Sentence templates: `{A}` takes an aspect word, `{S}` a sentiment adjective,
 * `{F}` a filler noun. Everything else is a stopword, so the glue never enters
 * the preprocessed vocabulary.
 */
const TEMPLATES: readonly string[] = [
  "The {A} is {S}.",
  "The {A} was {S}, and so was the {A}.",
  "As for the {A}, it is {S}.",
  "I have to say the {A} was {S}.",
  "The {A} and the {A} were {S}.",
  "It is all about the {A} for me.",
  "For me the {A} is what made it.",
  "Then there is the {A}.",
  "Even the {A} was {S}.",
  "I am all about the {A}, the {A} and the {A}.",
  "What about the {A}? It was {S}.",
  "Most of all, it is the {A} and the {A} for me.",
  "The {A} was {S} for the {F}.",
  "After the {F}, the {A} was still {S}.",
  "With the {F} and the {A}, it was {S} enough.",
  "It was here with the {F}.",
  "That was after the {F}.",
  "I had it for the {F} and the {F}.",
  "This one was for the {F}.",
  "Then the {F} was done.",
  "We used it during the {F} with the {A}.",
  "So it is {S}.",
  "It was {S}, very {S}.",
  "All in all, {S}.",
  "I would say {S}.",
  "To my {F}, the {A} is {S}.",
];

/** Stopword-only sentences used to bring a short review up to the minimum length. */
const PADDING: readonly string[] = [
  "I would do it again.",
  "That is all.",
  "It is what it is.",
  "Not much more to say about it.",
  "It does what it should.",
  "More on that below.",
  "So there you have it.",
  "Once again, here we are.",
  "I was not into it at first.",
  "You can see why.",
];

interface Template {
  text: string;
  a: number;
  s: number;
  f: number;
}

const PARSED_TEMPLATES: readonly Template[] = TEMPLATES.map((text) => ({
  text,
  a: text.split("{A}").length - 1,
  s: text.split("{S}").length - 1,
  f: text.split("{F}").length - 1,
}));

function countWords(text: string): number {
  return text.match(/[A-Za-z]+/g)?.length ?? 0;
}

function checkRange(name: string, range: readonly [number, number], lo: number): void {
  if (
    !Array.isArray(range) || range.length !== 2 || !Number.isInteger(range[0]) ||
    !Number.isInteger(range[1]) || range[0] < lo || range[1] < range[0]
  ) {
    throw new RangeError(
      `generateSynthetic: ${name} must be [min, max] integers with ${lo} <= min <= max, got ${
        JSON.stringify(range)
      }`,
    );
  }
}

function checkCount(name: string, value: number, lo: number): void {
  if (!Number.isInteger(value) || value < lo) {
    throw new RangeError(`generateSynthetic: ${name} must be an integer >= ${lo}, got ${value}`);
  }
}

function checkNumber(name: string, value: number, lo: number, hi = Infinity): void {
  if (!Number.isFinite(value) || value < lo || value > hi) {
    throw new RangeError(`generateSynthetic: ${name} must be in [${lo}, ${hi}], got ${value}`);
  }
}

function resolve(options: SyntheticOptions): {
  opts: ResolvedSyntheticOptions;
  aspects: Record<string, string[]>;
  groups: string[][];
} {
  const { aspects: aspectOption, aspectGroups: groupOption, ...rest } = options;
  const defined = Object.fromEntries(
    Object.entries(rest).filter(([, v]) => v !== undefined),
  ) as Partial<ResolvedSyntheticOptions>;
  const opts: ResolvedSyntheticOptions = { ...DEFAULTS, ...defined };
  const aspects: Record<string, string[]> = {};
  const owner = new Map<string, string>();
  for (const [name, words] of Object.entries(aspectOption ?? SYNTHETIC_ASPECTS)) {
    if (words.length === 0) {
      throw new RangeError(`generateSynthetic: aspect "${name}" has no words`);
    }
    for (const w of words) {
      if (!/^[a-z]+$/.test(w)) {
        throw new RangeError(`generateSynthetic: aspect word "${w}" must be lowercase letters`);
      }
      const other = owner.get(w);
      if (other !== undefined) {
        throw new RangeError(
          `generateSynthetic: word "${w}" is in aspects "${other}" and "${name}"`,
        );
      }
      owner.set(w, name);
    }
    aspects[name] = [...words];
  }
  const aspectNames = Object.keys(aspects);
  const nAspects = aspectNames.length;
  const groups = (groupOption ?? (aspectOption ? [aspectNames] : SYNTHETIC_ASPECT_GROUPS)).map((
    g,
  ) => [...g]);
  const grouped = groups.flat();
  if (
    groups.some((g) => g.length === 0) || grouped.length !== nAspects ||
    new Set(grouped).size !== nAspects || grouped.some((a) => !(a in aspects))
  ) {
    throw new RangeError(
      "generateSynthetic: aspectGroups must be non-empty groups holding every aspect exactly once",
    );
  }
  checkNumber("groupAffinity", opts.groupAffinity, 0, 1);
  checkNumber("seed", opts.seed, -Infinity);
  checkCount("users", opts.users, 1);
  checkCount("items", opts.items, 1);
  checkRange("aspectsPerUser", opts.aspectsPerUser, 1);
  checkRange("aspectsPerItem", opts.aspectsPerItem, 1);
  if (opts.aspectsPerUser[1] > nAspects || opts.aspectsPerItem[1] > nAspects) {
    throw new RangeError(`generateSynthetic: only ${nAspects} aspects to choose from`);
  }
  checkCount("minUserInteractions", opts.minUserInteractions, 1);
  checkCount("maxUserInteractions", opts.maxUserInteractions, opts.minUserInteractions);
  if (opts.maxUserInteractions > opts.items) {
    throw new RangeError(
      `generateSynthetic: maxUserInteractions (${opts.maxUserInteractions}) exceeds items (${opts.items})`,
    );
  }
  checkCount("minItemInteractions", opts.minItemInteractions, 0);
  if (opts.minItemInteractions > opts.users) {
    throw new RangeError(
      `generateSynthetic: minItemInteractions (${opts.minItemInteractions}) exceeds users (${opts.users})`,
    );
  }
  if (opts.minItemInteractions * opts.items > opts.minUserInteractions * opts.users) {
    throw new RangeError(
      "generateSynthetic: minItemInteractions * items exceeds minUserInteractions * users",
    );
  }
  checkNumber("popularitySkew", opts.popularitySkew, 0);
  checkNumber("selectionBias", opts.selectionBias, 0);
  checkNumber("baseRating", opts.baseRating, -Infinity);
  checkNumber("matchWeight", opts.matchWeight, -Infinity);
  checkNumber("userBiasStd", opts.userBiasStd, 0);
  checkNumber("itemBiasStd", opts.itemBiasStd, 0);
  checkNumber("noiseStd", opts.noiseStd, 0);
  checkNumber("outlierRate", opts.outlierRate, 0, 1);
  checkNumber("emptyReviewRate", opts.emptyReviewRate, 0, 1);
  checkRange("userAspectMentions", opts.userAspectMentions, 0);
  checkRange("itemAspectMentions", opts.itemAspectMentions, 0);
  checkRange("sentimentMentions", opts.sentimentMentions, 0);
  checkRange("fillerMentions", opts.fillerMentions, 0);
  checkCount("minReviewWords", opts.minReviewWords, 0);
  checkCount("maxReviewWords", opts.maxReviewWords, Math.max(opts.minReviewWords, 1));
  const start = Date.parse(opts.startDate);
  const end = Date.parse(opts.endDate);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end - start < DAY_MS) {
    throw new RangeError(
      `generateSynthetic: startDate/endDate must be ISO dates at least a day apart, got ${opts.startDate} and ${opts.endDate}`,
    );
  }
  return { opts, aspects, groups };
}

/** Inclusive uniform integer in `[range[0], range[1]]`. */
function between(rng: Rng, range: readonly [number, number]): number {
  return range[0] + rng.int(range[1] - range[0] + 1);
}

/**
 * `k` distinct aspects for a user or item of home group `home`: each from the
 * home group with chance `affinity` (while it has unused aspects), else from all.
 */
function drawAspects(
  rng: Rng,
  groups: readonly string[][],
  home: number,
  k: number,
  affinity: number,
): string[] {
  const all = groups.flat();
  const out: string[] = [];
  while (out.length < k) {
    const homeLeft = groups[home].filter((a) => !out.includes(a));
    const pool = homeLeft.length > 0 && rng.next() < affinity
      ? homeLeft
      : all.filter((a) => !out.includes(a));
    out.push(rng.pick(pool));
  }
  return out;
}

/** `k` distinct elements of `pool`, in random order. */
function sample<T>(rng: Rng, pool: readonly T[], k: number): T[] {
  return rng.shuffle([...pool]).slice(0, k);
}

/** Index drawn with probability proportional to `weights` (which must not all be 0). */
function weightedIndex(rng: Rng, weights: Float64Array): number {
  let total = 0;
  for (const w of weights) total += w;
  let r = rng.next() * total;
  let last = -1;
  for (let k = 0; k < weights.length; k++) {
    if (weights[k] <= 0) continue;
    last = k;
    r -= weights[k];
    if (r < 0) return k;
  }
  if (last < 0) throw new Error("weightedIndex: all weights are zero");
  return last;
}

function padId(prefix: string, k: number, count: number): string {
  return prefix + String(k).padStart(Math.max(4, String(count - 1).length), "0");
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Sentiment adjectives for a rating: its polarity, with a neutral second word sometimes for 2 and 4. */
function sentimentFor(rng: Rng, rating: number, count: number): string[] {
  const s = SYNTHETIC_SENTIMENT_WORDS;
  const main = rating >= 4 ? s.positive : rating <= 2 ? s.negative : s.neutral;
  const words = sample(rng, main, count);
  if (count >= 2 && (rating === 4 || rating === 2) && rng.next() < 0.5) {
    words[words.length - 1] = rng.pick(s.neutral);
  }
  return words;
}

/** Picks `k` distinct words from the given aspects, choosing the aspect first (weighted), then a word. */
function aspectWords(
  rng: Rng,
  aspectNames: readonly string[],
  weights: readonly number[],
  aspects: Record<string, string[]>,
  k: number,
  taken: Set<string>,
): string[] {
  const out: string[] = [];
  const w = Float64Array.from(weights);
  for (let tries = 0; out.length < k && tries < 20 * (k + 1); tries++) {
    const words = aspects[aspectNames[weightedIndex(rng, w)]];
    const word = rng.pick(words);
    if (taken.has(word)) continue;
    taken.add(word);
    out.push(word);
  }
  return out;
}

interface ReviewParts {
  aspectWords: string[];
  sentiment: string[];
  filler: string[];
}

/** Glues the parts into sentences; `null` when the text falls outside the word limits. */
function composeText(
  rng: Rng,
  parts: ReviewParts,
  minWords: number,
  maxWords: number,
): string | null {
  const a = [...parts.aspectWords];
  const s = [...parts.sentiment];
  const f = [...parts.filler];
  const sentences: string[] = [];
  while (a.length + s.length + f.length > 0) {
    const fits = PARSED_TEMPLATES.filter((t) =>
      t.a <= a.length && t.s <= s.length && t.f <= f.length
    );
    const t = rng.pick(fits);
    sentences.push(
      t.text.replace(
        /\{([ASF])\}/g,
        (_m, slot: string) => (slot === "A" ? a : slot === "S" ? s : f).shift() as string,
      ),
    );
  }
  let words = sentences.reduce((n, x) => n + countWords(x), 0);
  while (words < Math.max(1, minWords)) {
    const pad = rng.pick(PADDING);
    sentences.splice(rng.int(sentences.length + 1), 0, pad);
    words += countWords(pad);
  }
  if (words > maxWords) return null;
  return sentences.join(" ");
}

/**
 * Generates a toy review dataset with planted aspect structure.
 *
 * Guarantees: every user has between `minUserInteractions` and
 * `maxUserInteractions` interactions with distinct items; every item has at
 * least `minItemInteractions`; every interaction has a rating in 1..5;
 * exactly `round(emptyReviewRate * n)` have an empty title and text; a
 * user's timestamps strictly increase in the user's interaction order. The
 * same options give byte-identical output.
 *
 * @example
 * ```ts
 * import { generateSynthetic } from "./synthetic.ts";
 * const { interactions, truth } = generateSynthetic({ seed: 7, users: 30, items: 40 });
 * console.log(interactions.length, truth.users["U0000"]);
 * ```
 */
export function generateSynthetic(options: SyntheticOptions = {}): SyntheticDataset {
  const { opts, aspects, groups } = resolve(options);
  const root = new Rng(opts.seed);
  const structureRng = root.fork();
  const assignRng = root.fork();
  const ratingRng = root.fork();
  const timeRng = root.fork();
  const textRng = root.fork();

  // Planted structure: aspects, aspect weights and biases of users; aspects, biases and popularity of items.
  const userIds = Array.from({ length: opts.users }, (_, k) => padId("U", k, opts.users));
  const itemIds = Array.from({ length: opts.items }, (_, k) => padId("B0SYN", k, opts.items));
  const userGroup = userIds.map(() => structureRng.int(groups.length));
  const userAspects = userGroup.map((g) =>
    drawAspects(
      structureRng,
      groups,
      g,
      between(structureRng, opts.aspectsPerUser),
      opts.groupAffinity,
    )
  );
  const userWeights = userAspects.map((list) => {
    const raw = list.map(() => structureRng.uniform(0.5, 1.5));
    const sum = raw.reduce((x, y) => x + y, 0);
    return raw.map((x) => x / sum);
  });
  const itemGroup = itemIds.map(() => structureRng.int(groups.length));
  const itemAspects = itemGroup.map((g) =>
    drawAspects(
      structureRng,
      groups,
      g,
      between(structureRng, opts.aspectsPerItem),
      opts.groupAffinity,
    )
  );
  const userBias = userIds.map(() => opts.userBiasStd * structureRng.normal());
  const itemBias = itemIds.map(() => opts.itemBiasStd * structureRng.normal());
  const popularityRank = structureRng.shuffle(itemIds.map((_, k) => k));
  const popularity = popularityRank.map((rank) => 1 / Math.pow(rank + 10, opts.popularitySkew));

  // Match: the share of the user's aspect weight that the item has, in [0, 1].
  const match = (u: number, i: number): number => {
    let m = 0;
    userAspects[u].forEach((a, k) => {
      if (itemAspects[i].includes(a)) m += userWeights[u][k];
    });
    return m;
  };

  // Who rated what: first give every item its minimum of distinct users, then fill each user's quota.
  const quota = userIds.map(() =>
    between(assignRng, [opts.minUserInteractions, opts.maxUserInteractions])
  );
  const chosen = userIds.map(() => new Set<number>());
  const itemOrder = assignRng.shuffle(itemIds.map((_, k) => k));
  for (const i of itemOrder) {
    for (let n = 0; n < opts.minItemInteractions; n++) {
      const w = new Float64Array(opts.users);
      for (let u = 0; u < opts.users; u++) {
        const room = quota[u] - chosen[u].size;
        if (room > 0 && !chosen[u].has(i)) w[u] = room * (1 + opts.selectionBias * match(u, i));
      }
      if (!w.some((x) => x > 0)) {
        throw new Error("generateSynthetic: cannot give every item its minimum interactions");
      }
      chosen[weightedIndex(assignRng, w)].add(i);
    }
  }
  for (let u = 0; u < opts.users; u++) {
    const w = new Float64Array(opts.items);
    for (let i = 0; i < opts.items; i++) {
      if (!chosen[u].has(i)) w[i] = popularity[i] * (1 + opts.selectionBias * match(u, i));
    }
    while (chosen[u].size < quota[u]) {
      const i = weightedIndex(assignRng, w);
      chosen[u].add(i);
      w[i] = 0;
    }
  }

  // Timeline: each user is active over a random stretch of the date range.
  const start = Date.parse(opts.startDate);
  const range = Date.parse(opts.endDate) + DAY_MS - 1 - start;
  const pairs: { u: number; i: number; t: number }[] = [];
  for (let u = 0; u < opts.users; u++) {
    const items = timeRng.shuffle([...chosen[u]].sort((x, y) => x - y));
    const span = Math.max(items.length, Math.floor(range * timeRng.uniform(0.1, 0.6)));
    const from = start + Math.floor((range - span) * timeRng.next());
    const times = items.map(() => from + Math.floor(span * timeRng.next())).sort((x, y) => x - y);
    for (let k = 1; k < times.length; k++) {
      if (times[k] <= times[k - 1]) times[k] = times[k - 1] + 1;
    }
    items.forEach((i, k) => pairs.push({ u, i, t: times[k] }));
  }
  pairs.sort((p, q) => p.t - q.t || p.u - q.u || p.i - q.i);

  // Ratings: bias + match + noise, rounded and clipped, with a few faulty-unit outliers.
  const ratings = pairs.map(({ u, i }) => {
    const latent = opts.baseRating + userBias[u] + itemBias[i] + opts.matchWeight * match(u, i) +
      opts.noiseStd * ratingRng.normal();
    const outlier = ratingRng.next() < opts.outlierRate;
    const low = ratingRng.next() < 0.6 ? 1 : 2;
    return outlier ? low : Math.min(5, Math.max(1, Math.round(latent)));
  });

  // Missing reviews: an exact share, chosen at random.
  const nEmpty = Math.round(opts.emptyReviewRate * pairs.length);
  const empty = new Set(textRng.shuffle(pairs.map((_, k) => k)).slice(0, nEmpty));

  const reviews: SyntheticReview[] = pairs.map(({ u, i, t }, k) => {
    const rating = ratings[k];
    let title = "";
    let text = "";
    if (!empty.has(k)) {
      let composed: string | null = null;
      for (let attempt = 0; composed === null; attempt++) {
        if (attempt >= 200) {
          throw new Error(
            "generateSynthetic: cannot fit a review within minReviewWords..maxReviewWords; widen them or lower the mention counts",
          );
        }
        const taken = new Set<string>();
        const parts: ReviewParts = {
          aspectWords: textRng.shuffle([
            ...aspectWords(
              textRng,
              userAspects[u],
              userWeights[u],
              aspects,
              between(textRng, opts.userAspectMentions),
              taken,
            ),
            ...aspectWords(
              textRng,
              itemAspects[i],
              itemAspects[i].map(() => 1),
              aspects,
              between(textRng, opts.itemAspectMentions),
              taken,
            ),
          ]),
          sentiment: sentimentFor(textRng, rating, between(textRng, opts.sentimentMentions)),
          filler: sample(textRng, SYNTHETIC_FILLER_WORDS, between(textRng, opts.fillerMentions)),
        };
        composed = composeText(textRng, parts, opts.minReviewWords, opts.maxReviewWords);
      }
      text = composed;
      title = capitalize(sentimentFor(textRng, rating, 1)[0]);
    }
    return {
      rating,
      title,
      text,
      images: [],
      asin: itemIds[i],
      parent_asin: itemIds[i],
      user_id: userIds[u],
      timestamp: t,
      helpful_vote: 0,
      verified_purchase: true,
    };
  });

  const interactions: Interaction[] = reviews.map((r) => {
    const x: Interaction = { user: r.user_id, item: r.parent_asin, rating: r.rating };
    if (r.text !== "") x.review = r.text;
    x.timestamp = r.timestamp;
    return x;
  });

  const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
  const truth: SyntheticTruth = {
    generator: GENERATOR_TAG,
    seed: opts.seed,
    options: opts,
    aspects,
    aspectGroups: groups,
    userGroup: Object.fromEntries(userIds.map((id, u) => [id, userGroup[u]])),
    itemGroup: Object.fromEntries(itemIds.map((id, i) => [id, itemGroup[i]])),
    users: Object.fromEntries(userIds.map((id, u) => [id, userAspects[u]])),
    userAspectWeights: Object.fromEntries(userIds.map((id, u) => [id, userWeights[u].map(round4)])),
    items: Object.fromEntries(itemIds.map((id, i) => [id, itemAspects[i]])),
    userBias: Object.fromEntries(userIds.map((id, u) => [id, round4(userBias[u])])),
    itemBias: Object.fromEntries(itemIds.map((id, i) => [id, round4(itemBias[i])])),
    filler: [...SYNTHETIC_FILLER_WORDS],
    sentiment: {
      positive: [...SYNTHETIC_SENTIMENT_WORDS.positive],
      neutral: [...SYNTHETIC_SENTIMENT_WORDS.neutral],
      negative: [...SYNTHETIC_SENTIMENT_WORDS.negative],
    },
  };
  return { reviews, interactions, truth };
}

/** The reviews as Amazon Reviews 2023 JSON lines (one object per line, `\n`-terminated). */
export function syntheticReviewsJsonl(dataset: SyntheticDataset): string {
  return dataset.reviews.map((r) => JSON.stringify(r) + "\n").join("");
}

/** JSON indented by two spaces, except that arrays of plain values stay on one line. */
function compactJson(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    if (value.every((x) => x === null || typeof x !== "object")) {
      return "[" + value.map((x) => JSON.stringify(x)).join(", ") + "]";
    }
    const inner = indent + "  ";
    return "[\n" + value.map((x) => inner + compactJson(x, inner)).join(",\n") + "\n" + indent +
      "]";
  }
  if (value !== null && typeof value === "object") {
    const inner = indent + "  ";
    const entries = Object.entries(value).map(([k, v]) =>
      `${inner}${JSON.stringify(k)}: ${compactJson(v, inner)}`
    );
    return entries.length === 0 ? "{}" : "{\n" + entries.join(",\n") + "\n" + indent + "}";
  }
  return JSON.stringify(value);
}

/**
 * The truth as JSON (`\n`-terminated), the layout of `truth.json`: indented
 * objects, one-line word and id lists, so the file reads well in a diff.
 */
export function syntheticTruthJson(dataset: SyntheticDataset): string {
  return compactJson(dataset.truth, "") + "\n";
}
