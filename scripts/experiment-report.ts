/**
 * The CLI's comparison outputs for several experiment results on one benchmark: a
 * Table-1-style text table (ACC, CAP, BWT as mean ± std over seeds) and an HTML report with
 * accuracy-per-task lines, one accuracy-matrix heatmap per method and a CAP-vs-ACC scatter.
 */
import * as aq from 'arquero';
import type { ExperimentResult } from '../src/experiment/experiment-result';
import { finalAccuracies } from '../src/metrics/average-accuracy';
import { formatTextTable } from '../src/metrics/text-table';
import type { Report, ReportSection } from '../src/viz/render-report';
import { accuracyHeatmapFigure } from '../src/viz/accuracy-heatmap-figure';
import { accuracyLinesFigure } from '../src/viz/accuracy-lines-figure';
import type { PlotlyFigure } from '../src/viz/plotly-figure';

function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { mean, std: values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : NaN };
}

function cell(values: readonly number[], digits = 2): string {
  if (values.length === 0) return '–';
  const { mean, std } = meanStd(values);
  return Number.isNaN(std) ? mean.toFixed(digits) : `${mean.toFixed(digits)} ± ${std.toFixed(digits)}`;
}

/** Mean over seeds of equally shaped accuracy matrices. */
function meanMatrix(result: ExperimentResult): number[][] {
  const first = result.seeds[0].accuracyMatrix;
  return first.map((row, i) => row.map((_, j) => meanStd(result.seeds.map((s) => s.accuracyMatrix[i][j])).mean));
}

/** One row per method: ACC (%), CAP (%, measured; paper α for WSN), BWT (points), wall time per task (s). */
export function comparisonRows(results: readonly ExperimentResult[]): string[][] {
  return results.map((r) => {
    const seeds = r.seeds;
    const paper = seeds.map((s) => s.capacity.capPaperPercent).filter((v): v is number => v !== undefined);
    const perTask = seeds.flatMap((s) => s.taskSeconds);
    return [
      r.label,
      cell(seeds.map((s) => s.acc)),
      cell(seeds.map((s) => s.capacity.capPercent)),
      paper.length === seeds.length ? cell(paper) : '–',
      cell(seeds.flatMap((s) => (s.bwt === null ? [] : [s.bwt]))),
      cell(perTask, 1),
    ];
  });
}

const HEADER = ['method', 'ACC (%)', 'CAP (%)', 'CAP α=0.78 (%)', 'BWT (pts)', 's / task'];

/** The Table-1-style comparison as aligned text. */
export function comparisonText(results: readonly ExperimentResult[]): string {
  return formatTextTable(HEADER, comparisonRows(results), { align: ['l', 'r', 'r', 'r', 'r', 'r'] });
}

/** CAP (x) against ACC (y), one marker per method with ± std error bars. */
function capAccuracyFigure(results: readonly ExperimentResult[]): PlotlyFigure {
  return {
    data: results.map((r) => {
      const acc = meanStd(r.seeds.map((s) => s.acc));
      const cap = meanStd(r.seeds.map((s) => s.capacity.capPercent));
      return {
        type: 'scatter', mode: 'markers+text', name: r.label, text: [r.label], textposition: 'top center',
        x: [cap.mean], y: [acc.mean],
        error_y: { type: 'data', array: [Number.isNaN(acc.std) ? 0 : acc.std], visible: true },
        error_x: { type: 'data', array: [Number.isNaN(cap.std) ? 0 : cap.std], visible: true },
        marker: { size: 10 },
      };
    }),
    layout: {
      title: { text: 'ACC against CAP (memory in % of one dense network)' },
      height: 420,
      xaxis: { title: { text: 'CAP (%)' }, rangemode: 'tozero' },
      yaxis: { title: { text: 'ACC (%)' } },
    },
  };
}

/** The HTML report's content: summary, lines, heatmaps, scatter, per-task wall times. */
export function comparisonReport(title: string, backend: string, results: readonly ExperimentResult[]): Report {
  const rows = comparisonRows(results);
  const summary = aq.table(Object.fromEntries(HEADER.map((h, i) => [h, rows.map((r) => r[i])])));
  const seeds = results[0]?.seeds.map((s) => s.seed).join(', ') ?? '';
  const sections: ReportSection[] = [
    {
      heading: 'Summary',
      text:
        `Benchmark ${results[0]?.benchmark}; seeds ${seeds}; ${backend}.\n\n` +
        'ACC: mean accuracy over tasks after the last task. CAP: memory in % of one dense network (WSN: union ' +
        'density plus Huffman-coded masks with the measured α; the α = 0.78 column uses the paper\'s convention). ' +
        'BWT in percentage points; every old task is re-evaluated after each new task. Mean ± std over seeds.',
      table: summary,
      tableOptions: { limit: 100 },
    },
    {
      heading: 'Accuracy per task after the last task',
      figure: accuracyLinesFigure(
        results.map((r) => {
          const finals = r.seeds.map((s) => finalAccuracies(s.accuracyMatrix));
          const per = finals[0].map((_, j) => meanStd(finals.map((f) => f[j])));
          return { name: r.label, y: per.map((p) => p.mean), error: per.map((p) => (Number.isNaN(p.std) ? 0 : p.std)) };
        }),
        { title: 'Final accuracy per task (mean ± std over seeds)' },
      ),
    },
    { heading: 'CAP against ACC', figure: capAccuracyFigure(results) },
    ...results.map((r) => ({
      heading: `Accuracy matrix: ${r.label}`,
      figure: accuracyHeatmapFigure(meanMatrix(r), { title: `${r.label}: A[i][j] after task i on task j (mean over seeds)` }),
    })),
  ];
  return { title, sections };
}
