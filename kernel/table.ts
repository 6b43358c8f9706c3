/**
 * Arquero tables as notebook output: the MIME bundle around src/viz's table views (formatted
 * HTML with a row limit and "… N more rows", aligned `text/plain`).
 */
import type { ColumnTable } from 'arquero';
import { tableToHTML, tableToText, TableViewOptions } from '../src/viz/table-view';

export type { TableViewOptions };

/** True if `value` looks like an Arquero table (checked structurally: any Arquero instance). */
export function isArqueroTable(value: unknown): value is ColumnTable {
  if (value === null || typeof value !== 'object') return false;
  const t = value as Record<string, unknown>;
  return ['numRows', 'numCols', 'columnNames', 'objects', 'toHTML'].every((k) => typeof t[k] === 'function');
}

/**
 * The MIME bundle of an Arquero table: `text/html` and `text/plain`.
 * @throws InvalidArgumentError on an unknown column or a bad limit/digits (from src/viz).
 * @example
 * ```ts
 * import * as aq from 'arquero';
 * import { display, tableBundle } from 'ticketlab/kernel';
 * display(tableBundle(aq.table({ task: [1, 2], acc: [0.91234, 0.8] }), { digits: 2 }));
 * ```
 */
export function tableBundle(table: ColumnTable, options: TableViewOptions = {}): Record<string, string> {
  return { 'text/html': tableToHTML(table, options), 'text/plain': tableToText(table, options) };
}

/**
 * A displayable table: leave it as a cell's last expression or pass it to `display()`.
 * (A bare Arquero table as the last expression also renders, with the default options.)
 * @example
 * ```ts
 * import * as aq from 'arquero';
 * import { table } from 'ticketlab/kernel';
 * table(aq.table({ task: [1, 2], acc: [0.91, 0.8] }), { limit: 10 })
 * ```
 */
export function table(
  t: ColumnTable,
  options: TableViewOptions = {},
): { table: ColumnTable; options: TableViewOptions; [k: symbol]: () => Record<string, string> } {
  return { table: t, options, [Symbol.for('Jupyter.display')]: () => tableBundle(t, options) };
}
