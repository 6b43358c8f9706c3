/**
 * Plotly figures as one MIME bundle: `application/vnd.plotly.v1+json` (a JSON object, for
 * JupyterLab/VS Code renderers), `text/html` that draws offline with plotly.js inlined from
 * `plotly.js-dist-min` (carried by the first figure of a kernel session; later figures wait for
 * `window.Plotly`), and `text/plain`. No CDN is ever used, so exported HTML works offline.
 */
import { readFileSync } from 'fs';
import { escapeHtml, scriptSafe } from './html';
import { newDisplayId } from './display';

/** A Plotly figure: traces, layout, config and optional animation frames (plain JSON). */
export interface PlotlyFigure {
  data: Array<Record<string, unknown>>;
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
  frames?: Array<Record<string, unknown>>;
}

/** Options of {@link plotlyBundle}. */
export interface PlotlyOptions {
  /**
   * Inline plotly.js: `'auto'` (default) only in the first figure of this kernel session,
   * `true` always (self-contained output), `false` never.
   */
  includePlotlyJs?: 'auto' | boolean;
  /** CSS height of the figure when the layout has none. Default `'420px'`. */
  height?: string;
}

const state = { embedded: false, source: '' };

/** Forget that plotly.js was embedded, so the next figure carries it again (e.g. after clearing outputs). */
export function resetPlotlyEmbedding(): void {
  state.embedded = false;
}

/** The plotly.js bundle text from `plotly.js-dist-min` (read once). */
export function plotlyJsSource(): string {
  if (!state.source) state.source = readFileSync(require.resolve('plotly.js-dist-min'), 'utf8');
  return state.source;
}

/** Decides whether this figure carries plotly.js, updating the session state. */
export function claimPlotlyEmbedding(option: 'auto' | boolean = 'auto'): boolean {
  if (option === true) {
    state.embedded = true;
    return true;
  }
  if (option === false || state.embedded) return false;
  state.embedded = true;
  return true;
}

/** The one-line `text/plain` form of a figure: trace count and types, title, frames. */
export function plotlySummary(fig: PlotlyFigure): string {
  const types = fig.data.map((t) => String(t['type'] ?? 'scatter'));
  const title = fig.layout?.['title'];
  const titleText = typeof title === 'string' ? title : (title as { text?: string } | undefined)?.text;
  return `Plotly figure: ${fig.data.length} trace${fig.data.length === 1 ? '' : 's'} (${types.join(', ')})` +
    (titleText ? `, title "${titleText}"` : '') +
    (fig.frames?.length ? `, ${fig.frames.length} frames` : '');
}

/**
 * The `text/html` fallback: a div plus a script that draws with `window.Plotly`, preceded by
 * the inlined plotly.js when `withPlotlyJs` is true.
 */
export function plotlyHtml(fig: PlotlyFigure, withPlotlyJs: boolean, options: { height?: string } = {}): string {
  const id = `tl-plotly-${newDisplayId()}`;
  const height = fig.layout?.['height'] ? `${Number(fig.layout['height'])}px` : options.height ?? '420px';
  const json = scriptSafe(JSON.stringify({ data: fig.data, layout: fig.layout ?? {}, config: { responsive: true, ...fig.config }, frames: fig.frames ?? [] }));
  // plotly.js 3 sets window.Plotly itself; hide a CommonJS `module` so it never exports instead.
  const lib = withPlotlyJs
    ? `<script type="text/javascript">if (!window.Plotly) { (function (module, exports, define) {\n${scriptSafe(plotlyJsSource())}\n}).call(window); }</script>`
    : '';
  const draw =
    `<script type="text/javascript">(function () {` +
    `var fig = ${json}; var tries = 0;` +
    `function draw() { var el = document.getElementById(${JSON.stringify(id)}); if (!el) return;` +
    ` if (window.Plotly) { window.Plotly.newPlot(el, fig).then(function () { if (fig.frames.length) window.Plotly.addFrames(el, fig.frames); }); return; }` +
    ` if (++tries < 100) { setTimeout(draw, 100); return; }` +
    ` el.textContent = 'plotly.js is not loaded: show this figure with plotly(fig, { includePlotlyJs: true }).'; }` +
    ` draw(); })();</script>`;
  return `${lib}<div id="${escapeHtml(id)}" class="ticketlab-plotly" style="width:100%;height:${escapeHtml(height)}"></div>${draw}`;
}

/**
 * The MIME bundle of a Plotly figure (see the module comment for the three representations).
 * @example
 * ```ts
 * import { display, plotlyBundle } from 'ticketlab/kernel';
 * display(plotlyBundle({ data: [{ type: 'scatter', y: [0.9, 0.7, 0.5] }], layout: { title: { text: 'loss' } } }));
 * ```
 */
export function plotlyBundle(fig: PlotlyFigure, options: PlotlyOptions = {}): Record<string, unknown> {
  const withJs = claimPlotlyEmbedding(options.includePlotlyJs ?? 'auto');
  return {
    'application/vnd.plotly.v1+json': { data: fig.data, layout: fig.layout ?? {}, ...(fig.config ? { config: fig.config } : {}), ...(fig.frames ? { frames: fig.frames } : {}) },
    'text/html': plotlyHtml(fig, withJs, options),
    'text/plain': plotlySummary(fig),
  };
}

/**
 * A displayable Plotly figure: leave it as a cell's last expression or pass it to `display()`.
 * The bundle is built when shown, so plotly.js is inlined in the first figure actually shown.
 * @example
 * ```ts
 * import { plotly } from 'ticketlab/kernel';
 * plotly({ data: [{ type: 'bar', x: ['t1', 't2'], y: [0.91, 0.88] }] })
 * ```
 */
export function plotly(fig: PlotlyFigure, options: PlotlyOptions = {}): { figure: PlotlyFigure; [k: symbol]: () => Record<string, unknown> } {
  return { figure: fig, [Symbol.for('Jupyter.display')]: () => plotlyBundle(fig, options) };
}
