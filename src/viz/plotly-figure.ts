/**
 * Plain-JSON Plotly figure specs: `{ data, layout }` objects that `Plotly.newPlot(div, data,
 * layout)` renders and the `application/vnd.plotly.v1+json` MIME type carries. Builders in
 * src/viz only create these objects; they never draw or write files.
 *
 * Axis and figure titles use the `{ text }` form required by plotly.js 3.
 */

/** One Plotly trace: `type` plus any trace attributes, JSON-serialisable. */
export interface PlotlyTrace {
  readonly type: string;
  readonly [attribute: string]: unknown;
}

/** A Plotly figure: traces and layout, both plain JSON. */
export interface PlotlyFigure {
  readonly data: PlotlyTrace[];
  readonly layout: Record<string, unknown>;
}

/** Common options of the figure builders. */
export interface FigureOptions {
  /** Figure title; each builder has a default. */
  title?: string;
  /** Width and height in pixels; default: responsive width, height chosen by the builder. */
  width?: number;
  height?: number;
}

/** Base layout with title, size and margins (unchecked). */
export function _layout(options: FigureOptions, defaultTitle: string, height: number): Record<string, unknown> {
  const layout: Record<string, unknown> = {
    title: { text: options.title ?? defaultTitle },
    height: options.height ?? height,
    margin: { l: 70, r: 30, t: 60, b: 60 },
  };
  if (options.width !== undefined) layout.width = options.width;
  return layout;
}

/** An axis with a title and extra attributes (unchecked). */
export function _axis(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: { text: title }, ...extra };
}

/** Task labels 1..n as shown to readers (code is 0-based, figures 1-based). */
export function _taskNumbers(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/**
 * One text annotation per non-null heatmap cell, dark text on light cells and white on dark
 * ones (unchecked).
 */
export function _cellAnnotations(
  x: readonly number[],
  y: readonly number[],
  z: readonly (readonly (number | null)[])[],
  digits: number,
  zmin: number,
  zmax: number,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  z.forEach((row, i) =>
    row.forEach((v, j) => {
      if (v === null) return;
      const light = (v - zmin) / (zmax - zmin || 1) > 0.5; // Viridis is light at the top
      out.push({
        x: x[j],
        y: y[i],
        text: v.toFixed(digits),
        showarrow: false,
        font: { color: light ? 'black' : 'white', size: 11 },
      });
    }),
  );
  return out;
}
