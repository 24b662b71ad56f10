/**
 * The ablation study as tables: per dataset and variant, one row per setting
 * with mean ± sd over seeds of validation RMSE (what choices are made on),
 * test RMSE and MAE, the training MSE of the kept epoch, and the change of
 * validation RMSE against the defaults.
 *
 * @module
 */
import { type AblationRun, ablationSettings } from "./run_ablation.ts";

function meanSd(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length > 1
    ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1))
    : 0;
  return { mean, sd };
}

const cell = (v: { mean: number; sd: number }) => `${v.mean.toFixed(4)} ± ${v.sd.toFixed(4)}`;

/** One summary row. */
export interface AblationRow {
  /** Dataset name. */
  dataset: string;
  /** `"drex"` or `"drex-mlp"`. */
  variant: string;
  /** Setting id. */
  setting: string;
  /** Seeds averaged. */
  runs: number;
  /** Validation RMSE. */
  validationRmse: { mean: number; sd: number };
  /** Test RMSE. */
  testRmse: { mean: number; sd: number };
  /** Test MAE. */
  testMae: { mean: number; sd: number };
  /** Training MSE at the kept epoch. */
  trainMse: { mean: number; sd: number };
  /** Mean kept epoch. */
  bestEpoch: number;
}

/** Aggregates runs over seeds, keeping the order the runs came in. */
export function ablationRows(runs: readonly AblationRun[]): AblationRow[] {
  const groups = new Map<string, AblationRun[]>();
  for (const r of runs) {
    const key = JSON.stringify([r.dataset, r.variant, r.setting]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((g) => ({
    dataset: g[0].dataset,
    variant: g[0].variant,
    setting: g[0].setting,
    runs: g.length,
    validationRmse: meanSd(g.map((r) => r.validationRmse)),
    testRmse: meanSd(g.map((r) => r.testRmse)),
    testMae: meanSd(g.map((r) => r.testMae)),
    trainMse: meanSd(g.map((r) => r.trainMse)),
    bestEpoch: g.reduce((a, r) => a + r.bestEpoch, 0) / g.length,
  }));
}

/** Markdown: one table per dataset and variant. */
export function ablationMarkdown(runs: readonly AblationRun[]): string {
  const rows = ablationRows(runs);
  const labels = new Map(ablationSettings().map((s) => [s.id, s.label]));
  const out: string[] = [];
  const blocks = [...new Set(rows.map((r) => JSON.stringify([r.dataset, r.variant])))];
  for (const block of blocks) {
    const [dataset, variant] = JSON.parse(block) as [string, string];
    const part = rows.filter((r) => r.dataset === dataset && r.variant === variant);
    const base = part.find((r) => r.setting === "default");
    out.push(
      `### ${dataset} · ${variant === "drex" ? "DReX" : "DReX-MLP"}`,
      "",
      "| setting | validation RMSE | Δ validation vs defaults | test RMSE | test MAE | train MSE (kept epoch) | kept epoch | seeds |",
      "|---|---|---|---|---|---|---|---|",
    );
    for (const r of part) {
      const delta = base ? r.validationRmse.mean - base.validationRmse.mean : NaN;
      out.push(
        `| ${labels.get(r.setting) ?? r.setting} | ${cell(r.validationRmse)} | ` +
          `${r.setting === "default" ? "—" : (delta >= 0 ? "+" : "") + delta.toFixed(4)} | ` +
          `${cell(r.testRmse)} | ${cell(r.testMae)} | ${cell(r.trainMse)} | ` +
          `${r.bestEpoch.toFixed(1)} | ${r.runs} |`,
      );
    }
    out.push("");
  }
  return out.join("\n");
}
