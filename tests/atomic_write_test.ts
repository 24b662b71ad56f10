import { join } from "node:path";
import { atomicTempPath, writeFileAtomic } from "../lib/io/atomic_write.ts";
import { assert, assertEquals, assertNotEquals, assertRejects } from "./support/assert.ts";

async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

async function* chunks(...parts: number[][]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new Uint8Array(part);
}

async function* failing(): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode("new, half written");
  throw new Error("disk on fire");
}

Deno.test("writeFileAtomic writes text, bytes and chunk streams, creating folders", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = join(dir, "sub", "deeper", "a.txt");
    await writeFileAtomic(a, "héllo");
    assertEquals(await Deno.readTextFile(a), "héllo");
    const b = join(dir, "b.bin");
    await writeFileAtomic(b, new Uint8Array([1, 2, 3]));
    assertEquals([...await Deno.readFile(b)], [1, 2, 3]);
    await writeFileAtomic(b, chunks([4], [5, 6]));
    assertEquals([...await Deno.readFile(b)], [4, 5, 6]);
    await writeFileAtomic(b, [new Uint8Array([7]), new Uint8Array([8])]);
    assertEquals([...await Deno.readFile(b)], [7, 8]);
    assertEquals(await listDir(dir), ["b.bin", "sub"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic leaves the old file and no temporary file when writing fails", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "data.json");
    await writeFileAtomic(path, "old");
    await assertRejects(() => writeFileAtomic(path, failing()), Error, "disk on fire");
    assertEquals(await Deno.readTextFile(path), "old");
    assertEquals(await listDir(dir), ["data.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("atomicTempPath is a distinct hidden .tmp file in the same folder", () => {
  const p1 = atomicTempPath("/x/y/out.bin");
  const p2 = atomicTempPath("/x/y/out.bin");
  assert(p1.startsWith("/x/y/.out.bin."), p1);
  assert(p1.endsWith(".tmp"), p1);
  assertNotEquals(p1, p2);
});

Deno.test("writeFileAtomic rejects an empty path", async () => {
  await assertRejects(() => writeFileAtomic("", "x"), TypeError, "path");
});
