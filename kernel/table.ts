/**
 * Arquero tables as notebook output: formatted HTML with a row limit and a count of the rest,
 * plus an aligned `text/plain` rendering. Uses the table's own `toHTML`; no Arquero import,
 * so any Arquero 5–8 table (ESM or CommonJS instance) is accepted structurally.
 */
import { escapeHtml } from './html';

/** The part of an Arquero table this module uses. */
export interface ArqueroLikeTable {
  numRows(): number;
  numCols(): number;
  columnNames(): string[];
  get(name: string, row?: number): unknown;
  toHTML(options?: Record<string, unknown>): string;
}

/** Options of {@link tableBundle}. */
export interface TableOptions {
  /** Rows shown; the rest are counted below the table. Default 20. */
  limit?: number;
  /** Fraction digits kept for non-integer numbers. Default 4. */
  digits?: number;
  /** Caption shown above the table. */
  caption?: string;
}

/** True if `value` looks like an Arquero table. */
export function isArqueroTable(value: unknown): value is ArqueroLikeTable {
  if (value === null || typeof value !== 'object') return false;
  const t = value as Record<string, unknown>;
  return ['numRows', 'numCols', 'columnNames', 'get', 'toHTML'].every((k) => typeof t[k] === 'function');
}

/**
 * Formats one cell: integers in full with thousands separators, other numbers with at most
 * `digits` fraction digits (exponent form below 1e-4), null/undefined/NaN as empty or "NaN".
 */
export function formatCell(value: unknown, digits = 4): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (Number.isInteger(value)) return value.toLocaleString('en-US');
    const abs = Math.abs(value);
    if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) return value.toExponential(Math.max(0, digits - 1));
    return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * The MIME bundle of an Arquero table: `text/html` (formatted, first `limit` rows, then
 * "… N more rows") and `text/plain` (aligned columns).
 * @example
 * ```ts
 * import * as aq from 'arquero';
 * import { display, tableBundle } from 'ticketlab/kernel';
 * display(tableBundle(aq.table({ task: [1, 2], acc: [0.91234, 0.8] }), { digits: 2 }));
 * ```
 */
export function tableBundle(table: ArqueroLikeTable, options: TableOptions = {}): Record<string, string> {
  const limit = Math.max(0, Math.floor(options.limit ?? 20));
  const digits = options.digits ?? 4;
  const names = table.columnNames();
  const rows = table.numRows();
  const shown = Math.min(rows, limit);
  const rest = rows - shown;
  const format: Record<string, (v: unknown) => string> = {};
  for (const name of names) format[name] = (v) => formatCell(v, digits);
  const footer = rest > 0 ? `… ${rest.toLocaleString('en-US')} more row${rest === 1 ? '' : 's'} (${rows.toLocaleString('en-US')} total)` : '';
  const caption = options.caption ? `<div style="font-weight:bold">${escapeHtml(options.caption)}</div>` : '';
  const html =
    `<div class="ticketlab-table">${caption}` +
    table.toHTML({ limit, format }) +
    (footer ? `<div style="font-style:italic">${escapeHtml(footer)}</div>` : '') +
    `</div>`;

  const cells: string[][] = [names];
  for (let r = 0; r < shown; r++) cells.push(names.map((n) => formatCell(table.get(n, r), digits)));
  const widths = names.map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  const lines = cells.map((row) => row.map((cell, c) => cell.padStart(widths[c])).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  if (options.caption) lines.unshift(options.caption);
  if (footer) lines.push(footer);
  return { 'text/html': html, 'text/plain': lines.join('\n') };
}

/**
 * A displayable wrapper: leave it as a cell's last expression or pass it to `display()`.
 * @example
 * ```ts
 * import * as aq from 'arquero';
 * import { table } from 'ticketlab/kernel';
 * table(aq.table({ task: [1, 2], acc: [0.91, 0.8] }), { limit: 10 })
 * ```
 */
export function table(t: ArqueroLikeTable, options: TableOptions = {}): { [k: symbol]: () => Record<string, string> } {
  return { [Symbol.for('Jupyter.display')]: () => tableBundle(t, options) };
}
