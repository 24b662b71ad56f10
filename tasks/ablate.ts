/**
 * `deno task ablate`: the ablation study behind DReX's defaults (see
 * `lib/compare/run_ablation.ts`). Writes `ablation.md`, `ablation.csv` and
 * `ablation.json` into `--out`, creating it; other files there are left alone.
 * `--help` lists the options.
 *
 * @module
 */
import { OUTPUT_MARKER, outputMarkerText } from "../lib/io/output_dir.ts";
import { join } from "node:path";
import { ablationMarkdown } from "../lib/compare/format_ablation.ts";
import { ABLATION_SETTINGS, ablationSettings, runAblation } from "../lib/compare/run_ablation.ts";
import { writeFileAtomic } from "../lib/io/atomic_write.ts";
import { toCsv } from "../lib/io/csv_text.ts";
import {
  intFlag,
  listFlag,
  numberListFlag,
  outputDirFlag,
  parseFlags,
  presetByName,
  presetHelp,
  runCli,
  taskPresets,
  UsageError,
} from "./cli_support.ts";

const PRESETS = taskPresets();

const HELP = `deno task ablate [options]

Trains DReX / DReX-MLP with the paper preset, the library defaults, and the
defaults with one choice changed, several seeds each, on each dataset's fixed
split; reports validation RMSE (what the defaults were chosen on) and test
RMSE / MAE as mean ± sd. Writes ablation.md, ablation.csv, ablation.json.

  --datasets LIST   presets (below)   [fixture]
  --variants LIST   drex, drex-mlp   [drex,drex-mlp]
  --settings LIST   rows to run   [all]
${ABLATION_SETTINGS.map((s) => `                      ${s.id.padEnd(20)} ${s.label}`).join("\n")}
  --seeds LIST      [1,2,3]
  --max-epochs N    epoch limit (for quick runs)
  --out DIR         output folder (created; only the three files are replaced)   [out/ablation];
                    refused when it holds files DReX did not write or another task's output
  --force           write into --out whatever it holds (never the current folder or one above it)
  -h, --help

Presets
${presetHelp(PRESETS)}
`;

if (import.meta.main) {
  await runCli(async () => {
    const v = parseFlags(Deno.args, {
      help: { type: "boolean", short: "h" },
      datasets: { type: "string" },
      variants: { type: "string" },
      settings: { type: "string" },
      seeds: { type: "string" },
      "max-epochs": { type: "string" },
      out: { type: "string" },
      force: { type: "boolean" },
    });
    if (v.help) {
      console.log(HELP);
      return;
    }
    const datasets = (listFlag(v.datasets) ?? ["fixture"]).map((n) => presetByName(PRESETS, n));
    const variants = listFlag(v.variants) ?? ["drex", "drex-mlp"];
    for (const x of variants) {
      if (x !== "drex" && x !== "drex-mlp") {
        throw new UsageError(`--variants: expected drex or drex-mlp, got "${x}"`);
      }
    }
    const settings = listFlag(v.settings);
    try {
      ablationSettings(settings);
    } catch (err) {
      throw new UsageError(`--settings: ${(err as Error).message}`);
    }
    const seeds = numberListFlag("seeds", v.seeds) ?? [1, 2, 3];
    const maxEpochs = intFlag("max-epochs", v["max-epochs"]);
    if (maxEpochs !== undefined && maxEpochs < 1) {
      throw new UsageError(`--max-epochs must be at least 1, got ${maxEpochs}`);
    }
    const out = await outputDirFlag(v.out, "out/ablation", "ablate", v.force === true);
    await Deno.mkdir(out, { recursive: true });
    await Deno.writeTextFile(join(out, OUTPUT_MARKER), outputMarkerText("ablate"));
    const command = `deno task ablate ${Deno.args.join(" ")}`.trim();
    const runs = await runAblation({
      datasets,
      variants: variants as ("drex" | "drex-mlp")[],
      settings,
      seeds,
      options: maxEpochs ? { maxEpochs } : {},
    }, { log: (m) => console.log(`[ablate] ${m}`) });
    const md = `# DReX ablation\n\nCommand: \`${command}\`\n\n${ablationMarkdown(runs)}`;
    await writeFileAtomic(join(out, "ablation.md"), md);
    await writeFileAtomic(join(out, "ablation.csv"), toCsv(runs as never));
    await writeFileAtomic(join(out, "ablation.json"), JSON.stringify({ command, runs }, null, 2));
    console.log(`wrote ${join(out, "ablation.md")}`);
  });
}
