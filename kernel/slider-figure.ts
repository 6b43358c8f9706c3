/**
 * Figures with Plotly's own controls (a slider and/or a dropdown menu) for exploring
 * precomputed results: every step's traces are in the figure and the controls switch trace
 * visibility. Pure plotly.js, so the controls keep working in exported HTML with no kernel.
 */
import { InvalidArgumentError } from '../src/errors';
import type { PlotlyFigure } from './plotly';

/** One position of the control: a label and the traces shown there. */
export interface FigureStep {
  label: string;
  data: Array<Record<string, unknown>>;
  /** Layout changes applied at this step (e.g. a title). */
  layout?: Record<string, unknown>;
}

/** Options of {@link sliderFigure}. */
export interface SliderFigureOptions {
  /** Base layout. */
  layout?: Record<string, unknown>;
  /** Prefix shown before the current step label, e.g. `'task: '`. */
  prefix?: string;
  /** Which controls: `'slider'` (default), `'dropdown'` or `'both'`. */
  controls?: 'slider' | 'dropdown' | 'both';
  /** Step shown first. Default 0. */
  active?: number;
}

/**
 * Builds a figure whose slider/dropdown shows one step's traces at a time.
 * @throws InvalidArgumentError when `steps` is empty or `active` is out of range.
 * @example
 * ```ts
 * import { plotly, sliderFigure } from 'ticketlab/kernel';
 * plotly(sliderFigure([
 *   { label: 'task 1', data: [{ type: 'bar', y: [0.9] }] },
 *   { label: 'task 2', data: [{ type: 'bar', y: [0.8, 0.92] }] },
 * ], { prefix: 'after ' }))
 * ```
 */
export function sliderFigure(steps: FigureStep[], options: SliderFigureOptions = {}): PlotlyFigure {
  if (steps.length === 0) throw new InvalidArgumentError('sliderFigure: steps must not be empty; got []. Pass one entry per slider position.');
  const active = options.active ?? 0;
  if (!Number.isInteger(active) || active < 0 || active >= steps.length) {
    throw new InvalidArgumentError(`sliderFigure: active must be an integer in [0, ${steps.length - 1}]; got ${active}.`);
  }
  const data: Array<Record<string, unknown>> = [];
  const owner: number[] = [];
  steps.forEach((s, i) => {
    for (const trace of s.data) {
      data.push({ ...trace, visible: i === active });
      owner.push(i);
    }
  });
  const args = (i: number): unknown[] => [{ visible: owner.map((o) => o === i) }, steps[i].layout ?? {}];
  const controls = options.controls ?? 'slider';
  const layout: Record<string, unknown> = { ...options.layout, ...(steps[active].layout ?? {}) };
  if (controls !== 'dropdown') {
    layout['sliders'] = [{
      active,
      currentvalue: { prefix: options.prefix ?? '' },
      pad: { t: 40 },
      steps: steps.map((s, i) => ({ label: s.label, method: 'update', args: args(i) })),
    }];
  }
  if (controls !== 'slider') {
    layout['updatemenus'] = [{
      type: 'dropdown',
      active,
      x: 0,
      xanchor: 'left',
      y: 1.15,
      yanchor: 'top',
      buttons: steps.map((s, i) => ({ label: s.label, method: 'update', args: args(i) })),
    }];
  }
  return { data, layout };
}
