/**
 * The figures of a comparison: one critical-difference diagram per
 * significance test, each with a file-safe id, so `deno task compare` can
 * write them as SVG files and into an offline HTML page.
 *
 * @module
 */
import { cdDiagramFigure } from "../plots/cd_diagram.ts";
import type { PlotlyFigure } from "../plots/figure.ts";
import type { MetricSignificance } from "./significance_tests.ts";

/** A CD diagram of one metric's tests. */
export interface ComparisonFigure {
  /** File-safe id from the metric id: `cd-test-items-ndcg-10`, `cd-mae`. */
  id: string;
  /** Heading: the metric label. */
  title: string;
  /** The plotly figure. */
  figure: PlotlyFigure;
  /** One sentence with the Friedman result, for a caption. */
  caption: string;
}

/** `"test-items:ndcg@10"` → `"cd-test-items-ndcg-10"`. */
export function figureId(metric: string): string {
  const slug = metric.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return `cd-${slug}`;
}

/**
 * One CD diagram per test in `tests` (Demšar's figure: average ranks, the
 * Nemenyi critical difference, groups not significantly different).
 */
export function cdDiagramFigures(tests: readonly MetricSignificance[]): ComparisonFigure[] {
  return tests.map((t) => {
    const { nemenyi, friedman } = t;
    const verdict = friedman.rejected ? "reject" : "do not reject";
    return {
      id: figureId(t.metric),
      title: t.label,
      figure: cdDiagramFigure(
        {
          models: nemenyi.models,
          averageRanks: nemenyi.averageRanks,
          criticalDifference: nemenyi.criticalDifference,
          groups: nemenyi.groups,
          alpha: nemenyi.alpha,
        },
        { title: `${t.label}: critical difference ${nemenyi.criticalDifference.toFixed(3)}` },
      ),
      caption: `${t.models.length} models on ${t.datasets.length} datasets; Iman–Davenport F = ` +
        `${friedman.imanDavenport.toFixed(3)} (p ${
          friedman.imanDavenportPValue.toExponential(2)
        }): ` +
        `${verdict} equal performance at α = ${nemenyi.alpha}.`,
    };
  });
}
