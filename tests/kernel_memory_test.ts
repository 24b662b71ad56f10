import { KernelMemory } from "../lib/kernels/kernel_memory.ts";
import { RESIDENT_START } from "../lib/kernels/resident_rows.ts";
import { attentionPoolWasmBase64 } from "../lib/kernels/attention_pool_wasm.ts";
import { assertEquals } from "./support/assert.ts";

Deno.test("two kernels on one resident memory: each sees the memory the other grew", () => {
  const memory = new WebAssembly.Memory({ initial: 17, maximum: 65536, shared: true });
  const resident = { memory, end: RESIDENT_START + 64 };
  const a = new KernelMemory("attention_pool", attentionPoolWasmBase64, 0, resident);
  const b = new KernelMemory("attention_pool", attentionPoolWasmBase64, 0, resident);
  const values = Float32Array.of(1, 2, 3);
  b.reset();
  b.alloc(1 << 20); // grows the memory by 4 MiB: a's views are now too short
  a.reset();
  const at = a.alloc(1 << 20) + (1 << 20) - 64; // near the end of what b grew
  const at2 = a.alloc(4);
  a.write(at, values);
  a.write(at2, values);
  assertEquals([...a.viewF32(at, 3)], [1, 2, 3]);
  assertEquals([...new Float32Array(memory.buffer, at2, 3)], [1, 2, 3]);
});
