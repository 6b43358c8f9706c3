/**
 * Plain-text tables with aligned columns, for CLI printing and `text/plain` outputs.
 */
import { InvalidArgumentError } from '../errors';

/** Options of {@link formatTextTable}. */
export interface TextTableOptions {
  /** Per column: `'l'` left or `'r'` right. Default: right for columns whose cells all look numeric. */
  align?: readonly ('l' | 'r')[];
}

const NUMERIC = /^[-+−]?(\d|NaN|Infinity)/;

/**
 * Formats a header and rows of strings as a fixed-width text table: the header, a rule of
 * dashes, then one line per row; columns separated by two spaces, no trailing spaces.
 * @throws InvalidArgumentError when a row has a different number of cells than the header
 * @example
 * ```ts
 * formatTextTable(['method', 'acc'], [['wsn', '94.84 ± 0.11']]);
 * // method  acc
 * // ------  ------------
 * // wsn     94.84 ± 0.11
 * ```
 */
export function formatTextTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: TextTableOptions = {},
): string {
  rows.forEach((row, i) => {
    if (row.length !== header.length) {
      throw new InvalidArgumentError(
        `formatTextTable: row ${i} has ${row.length} cells; the header has ${header.length} columns.`,
      );
    }
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const align = header.map(
    (_, c) => options.align?.[c] ?? (rows.length > 0 && rows.every((r) => r[c] === '' || NUMERIC.test(r[c])) ? 'r' : 'l'),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (align[c] === 'r' ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
