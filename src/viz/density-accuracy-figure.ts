/**
 * Scatter of accuracy against density (or sparsity), one trace per method: e.g. WSN's
 * c ∈ {0.03, …, 0.5} runs, or the lifelong-tickets TD/BU densities per learned task.
 */
import { describeValue, InvalidArgumentError } from '../errors';
import { _axis, _layout, type FigureOptions, type PlotlyFigure, type PlotlyTrace } from './plotly-figure';

/** One point: a method, its density (0–1) and its accuracy (%). */
export interface DensityPoint {
  readonly method: string;
  /** Fraction of weights kept, 0–1 (sparsity = 1 − density). */
  readonly density: number;
  /** Accuracy in percent. */
  readonly accuracy: number;
  /** Optional text next to the marker, e.g. `'c=0.03'`. */
  readonly label?: string;
}

/** Options of {@link densityAccuracyFigure}. */
export interface DensityAccuracyOptions extends FigureOptions {
  /** Plot density (default) or sparsity on x, in percent. */
  x?: 'density' | 'sparsity';
  /** Logarithmic x axis (useful for densities of a few percent). Default false. */
  logX?: boolean;
  /** y-axis title (default `'accuracy (%)'`). */
  yTitle?: string;
}

/**
 * Scatter spec, x in percent of weights kept (or removed), one `scatter` trace per method in
 * first-seen order, markers with optional labels.
 * @throws InvalidArgumentError on no points, density outside [0, 1] or a non-finite accuracy
 * @example
 * ```ts
 * densityAccuracyFigure([
 *   { method: 'wsn', density: 0.13, accuracy: 94.84, label: 'c=0.03' },
 *   { method: 'wsn', density: 0.196, accuracy: 95.65, label: 'c=0.05' },
 * ]);
 * ```
 */
export function densityAccuracyFigure(points: readonly DensityPoint[], options: DensityAccuracyOptions = {}): PlotlyFigure {
  if (!Array.isArray(points) || points.length === 0) {
    throw new InvalidArgumentError(`densityAccuracyFigure: expected at least one point; got ${describeValue(points)}.`);
  }
  const axis = options.x ?? 'density';
  if (axis !== 'density' && axis !== 'sparsity') {
    throw new InvalidArgumentError(`densityAccuracyFigure: x must be 'density' or 'sparsity'; got ${describeValue(axis)}.`);
  }
  const groups = new Map<string, DensityPoint[]>();
  points.forEach((p, i) => {
    if (typeof p.density !== 'number' || !(p.density >= 0 && p.density <= 1)) {
      throw new InvalidArgumentError(
        `densityAccuracyFigure: points[${i}].density must be a fraction in [0, 1]; got ${describeValue(p.density)}.`,
      );
    }
    if (typeof p.accuracy !== 'number' || !Number.isFinite(p.accuracy)) {
      throw new InvalidArgumentError(`densityAccuracyFigure: points[${i}].accuracy must be finite; got ${describeValue(p.accuracy)}.`);
    }
    groups.set(p.method, [...(groups.get(p.method) ?? []), p]);
  });
  const data: PlotlyTrace[] = [...groups].map(([method, ps]) => {
    const labelled = ps.some((p) => p.label !== undefined);
    const trace: Record<string, unknown> = {
      type: 'scatter',
      mode: labelled ? 'markers+text' : 'markers',
      name: method,
      x: ps.map((p) => 100 * (axis === 'density' ? p.density : 1 - p.density)),
      y: ps.map((p) => p.accuracy),
      marker: { size: 9 },
    };
    if (labelled) {
      trace.text = ps.map((p) => p.label ?? '');
      trace.textposition = 'top center';
    }
    return trace as PlotlyTrace;
  });
  const xTitle = axis === 'density' ? 'density (% of weights kept)' : 'sparsity (% of weights removed)';
  return {
    data,
    layout: {
      ..._layout(options, `Accuracy vs ${axis}`, 420),
      xaxis: _axis(xTitle, options.logX ? { type: 'log' } : {}),
      yaxis: _axis(options.yTitle ?? 'accuracy (%)'),
      legend: { title: { text: 'method' } },
    },
  };
}
