import { loadInteractions } from "../lib/data/read_interactions.ts";
import {
  PREPROCESS_VERSION,
  Preprocessor,
  resolvePreprocessOptions,
} from "../lib/text/preprocess.ts";
import { assert, assertEquals, assertThrows } from "./support/assert.ts";
import { hasShared, sharedPath } from "./support/shared.ts";

const pre = new Preprocessor();

Deno.test("preprocess drops stopwords, punctuation, numbers, symbols, urls and lemmatizes", () => {
  const out = pre.process(
    "The kids were PLAYING games!! I loved it :) 10/10, it costs $20 at http://x.com " +
      "(mail a@b.com) #great @bob 3pm 1st 42.",
  );
  assertEquals(out, ["kid", "play", "game", "love", "cost", "mail"]);
});

Deno.test("preprocess lemmatizes irregular forms and keeps clean lowercase words only", () => {
  assertEquals(pre.process("Running ran runs geese mice studies studied"), [
    "run",
    "run",
    "run",
    "goose",
    "mouse",
    "study",
    "study",
  ]);
  const out = pre.process(
    "Children's toys: E-mail, covid-19, 3 D, naïve café… <br />&#34;Wow&#34;",
  );
  assertEquals(out, ["child", "toy", "e-mail", "naïve", "café", "wow"]);
  // "<" and ">" that do not open an HTML tag keep the words between them.
  assertEquals(pre.process("price < 10 and quality > 5 <b>bold</b>"), ["price", "quality", "bold"]);
  for (const lemma of out) assert(/^\p{Ll}+(?:[-'’]\p{Ll}+)*$/u.test(lemma), lemma);
});

Deno.test("preprocess caps each review at maxWords, keeping the first words", () => {
  const text = Array.from({ length: 50 }, (_, i) => (i % 2 ? "shampoo" : "conditioner")).join(" ");
  const capped = new Preprocessor({ maxWords: 5 }).process(text);
  assertEquals(capped, ["conditioner", "shampoo", "conditioner", "shampoo", "conditioner"]);
  assertEquals(pre.process(text).length, 50);
});

Deno.test("preprocess reads long reviews in prefixes with the same result as the whole text", () => {
  const sentence = "The lovely shampoo cleaned my curly hair and the conditioner smelled great. ";
  const long = sentence.repeat(400); // ~30k characters, 2,800 kept words
  const fast = new Preprocessor({ maxWords: 64 }).process(long);
  const whole = new Preprocessor({ maxWords: 100_000 }).process(long).slice(0, 64);
  assertEquals(fast.length, 64);
  assertEquals(fast, whole);
});

Deno.test("preprocess gives an empty list for missing or blank text and rejects non-strings", () => {
  assertEquals(pre.process(undefined), []);
  assertEquals(pre.process(null), []);
  assertEquals(pre.process("   "), []);
  assertEquals(pre.process("... 123 !!!"), []);
  assertThrows(() => pre.process(42 as unknown as string), TypeError, "string");
});

Deno.test("preprocess extraStopwords and minLength remove more words", () => {
  const p = new Preprocessor({ extraStopwords: ["Product"], minLength: 4 });
  assertEquals(p.process("This product is great for dry hair"), ["great", "hair"]);
  assertEquals(pre.process("This product is great for dry hair"), [
    "product",
    "great",
    "dry",
    "hair",
  ]);
});

Deno.test("processAll keeps input order and reports progress", () => {
  const seen: [number, number][] = [];
  const out = pre.processAll(["Great hair", undefined, "Bad smell"], {
    onProgress: (d, t) => seen.push([d, t]),
    progressEvery: 2,
  });
  assertEquals(out, [["great", "hair"], [], ["bad", "smell"]]);
  assertEquals(seen, [[2, 3], [3, 3]]);
});

Deno.test("resolvePreprocessOptions fills defaults and rejects bad values", () => {
  assertEquals(resolvePreprocessOptions(), {
    maxWords: 64,
    minLength: 2,
    extraStopwords: [],
    version: PREPROCESS_VERSION,
  });
  assertEquals(resolvePreprocessOptions({ extraStopwords: ["b", "A", "a"] }).extraStopwords, [
    "a",
    "b",
  ]);
  assertThrows(() => resolvePreprocessOptions({ maxWords: 0 }), RangeError, "maxWords");
  assertThrows(() => resolvePreprocessOptions({ maxWords: 1.5 }), RangeError, "maxWords");
  assertThrows(() => resolvePreprocessOptions({ minLength: -1 }), RangeError, "minLength");
  assertThrows(
    () => resolvePreprocessOptions({ extraStopwords: [1] as unknown as string[] }),
    TypeError,
    "extraStopwords",
  );
});

const BEAUTY = "amazon2018_All_Beauty_5.jsonl.gz";
const realTest = "preprocess prefix reading matches whole-text processing on real long reviews";
Deno.test({
  name: realTest,
  ignore: !hasShared(realTest, "data", BEAUTY),
  async fn() {
    const stream = (await Deno.open(sharedPath("data", BEAUTY))).readable
      .pipeThrough(new DecompressionStream("gzip"));
    const lines = (await new Response(stream).text()).split("\n");
    const long = new Set<string>();
    for (const line of lines) {
      if (line.trim() === "") continue;
      const text = JSON.parse(line).reviewText;
      if (typeof text === "string" && text.length > 1600) long.add(text);
    }
    assert(long.size >= 20, `only ${long.size} long reviews`);
    const fast = new Preprocessor({ maxWords: 64 });
    const whole = new Preprocessor({ maxWords: 1_000_000 });
    for (const text of long) assertEquals(fast.process(text), whole.process(text).slice(0, 64));
  },
});

Deno.test("a word wink has no lemma for keeps its normal form instead of failing", () => {
  // Found in AMAZON_FASHION: wink-eng-lite-web-model gives no lemma for "didnt".
  const p = new Preprocessor();
  assertEquals(p.process("Thought they might stretch out but they didnt."), [
    "think",
    "stretch",
    "didnt",
  ]);
});

for (const file of ["amazon2018_All_Beauty_5.jsonl.gz", "amazon2018_AMAZON_FASHION_5.jsonl.gz"]) {
  Deno.test({
    name: `every review of ${file} preprocesses into clean lemmas`,
    ignore: !hasShared(`preprocess ${file}`, "data", file),
    fn: async () => {
      const { interactions } = await loadInteractions(sharedPath("data", file));
      const p = new Preprocessor();
      let words = 0;
      for (const it of interactions) {
        for (const lemma of p.process(it.review)) {
          assert(/^[a-z]+(?:['-][a-z]+)*$/.test(lemma), `unclean lemma "${lemma}"`);
          words++;
        }
      }
      assert(
        words > 10 * interactions.length,
        `only ${words} lemmas in ${interactions.length} reviews`,
      );
    },
  });
}
