/**
 * Accuracy-matrix heatmap: the lower triangle `A[i][j]` (row = after training task i, column =
 * evaluated task j), annotated with the values; the upper triangle stays empty.
 */
import { type AccuracyMatrix, validateAccuracyMatrix } from '../metrics/accuracy-matrix';
import { _axis, _cellAnnotations, _layout, _taskNumbers, type FigureOptions, type PlotlyFigure } from './plotly-figure';

/** Options of {@link accuracyHeatmapFigure}. */
export interface AccuracyHeatmapOptions extends FigureOptions {
  /** Fraction digits of the cell labels (default 1). */
  digits?: number;
  /** Colour range in percent (default 0–100). */
  zmin?: number;
  zmax?: number;
}

/**
 * Heatmap spec of an accuracy matrix, tasks numbered from 1, the first trained task on top.
 * @throws InvalidArgumentError | ShapeMismatchError when the matrix is invalid
 * @example
 * ```ts
 * const fig = accuracyHeatmapFigure(builder.toMatrix(), { title: 'WSN on PMNIST' });
 * tslab.display.html(renderReport({ title: 'run', sections: [{ heading: 'A', figure: fig }] }));
 * ```
 */
export function accuracyHeatmapFigure(matrix: AccuracyMatrix, options: AccuracyHeatmapOptions = {}): PlotlyFigure {
  validateAccuracyMatrix('accuracyHeatmapFigure', matrix);
  const T = matrix.length;
  const tasks = _taskNumbers(T);
  const z = matrix.map((row) => [...row, ...new Array<null>(T - row.length).fill(null)]);
  const zmin = options.zmin ?? 0;
  const zmax = options.zmax ?? 100;
  return {
    data: [
      {
        type: 'heatmap',
        x: tasks,
        y: tasks,
        z,
        zmin,
        zmax,
        colorscale: 'Viridis',
        colorbar: { title: { text: 'accuracy (%)' } },
        hovertemplate: 'after task %{y}<br>task %{x}: %{z:.2f}%<extra></extra>',
      },
    ],
    layout: {
      ..._layout(options, 'Accuracy matrix', 120 + 40 * Math.min(T, 20)),
      xaxis: _axis('evaluated task', { dtick: 1, side: 'bottom' }),
      yaxis: _axis('after training task', { dtick: 1, autorange: 'reversed' }),
      annotations: T <= 30 ? _cellAnnotations(tasks, tasks, z, options.digits ?? 1, zmin, zmax) : [],
    },
  };
}
