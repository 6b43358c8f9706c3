/**
 * Capacity over tasks per layer: the percentage of a layer's weights used by the union of
 * task masks after each task (or still free), from `maskReuse`.
 */
import { describeValue, InvalidArgumentError, UnknownNameError } from '../errors';
import type { TaskReuse } from '../metrics/mask-reuse';
import { _axis, _layout, _taskNumbers, type FigureOptions, type PlotlyFigure, type PlotlyTrace } from './plotly-figure';

/** Options of {@link capacityFigure}. */
export interface CapacityOptions extends FigureOptions {
  /** Plot the used (default) or the free fraction. */
  show?: 'used' | 'free';
  /** Layers to plot, in this order (default: all, in mask order). */
  layers?: readonly string[];
  /** Add a dashed "all layers" line over all maskable weights (default true). */
  includeTotal?: boolean;
}

/**
 * Line-chart spec: x = task 1..T, y = used (or free) % of each layer after that task.
 * @param reuse the result of `maskReuse(masksPerTask)`
 * @throws InvalidArgumentError on an empty list or a bad `show`; UnknownNameError for an unknown layer
 * @example
 * ```ts
 * capacityFigure(maskReuse(taskMasks), { show: 'free' });
 * ```
 */
export function capacityFigure(reuse: readonly TaskReuse[], options: CapacityOptions = {}): PlotlyFigure {
  if (!Array.isArray(reuse) || reuse.length === 0) {
    throw new InvalidArgumentError(`capacityFigure: expected maskReuse(...) output with at least one task; got ${describeValue(reuse)}.`);
  }
  const show = options.show ?? 'used';
  if (show !== 'used' && show !== 'free') {
    throw new InvalidArgumentError(`capacityFigure: show must be 'used' or 'free'; got ${describeValue(show)}.`);
  }
  const known = Object.keys(reuse[0].perLayer);
  const layers = options.layers ?? known;
  for (const name of layers) {
    if (!known.includes(name)) {
      throw new UnknownNameError(`capacityFigure: unknown layer "${name}". Known layers: ${known.join(', ')}.`);
    }
  }
  const tasks = _taskNumbers(reuse.length);
  const pick = (c: { usedFraction: number; freeFraction: number }): number =>
    100 * (show === 'used' ? c.usedFraction : c.freeFraction);
  const data: PlotlyTrace[] = layers.map((name) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name,
    x: tasks,
    y: reuse.map((r) => pick(r.perLayer[name])),
  }));
  if (options.includeTotal ?? true) {
    data.push({ type: 'scatter', mode: 'lines', name: 'all layers', x: tasks, y: reuse.map(pick), line: { dash: 'dash', color: 'black' } });
  }
  return {
    data,
    layout: {
      ..._layout(options, show === 'used' ? 'Capacity used per layer' : 'Capacity free per layer', 420),
      xaxis: _axis('after training task', reuse.length <= 20 ? { dtick: 1 } : {}),
      yaxis: _axis(show === 'used' ? 'weights used by any task (%)' : 'weights still free (%)', { range: [0, 100] }),
      legend: { title: { text: 'layer' } },
    },
  };
}
