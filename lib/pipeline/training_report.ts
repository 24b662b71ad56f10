/**
 * The HTML report of a training run.
 *
 * @module
 */
import type { TrainingRun } from "./run_training.ts";
import { runSummary } from "./write_training_outputs.ts";

/** Renders `run` as a standalone HTML page. */
export function renderTrainingReport(run: TrainingRun): Promise<string> {
  const escape = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;");
  return Promise.resolve(
    `<!doctype html><meta charset="utf-8"><pre>${escape(runSummary(run))}</pre>`,
  );
}
