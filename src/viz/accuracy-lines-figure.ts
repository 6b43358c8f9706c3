/**
 * Line chart of accuracy per task, one line per method (or run): e.g. each task's final
 * accuracy (`finalAccuracies`) or the average accuracy as tasks are learned
 * (`averageAccuracyCurve`), optionally with ± std error bars over seeds.
 */
import { describeValue, InvalidArgumentError, ShapeMismatchError } from '../errors';
import { _axis, _layout, _taskNumbers, type FigureOptions, type PlotlyFigure, type PlotlyTrace } from './plotly-figure';

/** One line: a name and one value per task (task 1 first). */
export interface LineSeries {
  /** Legend entry, e.g. `'wsn c=0.03'`. */
  readonly name: string;
  /** Accuracy (%) per task. */
  readonly y: readonly number[];
  /** Optional ± error (e.g. std over seeds) per task, same length as `y`. */
  readonly error?: readonly number[];
}

/** Options of {@link accuracyLinesFigure}. */
export interface AccuracyLinesOptions extends FigureOptions {
  /** x-axis title (default `'task'`). */
  xTitle?: string;
  /** y-axis title (default `'accuracy (%)'`). */
  yTitle?: string;
}

function checkValues(fn: string, what: string, values: readonly number[]): void {
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidArgumentError(`${fn}: ${what}[${i}] must be a finite number; got ${describeValue(v)}.`);
    }
  });
}

/**
 * Line-chart spec: x = task 1..n, one `scatter` trace (lines + markers) per series.
 * @throws InvalidArgumentError on no series, an empty or non-finite series
 * @throws ShapeMismatchError when `error` and `y` differ in length
 * @example
 * ```ts
 * accuracyLinesFigure([
 *   { name: 'finetune', y: finalAccuracies(finetuneMatrix) },
 *   { name: 'wsn', y: finalAccuracies(wsnMatrix) },
 * ], { title: 'Accuracy per task after the last task' });
 * ```
 */
export function accuracyLinesFigure(series: readonly LineSeries[], options: AccuracyLinesOptions = {}): PlotlyFigure {
  if (!Array.isArray(series) || series.length === 0) {
    throw new InvalidArgumentError(`accuracyLinesFigure: expected at least one series; got ${describeValue(series)}.`);
  }
  let longest = 0;
  const data: PlotlyTrace[] = series.map((s, k) => {
    const where = `series[${k}] ("${s.name}")`;
    if (s.y.length === 0) throw new InvalidArgumentError(`accuracyLinesFigure: ${where} has no values.`);
    checkValues('accuracyLinesFigure', `${where}.y`, s.y);
    longest = Math.max(longest, s.y.length);
    const trace: Record<string, unknown> = {
      type: 'scatter',
      mode: 'lines+markers',
      name: s.name,
      x: _taskNumbers(s.y.length),
      y: [...s.y],
    };
    if (s.error !== undefined) {
      if (s.error.length !== s.y.length) {
        throw new ShapeMismatchError(`accuracyLinesFigure: ${where}.error has ${s.error.length} values; y has ${s.y.length}.`);
      }
      checkValues('accuracyLinesFigure', `${where}.error`, s.error);
      trace.error_y = { type: 'data', array: [...s.error], visible: true };
    }
    return trace as PlotlyTrace;
  });
  return {
    data,
    layout: {
      ..._layout(options, 'Accuracy per task', 420),
      xaxis: _axis(options.xTitle ?? 'task', longest <= 20 ? { dtick: 1 } : {}),
      yaxis: _axis(options.yTitle ?? 'accuracy (%)'),
      legend: { title: { text: 'method' } },
    },
  };
}
