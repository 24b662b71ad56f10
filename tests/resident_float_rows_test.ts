import {
  describesBlocks,
  moveIntoResidentRows,
  ResidentFloatBuilder,
} from "../lib/kernels/resident_float_rows.ts";
import { RESIDENT_START } from "../lib/kernels/resident_rows.ts";
import { assert, assertEquals, assertThrows } from "./support/assert.ts";

Deno.test("ResidentFloatBuilder fills shards with consecutive reviews, above the kernels' own data", () => {
  // 4 floats a row = 16 bytes; 40-byte shards: reviews 0 and 1 (16 + 16), then 2 (48, alone), then 3 and 4.
  const builder = new ResidentFloatBuilder(4, [1, 1, 3, 0, 2], { shardBytes: 40 });
  for (let r = 0; r < 5; r++) {
    builder.set(r, new Float32Array(builder.view(r).length).fill(r + 1));
  }
  const { perToken, resident } = builder.build();
  assertEquals(resident.shards.length, 3);
  assertEquals([...resident.shardOf], [0, 0, 1, 2, 2]);
  assertEquals(resident.rowAt[0] * 4, RESIDENT_START);
  assertEquals(resident.rowAt[1] * 4, RESIDENT_START + 16);
  assertEquals(resident.rowAt[2] * 4, RESIDENT_START);
  assertEquals(resident.shards[1].end, RESIDENT_START + 48);
  perToken.forEach((block, r) => {
    assert(block.every((x) => x === r + 1));
    assertEquals(block.buffer, resident.shards[resident.shardOf[r]].buffer);
  });
  // The memory itself holds the values (what the kernel reads).
  const shard0 = new Float32Array(resident.shards[0].memory.buffer, RESIDENT_START, 8);
  assertEquals([...shard0], [1, 1, 1, 1, 2, 2, 2, 2]);
  assert(describesBlocks(resident, perToken, 4));
  assertThrows(() => builder.set(0, new Float32Array(3)), RangeError, "review 0 has 1 rows of 4");
  assertThrows(() => builder.view(5), RangeError, "no review 5");
  assertThrows(() => new ResidentFloatBuilder(4, [1], { shardBytes: 0 }), RangeError, "shardBytes");
});

Deno.test("describesBlocks notices a replaced, moved or missing block", () => {
  const { perToken, resident } = new ResidentFloatBuilder(2, [2, 1]).build();
  assert(describesBlocks(resident, perToken, 2));
  assert(!describesBlocks(resident, [perToken[0], perToken[1].slice()], 2));
  assert(!describesBlocks(resident, [perToken[1], perToken[0]], 2));
  assert(!describesBlocks(resident, [perToken[0]], 2));
});

Deno.test("moveIntoResidentRows replaces each block by a view holding the same values", () => {
  const blocks = [Float32Array.of(1, 2, 3, 4), new Float32Array(0), Float32Array.of(-1, 0.5)];
  const copies = blocks.map((b) => b.slice());
  const { perToken, perTokenResident } = moveIntoResidentRows(blocks, 2);
  assertEquals(perToken, blocks); // the same array, entries replaced
  perToken.forEach((b, r) => {
    assertEquals([...b], [...copies[r]]);
    assert(b.buffer instanceof SharedArrayBuffer);
  });
  assert(describesBlocks(perTokenResident, perToken, 2));
});

Deno.test("a review larger than one WASM memory is refused before anything is allocated", () => {
  assertThrows(
    () => new ResidentFloatBuilder(1024, [1 << 20]),
    RangeError,
    "limit 4 GiB",
  );
});
