/**
 * A comparison as text: Markdown tables like the paper's Tables 1, 4 and 5
 * (datasets; mean ± spread (rank) per metric; Friedman and Nemenyi), and CSV
 * in long form for other tools.
 *
 * @module
 */
import type { AggregateTable, CellSummary } from "./aggregate_runs.ts";
import type { MetricSpec } from "./comparison_metrics.ts";
import type { ComparisonResult, RunRecord } from "./run_comparison.ts";
import { toCsv } from "../io/csv_text.ts";
import type { MetricSignificance } from "./significance_tests.ts";

function cell(c: CellSummary | undefined, digits: number): string {
  if (!c || Number.isNaN(c.mean)) return "—";
  const spread = c.runs > 1 ? ` ± ${c.sd.toFixed(digits)}` : "";
  return `${c.mean.toFixed(digits)}${spread} (${
    Number.isInteger(c.rank) ? c.rank : c.rank.toFixed(1)
  })`;
}

/** One Markdown table: a row per (dataset, model), a column per metric id. */
export function metricTable(
  table: AggregateTable,
  metrics: readonly MetricSpec[],
  ids: readonly string[],
): string {
  const chosen = ids.map((id) => {
    const spec = metrics.find((m) => m.id === id);
    if (!spec) throw new RangeError(`metricTable: unknown metric "${id}"`);
    return spec;
  });
  const head = `| dataset | model | ${
    chosen.map((m) => `${m.label} ${m.higherIsBetter ? "↑" : "↓"}`).join(" | ")
  } |`;
  const rule = `|---|---|${chosen.map(() => "---").join("|")}|`;
  const rows: string[] = [];
  for (const [dataset, models] of Object.entries(table)) {
    for (const [model, cells] of Object.entries(models)) {
      rows.push(
        `| ${dataset} | ${model} | ${chosen.map((m) => cell(cells[m.id], 4)).join(" | ")} |`,
      );
    }
  }
  return [head, rule, ...rows].join("\n");
}

/** The datasets table: sizes after preparation and how they were prepared. */
export function datasetTable(result: ComparisonResult): string {
  const rows = result.datasets.map((d) => {
    const f = d.reports.filter;
    const filter = `users ≥ ${f.minUserRatings}, items ≥ ${f.minItemRatings}${
      f.kCore ? ", k-core" : ""
    }`;
    const dedupe = d.reports.dedupe.sameTextDropped > 0
      ? `; ${d.reports.dedupe.sameTextDropped} copied reviews collapsed`
      : "";
    const n = d.interactions.train + d.interactions.validation + d.interactions.test;
    const sparsity = 100 * (1 - n / (d.users * d.items));
    return `| ${d.name} | ${d.users} | ${d.items} | ${n} | ${sparsity.toFixed(2)} | ` +
      `${d.interactions.train} / ${d.interactions.validation} / ${d.interactions.test} | ${filter}${dedupe} |`;
  });
  return [
    "| dataset | users | items | interactions | sparsity % | train / validation / test | filters |",
    "|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** The significance table (one row per metric): Friedman, Iman–Davenport, Nemenyi CD. */
export function significanceTable(tests: readonly MetricSignificance[]): string {
  const rows = tests.map((t) => {
    const f = t.friedman;
    const n = t.nemenyi;
    return `| ${t.label} | ${n.k} | ${n.blocks} | ${f.chiSquare.toFixed(3)} (p ${
      f.chiSquarePValue.toExponential(2)
    }) | ` +
      `${Number.isFinite(f.imanDavenport) ? f.imanDavenport.toFixed(3) : "∞"} (p ${
        f.imanDavenportPValue.toExponential(2)
      }) | ` +
      `${f.imanDavenportCritical.toFixed(4)} | ${f.rejected ? "yes" : "no"} | ${
        n.criticalValue.toFixed(3)
      } | ` +
      `${n.criticalDifference.toFixed(3)} | ${
        n.models.map((m, j) => `${m} ${n.averageRanks[j].toFixed(2)}`).join(", ")
      } |`;
  });
  return [
    "| metric | k | N | Friedman χ² | Iman–Davenport F | F critical | reject | q_α | CD | average ranks |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** Every run's every metric, one CSV row each: dataset, model, seed, metric, value. */
export function runsCsv(runs: readonly RunRecord[], metrics: readonly MetricSpec[]): string {
  return toCsv(runs.flatMap((r) =>
    metrics.map((m) => ({
      dataset: r.dataset,
      model: r.model,
      seed: r.seed,
      metric: m.id,
      value: m.value(r.metrics),
    }))
  ));
}

/** The aggregate table as CSV: dataset, model, metric, mean, sd, runs, rank. */
export function aggregateCsv(table: AggregateTable): string {
  return toCsv(
    Object.entries(table).flatMap(([dataset, models]) =>
      Object.entries(models).flatMap(([model, cells]) =>
        Object.entries(cells).map(([metric, c]) => ({
          dataset,
          model,
          metric,
          mean: c.mean,
          sd: c.sd,
          runs: c.runs,
          rank: c.rank,
        }))
      )
    ),
  );
}
