import { ProgressBar, renderProgressLine, type TerminalStream } from "../lib/util/progress_bar.ts";
import { assert, assertEquals, assertStringIncludes } from "./support/assert.ts";

/** A stream that records what is written, terminal or not. */
function recorder(terminal: boolean): TerminalStream & { text(): string } {
  const chunks: Uint8Array[] = [];
  return {
    writeSync: (p) => (chunks.push(p.slice()), p.length),
    isTerminal: () => terminal,
    text: () => chunks.map((c) => new TextDecoder().decode(c)).join(""),
  };
}

Deno.test("off a terminal, progress is one plain line per update, without control codes", () => {
  const log = recorder(false);
  const bar = new ProgressBar("DReX", log);
  for (let epoch = 1; epoch <= 3; epoch++) {
    bar.update({ done: epoch, total: 100, fields: { loss: 1 / epoch, "val RMSE": 0.9 } });
  }
  bar.finish();
  const lines = log.text().split("\n").filter((l) => l !== "");
  assertEquals(lines.length, 3);
  assertStringIncludes(lines[2], "DReX 3/100  loss 0.3333  val RMSE 0.9000  elapsed ");
  assert(!log.text().includes("\x1b") && !log.text().includes("\r"));
});

Deno.test("off a terminal, plainEvery thins fine-grained updates but keeps the last", () => {
  const log = recorder(false);
  const bar = new ProgressBar("features: encode", log, { plainEvery: 3600 });
  for (let k = 1; k <= 50; k++) bar.update({ done: k, total: 50 });
  const lines = log.text().split("\n").filter((l) => l !== "");
  assertEquals(lines.length, 2);
  assertStringIncludes(lines[0], "1/50");
  assertStringIncludes(lines[1], "50/50");
});

Deno.test("on a terminal, the bar redraws one line in place and ends it", () => {
  const tty = recorder(true);
  const bar = new ProgressBar("DReX", tty);
  bar.update({ done: 1, total: 4 });
  bar.update({ done: 2, total: 4 });
  bar.finish();
  const text = tty.text();
  assertEquals(text.split("\r\x1b[2K").length - 1, 2);
  assertEquals(text.split("\n").length - 1, 1);
  assertStringIncludes(renderProgressLine({ done: 0, total: 4 }, 0), "0/4  elapsed 0s  ETA ?");
});
