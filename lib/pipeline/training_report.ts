/**
 * The HTML report of a training run: metrics table, learning curves,
 * metric-at-k curves, keyword-overlap explanations and dataset figures, in
 * one file that opens offline (plotly.js embedded).
 *
 * @module
 */
import type { ExplanationQuality } from "../explain/explanation_quality.ts";
import { explanationQualityFigure } from "../plots/explanation_quality.ts";
import {
  interactionsPerEntityFigure,
  ratingHistogramFigure,
  splitCountsFigure,
} from "../plots/dataset_stats.ts";
import { renderHtmlReport } from "../report/html_report.ts";
import { loadPlotlySource } from "../report/plotly_source.ts";
import type { TrainingRun } from "./run_training.ts";

/** Renders `run` as a standalone HTML page. */
export async function renderTrainingReport(run: TrainingRun): Promise<string> {
  const split = run.prepared.split;
  const all = [...split.train, ...split.validation, ...split.test];
  const report = renderHtmlReport({
    title: `${run.drexName} on ${run.config.data.path}`,
    description:
      `${split.users.size} users, ${split.items.size} items; train ${split.train.length}, ` +
      `validation ${split.validation.length}, test ${split.test.length}. Features: ${run.features.encoder} ` +
      `(D = ${run.features.dim}).`,
    histories: Object.fromEntries(
      Object.entries(run.models).filter(([, m]) => m.report.history.length > 0).map((
        [n, m],
      ) => [n, m.report]),
    ),
    evaluations: Object.fromEntries(Object.entries(run.models).map(([n, m]) => [n, m.metrics])),
    explanations: run.explanations.map((e) => ({
      user: e.userId,
      model: run.drexName,
      userKeywords: e.userProfile,
      items: e.recommendations.map((r) => ({
        item: r.itemId,
        score: r.score,
        keywords: r.itemProfile,
      })),
    })),
    figures: [
      { id: "ratings", figure: ratingHistogramFigure(run.prepared.stats.filtered) },
      { id: "split", figure: splitCountsFigure(run.prepared.stats.parts) },
      { id: "activity", figure: interactionsPerEntityFigure(all) },
      ...(run.explanationQuality
        ? [{
          id: "explanation-quality",
          figure: explanationQualityFigure(run.explanationQuality),
          caption: explanationQualityCaption(run.explanationQuality),
        }]
        : []),
    ],
  }, await loadPlotlySource());
  return report.html;
}

/** What the explanation-quality figure shows, in words. */
function explanationQualityCaption(q: ExplanationQuality): string {
  return `DReX's explanations (attention) against word frequency, TF-IDF and random words, ` +
    `${q.k} words each. Faithfulness: mean change of the predicted rating when the words are ` +
    `removed from the user's and the item's training reviews (${q.pairs.faithfulness} test ` +
    `pairs). ` +
    (q.metrics.plausibility
      ? `Plausibility: share of words in a planted aspect both the user and the item have ` +
        `(${q.pairs.plausibility} pairs; dashed: chance). `
      : "") +
    `Held-out agreement: share of the test review's lemmas the explanation names ` +
    `(${q.pairs.heldout} reviews, never read by the model).`;
}
