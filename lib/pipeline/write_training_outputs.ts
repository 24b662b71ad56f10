/**
 * Writes a training run to a directory: summary, configuration, data
 * statistics, metrics (JSON and CSV), learning curves, keyword profiles,
 * explanations, the saved DReX model, and optionally the HTML report. The
 * directory is replaced as a unit, so a failed run never damages the outputs
 * of an earlier one.
 *
 * @module
 */
import { join } from "node:path";
import { toCsv } from "../io/csv_text.ts";
import { replaceDir } from "../io/replace_dir.ts";
import type { DrexModel } from "../drex/drex_model.ts";
import { evaluationRows } from "../metrics/evaluate.ts";
import type { TrainingRun } from "./run_training.ts";
import { summaryTable } from "./summary_table.ts";

/** The summary Markdown of a run: data line, then the metrics table. */
export function runSummary(run: TrainingRun): string {
  const s = run.prepared.split;
  return [
    `# ${run.drexName} on ${run.config.data.path}`,
    "",
    `${s.users.size} users, ${s.items.size} items; train ${s.train.length}, validation ${s.validation.length}, ` +
    `test ${s.test.length}. Features: ${run.features.encoder} (D = ${run.features.dim}).`,
    "",
    summaryTable(run.models),
    "",
  ].join("\n");
}

/**
 * Writes `run` into `dir` (see the module doc); `reportHtml`, when given,
 * becomes `report.html`. `options.force` replaces `dir` whatever it holds
 * (the CLI's `--force`). Returns the file names.
 */
export async function writeTrainingOutputs(
  dir: string,
  run: TrainingRun,
  reportHtml?: string,
  options: { force?: boolean } = {},
): Promise<string[]> {
  const files: string[] = [];
  await replaceDir(
    dir,
    async (tmp) => {
      const put = async (name: string, text: string) => {
        await Deno.writeTextFile(join(tmp, name), text);
        files.push(name);
      };
      const json = (v: unknown) => JSON.stringify(v, null, 2) + "\n";
      const s = run.prepared.split;
      await put("summary.md", runSummary(run));
      // What was asked for, and every hyperparameter the model actually ran with.
      const trained = run.models[run.drexName]?.model as { getConfig?: () => unknown } | undefined;
      await put(
        "config.json",
        json({ ...run.config, resolved: trained?.getConfig?.(), deno: Deno.version.deno }),
      );
      await put(
        "data.json",
        json({ read: run.read, reports: run.prepared.reports, stats: run.prepared.stats }),
      );
      await put(
        "metrics.json",
        json(Object.fromEntries(Object.entries(run.models).map(([n, m]) => [n, m.metrics]))),
      );
      await put(
        "metrics.csv",
        toCsv(
          Object.entries(run.models).flatMap(([model, m]) =>
            evaluationRows(m.metrics).map((r) => ({ model, ...r }))
          ),
        ),
      );
      await put(
        "history.json",
        json(Object.fromEntries(Object.entries(run.models).map(([n, m]) => [n, m.report.history]))),
      );
      await put(
        "history.csv",
        toCsv(
          Object.entries(run.models).flatMap(([model, m]) =>
            m.report.history.map((h) => ({ model, ...h }))
          ),
        ),
      );
      const drex = run.models[run.drexName].model as DrexModel;
      const profiles = {
        users: Object.fromEntries(drex.profiles.users.map((p, u) => [s.users.id(u), p])),
        items: Object.fromEntries(drex.profiles.items.map((p, i) => [s.items.id(i), p])),
      };
      await put("profiles.json", json(profiles));
      await put("explanations.json", json(run.explanations));
      // `k` and `metrics` first: the headline numbers; every size measured follows.
      if (run.explanationQuality) {
        await put("explanation_quality.json", json(run.explanationQuality));
      }
      if (reportHtml !== undefined) await put("report.html", reportHtml);
      await drex.save(join(tmp, "model"));
      files.push("model/");
    },
    "folder",
    { kind: "train", force: options.force },
  );
  return files;
}
