/**
 * CLNP diagnostics (Golkar, Kagan & Cho 2019; methods.md §3 item 5): per task and layer, how
 * many neurons the task reused from earlier tasks, how many it added, how many of its trained
 * neurons graceful forgetting pruned back to the free pool, and how many stay free. As plain
 * rows, an Arquero table and a Plotly line chart of free capacity over tasks.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { describeValue, InvalidArgumentError } from '../errors';
import { _axis, _layout, type FigureOptions, type PlotlyFigure, type PlotlyTrace } from '../viz/plotly-figure';

/** Neuron counts of one layer after one task. Neurons = dense units or conv filters. */
export interface ClnpNeuronRow {
  /** 0-based task index. */
  readonly task: number;
  readonly layer: string;
  /** All neurons of the layer. */
  readonly neurons: number;
  /**
   * Old neurons (active after earlier tasks) that feed this task: the next layer's free
   * neurons, or this task's head for the last layer, read them. Frozen.
   */
  readonly reused: number;
  /** Neurons this task trained and kept (free before, active after). */
  readonly added: number;
  /** Neurons this task trained but pruned (activity below θ): free again. */
  readonly pruned: number;
  /** Active neurons after the task (reused + added). */
  readonly active: number;
  /** Free neurons left for later tasks (neurons − active). */
  readonly free: number;
}

/**
 * The rows as a tidy Arquero table, columns `task, layer, neurons, reused, added, pruned,
 * active, free, freePercent`.
 * @example
 * ```ts
 * clnpNeuronTable(learner.neuronRows()).filter((d) => d.layer === 'fc1').print();
 * ```
 */
export function clnpNeuronTable(rows: readonly ClnpNeuronRow[]): ColumnTable {
  return aq.from(rows.map((r) => ({ ...r, freePercent: r.neurons === 0 ? 0 : (100 * r.free) / r.neurons })));
}

/** Options of {@link clnpCapacityFigure}. */
export interface ClnpCapacityOptions extends FigureOptions {
  /** Plot the free (default) or the active fraction of each layer's neurons. */
  readonly show?: 'free' | 'active';
}

/**
 * Line chart: x = task 1..T, y = free (or active) % of each layer's neurons after that task,
 * plus a dashed line over all layers.
 * @throws InvalidArgumentError on no rows or a bad `show`
 * @example
 * ```ts
 * clnpCapacityFigure(learner.neuronRows(), { show: 'free' });
 * ```
 */
export function clnpCapacityFigure(rows: readonly ClnpNeuronRow[], options: ClnpCapacityOptions = {}): PlotlyFigure {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new InvalidArgumentError(`clnpCapacityFigure: expected the learner's neuronRows() with at least one task; got ${describeValue(rows)}.`);
  }
  const show = options.show ?? 'free';
  if (show !== 'free' && show !== 'active') {
    throw new InvalidArgumentError(`clnpCapacityFigure: show must be 'free' or 'active'; got ${describeValue(show)}.`);
  }
  const tasks = [...new Set(rows.map((r) => r.task))].sort((a, b) => a - b);
  const layers = [...new Set(rows.map((r) => r.layer))];
  const at = (task: number, layer: string): ClnpNeuronRow | undefined => rows.find((r) => r.task === task && r.layer === layer);
  const percent = (part: number, whole: number): number => (whole === 0 ? 0 : (100 * part) / whole);
  const pick = (r: ClnpNeuronRow): number => (show === 'free' ? r.free : r.active);
  const data: PlotlyTrace[] = layers.map((layer) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name: layer,
    x: tasks.map((t) => t + 1), // 1-based as shown to readers
    y: tasks.map((t) => {
      const r = at(t, layer);
      return r ? percent(pick(r), r.neurons) : null;
    }),
  }));
  data.push({
    type: 'scatter',
    mode: 'lines',
    name: 'all layers',
    x: tasks.map((t) => t + 1), // 1-based as shown to readers
    y: tasks.map((t) => {
      const own = rows.filter((r) => r.task === t);
      return percent(own.reduce((s, r) => s + pick(r), 0), own.reduce((s, r) => s + r.neurons, 0));
    }),
    line: { dash: 'dash', color: 'black' },
  });
  return {
    data,
    layout: {
      ..._layout(options, show === 'free' ? 'CLNP: free neurons per layer' : 'CLNP: active neurons per layer', 420),
      xaxis: _axis('after training task', tasks.length <= 20 ? { dtick: 1 } : {}),
      yaxis: _axis(show === 'free' ? 'neurons still free (%)' : 'neurons used by any task (%)', { range: [0, 100] }),
      legend: { title: { text: 'layer' } },
    },
  };
}
