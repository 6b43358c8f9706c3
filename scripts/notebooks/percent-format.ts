/**
 * The `.ts` twin of a notebook in jupytext's percent format, TypeScript flavour:
 *
 * ```ts
 * // Optional header: comment lines before the first cell marker.
 *
 * // %% [markdown]
 * // # Title
 * //
 * // Prose, every line a `// ` comment (`//` alone is an empty line).
 *
 * // %%
 * const x = 1;
 * ```
 *
 * `// %%` starts a code cell, `// %% [markdown]` a prose cell, `// %% [raw]` a raw cell; text
 * after `// %%` (before any `[kind]`) is the cell's title. Cells are separated by one blank
 * line; leading and trailing blank lines of a cell are not part of it. Pure functions only.
 */

/** The kind of a notebook cell. */
export type CellKind = 'code' | 'markdown' | 'raw';

/** A notebook cell as the twin sees it: kind, source text (no trailing newline), optional title. */
export interface TwinCell {
  readonly kind: CellKind;
  readonly source: string;
  /** Text after `// %%`, kept in the ipynb cell's metadata as `title`. */
  readonly title?: string;
}

/** A parsed twin: optional header comment and the cells. */
export interface TwinNotebook {
  /** Lines before the first marker, blank lines at the end removed; empty when absent. */
  readonly header: string;
  readonly cells: readonly TwinCell[];
}

/** A line the percent format cannot express. */
export class PercentFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = 'PercentFormatError';
  }
}

const MARKER = /^\/\/ ?%%(?:[ \t]+(.*?))?[ \t]*$/;
const KIND = /^(.*?)\s*\[(markdown|md|raw|code)\]$/;

/** Parses a marker line; null when `line` is not one. */
export function parseMarker(line: string): { kind: CellKind; title?: string } | null {
  const m = MARKER.exec(line);
  if (!m) return null;
  let rest = (m[1] ?? '').trim();
  let kind: CellKind = 'code';
  const k = KIND.exec(rest);
  if (k) {
    kind = k[2] === 'md' || k[2] === 'markdown' ? 'markdown' : (k[2] as CellKind);
    rest = k[1].trim();
  }
  return rest ? { kind, title: rest } : { kind };
}

function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start].trim() === '') start++;
  while (end > start && lines[end - 1].trim() === '') end--;
  return lines.slice(start, end);
}

/** Turns `// text` comment lines of a prose cell back into its text. */
function uncomment(file: string, firstLine: number, lines: string[]): string {
  return lines
    .map((line, i) => {
      if (line.trim() === '') return '';
      const m = /^\s*\/\/ ?(.*)$/.exec(line);
      if (!m) {
        throw new PercentFormatError(file, firstLine + i, `a markdown or raw cell line must be a "// " comment; got ${JSON.stringify(line)}. Start a code cell with "// %%" first.`);
      }
      return m[1];
    })
    .join('\n');
}

/**
 * Parses a percent-format twin.
 * @param file name used in error messages
 * @throws PercentFormatError for prose lines that are not comments or a header that is not comments
 */
export function parsePercent(text: string, file = '<twin>'): TwinNotebook {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const starts: number[] = [];
  lines.forEach((line, i) => {
    if (parseMarker(line)) starts.push(i);
  });
  const headerLines = trimBlankLines(lines.slice(0, starts[0] ?? lines.length));
  headerLines.forEach((line, i) => {
    if (!/^\s*\/\//.test(line)) {
      throw new PercentFormatError(file, i + 1, `text before the first "// %%" marker must be comments (the header); got ${JSON.stringify(line)}.`);
    }
  });
  const cells: TwinCell[] = starts.map((start, c) => {
    const marker = parseMarker(lines[start])!;
    const body = lines.slice(start + 1, starts[c + 1] ?? lines.length);
    const leading = body.findIndex((line) => line.trim() !== '');
    const trimmed = trimBlankLines(body);
    // 1-based line number of the first non-blank line of the cell, for error messages.
    const source = marker.kind === 'code' ? trimmed.join('\n') : uncomment(file, start + 2 + Math.max(leading, 0), trimmed);
    return marker.title === undefined ? { kind: marker.kind, source } : { kind: marker.kind, source, title: marker.title };
  });
  return { header: headerLines.join('\n'), cells };
}

function markerLine(cell: TwinCell): string {
  const parts = ['// %%'];
  if (cell.title) parts.push(cell.title);
  if (cell.kind !== 'code') parts.push(`[${cell.kind}]`);
  return parts.join(' ');
}

/** Writes cells in the canonical percent format (one blank line between cells, final newline). */
export function formatPercent(notebook: TwinNotebook): string {
  const blocks: string[] = [];
  if (notebook.header.trim()) blocks.push(notebook.header.replace(/\s+$/, ''));
  for (const cell of notebook.cells) {
    const body =
      cell.kind === 'code'
        ? cell.source
        : cell.source
            .split('\n')
            .map((l) => (l === '' ? '//' : `// ${l}`))
            .join('\n');
    blocks.push(cell.source === '' ? markerLine(cell) : `${markerLine(cell)}\n${body}`);
  }
  return blocks.join('\n\n') + '\n';
}
