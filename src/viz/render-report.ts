/**
 * A self-contained HTML report: title, then sections with prose, tables and Plotly figures.
 *
 * plotly.js is embedded once, inline, from the installed `plotly.js-dist-min` bundle (about
 * 4.8 MB), so the file works offline, in nbviewer and after nbconvert (no CDN; ecosystem.md
 * §1d, §3). Each figure gets its own `<div>` and a `Plotly.newPlot` call with its JSON. The
 * function returns the HTML string; writing it to disk is the caller's job.
 */
import { marked } from 'marked';
import { readFileSync } from 'node:fs';
import type { ColumnTable } from 'arquero';
import { describeValue, InvalidArgumentError } from '../errors';
import type { PlotlyFigure } from './plotly-figure';
import { tableToHTML, type TableViewOptions } from './table-view';

/** One report section; every part is optional except the heading. */
export interface ReportSection {
  /** The section's `<h2>`; an empty string continues the previous section without one. */
  readonly heading: string;
  /** Prose; blank lines separate paragraphs. Plain text, HTML-escaped. */
  readonly text?: string;
  /**
   * Prose in Markdown (CommonMark + GitHub tables, via `marked`), e.g. a notebook's markdown
   * cell. Trusted content: raw HTML in it is kept, as Jupyter renders markdown cells.
   */
  readonly markdown?: string;
  /** A table shown with {@link tableToHTML}. */
  readonly table?: ColumnTable;
  /** Options for the table (default: limit 50). */
  readonly tableOptions?: TableViewOptions;
  /** A figure from the src/viz builders. */
  readonly figure?: PlotlyFigure;
}

/** Input of {@link renderReport}. */
export interface Report {
  readonly title: string;
  readonly sections: readonly ReportSection[];
}

let plotlySource: string | undefined;

/** The plotly.js bundle text, read once per process (unchecked). */
function _plotlyJs(): string {
  if (plotlySource === undefined) {
    const path = require.resolve('plotly.js-dist-min');
    // A literal "</script" inside the bundle would end the inline script early.
    plotlySource = readFileSync(path, 'utf8').replace(/<\/script/gi, '<\\/script');
  }
  return plotlySource;
}

/** Escapes text for HTML element content and attribute values (unchecked). */
export function _escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON safe inside a `<script>` element: no `<` (so no `</script>`), no line separators (unchecked). */
export function _scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const STYLE = `
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { border-bottom: 2px solid #444; padding-bottom: .2em; }
section { margin: 2em 0; }
.ticketlab-table table { border-collapse: collapse; font-size: 0.9em; }
.ticketlab-table th, .ticketlab-table td { padding: 2px 8px; border-bottom: 1px solid #ddd; }
.ticketlab-more { color: #666; font-style: italic; }
.ticketlab-figure { width: 100%; }
.ticketlab-markdown table { border-collapse: collapse; font-size: 0.85em; margin: .5em 0; }
.ticketlab-markdown th, .ticketlab-markdown td { padding: 2px 6px; border-bottom: 1px solid #ddd; text-align: right; }
`;

function checkSection(section: ReportSection, i: number): void {
  if (section === null || typeof section !== 'object' || typeof section.heading !== 'string') {
    throw new InvalidArgumentError(`renderReport: sections[${i}] needs a heading string; got ${describeValue(section)}.`);
  }
  if (section.markdown !== undefined && typeof section.markdown !== 'string') {
    throw new InvalidArgumentError(`renderReport: sections[${i}].markdown must be a string; got ${describeValue(section.markdown)}.`);
  }
  const fig = section.figure;
  if (fig !== undefined && (fig === null || !Array.isArray(fig.data) || typeof fig.layout !== 'object' || fig.layout === null)) {
    throw new InvalidArgumentError(
      `renderReport: sections[${i}].figure must be a Plotly figure { data: [...], layout: {...} }; got ${describeValue(fig)}.`,
    );
  }
}

/**
 * Renders a report as one self-contained HTML document (plotly.js inlined once).
 * Figure divs have ids `ticketlab-figure-0`, `ticketlab-figure-1`, … in section order.
 * @throws InvalidArgumentError when the title or a section is malformed
 * @example
 * ```ts
 * const html = renderReport({
 *   title: 'WSN on PMNIST',
 *   sections: [
 *     { heading: 'Summary', table: summarizeResults(results) },
 *     { heading: 'Accuracy matrix', figure: accuracyHeatmapFigure(matrix) },
 *   ],
 * });
 * fs.writeFileSync('report.html', html);
 * ```
 */
export function renderReport(report: Report): string {
  if (report === null || typeof report !== 'object' || typeof report.title !== 'string' || !Array.isArray(report.sections)) {
    throw new InvalidArgumentError(
      `renderReport: expected { title: string, sections: [...] }; got ${describeValue(report)}.`,
    );
  }
  report.sections.forEach(checkSection);
  let figures = 0;
  const body = report.sections.map((section) => {
    const parts = section.heading === '' ? [] : [`<h2>${_escapeHtml(section.heading)}</h2>`];
    for (const paragraph of (section.text ?? '').split(/\n\s*\n/)) {
      if (paragraph.trim() !== '') parts.push(`<p>${_escapeHtml(paragraph.trim())}</p>`);
    }
    if (section.markdown !== undefined && section.markdown.trim() !== '') {
      parts.push(`<div class="ticketlab-markdown">${marked.parse(section.markdown, { async: false, gfm: true })}</div>`);
    }
    if (section.table !== undefined) parts.push(tableToHTML(section.table, { limit: 50, ...section.tableOptions }));
    if (section.figure !== undefined) {
      const id = `ticketlab-figure-${figures++}`;
      parts.push(
        `<div id="${id}" class="ticketlab-figure"></div>`,
        `<script>Plotly.newPlot(${_scriptJson(id)}, ${_scriptJson(section.figure.data)}, ` +
          `${_scriptJson(section.figure.layout)}, {"responsive": true});</script>`,
      );
    }
    return `<section>\n${parts.join('\n')}\n</section>`;
  });
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${_escapeHtml(report.title)}</title>`,
    `<style>${STYLE}</style>`,
    `<script id="ticketlab-plotly-js">${_plotlyJs()}</script>`,
    '</head>',
    '<body>',
    `<h1>${_escapeHtml(report.title)}</h1>`,
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
