/**
 * Mask-overlap heatmap: IoU between every pair of task masks (from `maskOverlap`), annotated.
 */
import { describeValue, InvalidArgumentError, ShapeMismatchError } from '../errors';
import { _axis, _cellAnnotations, _layout, _taskNumbers, type FigureOptions, type PlotlyFigure } from './plotly-figure';

/** Options of {@link overlapHeatmapFigure}. */
export interface OverlapHeatmapOptions extends FigureOptions {
  /** Fraction digits of the cell labels (default 2). */
  digits?: number;
}

/**
 * Heatmap spec of a T × T IoU matrix (values 0–1), tasks numbered from 1.
 * @throws ShapeMismatchError when the matrix is not square
 * @throws InvalidArgumentError on values outside [0, 1] or NaN
 * @example
 * ```ts
 * const fig = overlapHeatmapFigure(maskOverlap(taskMasks), { title: 'WSN mask IoU' });
 * ```
 */
export function overlapHeatmapFigure(iou: readonly (readonly number[])[], options: OverlapHeatmapOptions = {}): PlotlyFigure {
  const T = iou.length;
  if (T === 0) throw new InvalidArgumentError('overlapHeatmapFigure: the IoU matrix is empty; pass maskOverlap(masks).');
  iou.forEach((row, i) => {
    if (row.length !== T) {
      throw new ShapeMismatchError(`overlapHeatmapFigure: row ${i} has ${row.length} values; a ${T}-task IoU matrix is ${T} × ${T}.`);
    }
    row.forEach((v, j) => {
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
        throw new InvalidArgumentError(`overlapHeatmapFigure: iou[${i}][${j}] must be in [0, 1]; got ${describeValue(v)}.`);
      }
    });
  });
  const tasks = _taskNumbers(T);
  const z = iou.map((row) => [...row]);
  return {
    data: [
      {
        type: 'heatmap',
        x: tasks,
        y: tasks,
        z,
        zmin: 0,
        zmax: 1,
        colorscale: 'Viridis',
        colorbar: { title: { text: 'IoU' } },
        hovertemplate: 'tasks %{y} and %{x}: IoU %{z:.3f}<extra></extra>',
      },
    ],
    layout: {
      ..._layout(options, 'Mask overlap (IoU) between tasks', 120 + 40 * Math.min(T, 20)),
      xaxis: _axis('task', { dtick: 1 }),
      yaxis: _axis('task', { dtick: 1, autorange: 'reversed' }),
      annotations: T <= 30 ? _cellAnnotations(tasks, tasks, z, options.digits ?? 2, 0, 1) : [],
    },
  };
}
