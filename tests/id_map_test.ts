import { IdMap, resolveUser } from "../lib/data/id_map.ts";
import { assertEquals, assertThrows } from "./support/assert.ts";

Deno.test("IdMap.resolve takes an index or an id, and names what is wrong", () => {
  const users = IdMap.from(["alice", "bob", "7"]);
  assertEquals(users.resolve(1, "user"), 1);
  assertEquals(users.resolve("bob", "user"), 1);
  // A numeric-looking id is an id when passed as a string.
  assertEquals(users.resolve("7", "user"), 2);
  assertThrows(() => users.resolve("carol", "user"), RangeError, 'unknown user id "carol"');
  assertThrows(() => users.resolve(3, "user"), RangeError, "user index 3 out of range [0, 3)");
  assertThrows(() => users.resolve(1.5, "item"), RangeError, "item index 1.5");
});

Deno.test("resolveUser: a model without user ids takes indices and refuses ids", () => {
  assertEquals(resolveUser("M", IdMap.from(["a", "b"]), "b"), 1);
  assertEquals(resolveUser("M", undefined, 4), 4);
  assertThrows(
    () => resolveUser("M", undefined, "a"),
    RangeError,
    "M: this model was saved without user ids",
  );
});
