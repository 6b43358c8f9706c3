/**
 * The `.ipynb` side of a twin pair: nbformat 4.5 JSON for the TicketLab kernel, written the way
 * Jupyter writes it (keys sorted, one-space indent, final newline) with outputs, execution
 * counts and front-end metadata stripped, so the committed file only changes when cells do.
 */
import { createHash } from 'node:crypto';
import type { CellKind, TwinCell, TwinNotebook } from './percent-format';

/** The kernelspec every TicketLab notebook names. */
export const KERNELSPEC = Object.freeze({ display_name: 'TicketLab (TypeScript)', language: 'typescript', name: 'ticketlab' });

/** language_info as the TicketLab (tslab) kernel reports it, minus the TypeScript version. */
export const LANGUAGE_INFO = Object.freeze({
  codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true },
  file_extension: '.ts',
  mimetype: 'text/typescript',
  name: 'typescript',
});

/** A notebook cell in nbformat 4.5 (the fields we read or write). */
export interface IpynbCell {
  cell_type: CellKind;
  id?: string;
  metadata: Record<string, unknown>;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
  attachments?: unknown;
}

/** An nbformat 4 notebook (the fields we read or write). */
export interface Ipynb {
  cells: IpynbCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** A file that is not a notebook we can read. */
export class IpynbFormatError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'IpynbFormatError';
  }
}

/** A cell's source as one string (nbformat allows a string or a list of lines). */
export function joinSource(source: string | string[]): string {
  return Array.isArray(source) ? source.join('') : source;
}

/** A source string as Jupyter stores it: lines, each but the last ending in "\n". */
export function splitSource(source: string): string[] {
  if (source === '') return [];
  const lines = source.split('\n');
  return lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l)).filter((l) => l !== '');
}

/** Removes blank lines at both ends (what the percent format cannot keep). */
export function normalizeSource(source: string): string {
  return source.replace(/\r\n?/g, '\n').replace(/^(?:[ \t]*\n)+/, '').replace(/(?:\n[ \t]*)+$/, '').replace(/^[ \t]+$/, '');
}

/**
 * Parses an .ipynb file's text into twin cells (outputs and metadata other than `title`
 * dropped), keeping its cell ids in order for reuse.
 * @throws IpynbFormatError when the JSON is not an nbformat 4 notebook
 */
export function parseIpynb(text: string, file = '<ipynb>'): { twin: TwinNotebook; ids: string[]; raw: Ipynb } {
  let nb: Ipynb;
  try {
    nb = JSON.parse(text) as Ipynb;
  } catch (e) {
    throw new IpynbFormatError(file, `not valid JSON (${(e as Error).message}).`);
  }
  if (!nb || nb.nbformat !== 4 || !Array.isArray(nb.cells)) {
    throw new IpynbFormatError(file, `expected an nbformat 4 notebook with a cells list; got nbformat ${JSON.stringify(nb?.nbformat)}.`);
  }
  const cells: TwinCell[] = nb.cells.map((c, i) => {
    if (c.cell_type !== 'code' && c.cell_type !== 'markdown' && c.cell_type !== 'raw') {
      throw new IpynbFormatError(file, `cell ${i + 1} has cell_type ${JSON.stringify(c.cell_type)}; expected code, markdown or raw.`);
    }
    const source = normalizeSource(joinSource(c.source ?? ''));
    const title = c.metadata?.['title'];
    return typeof title === 'string' && title ? { kind: c.cell_type, source, title } : { kind: c.cell_type, source };
  });
  const ticketlab = nb.metadata?.['ticketlab'] as { header?: unknown } | undefined;
  const header = typeof ticketlab?.header === 'string' ? ticketlab.header : '';
  return { twin: { header, cells }, ids: nb.cells.map((c) => (typeof c.id === 'string' ? c.id : '')), raw: nb };
}

/** A fresh cell id: 8 hex digits from the notebook name, position and kind (stable across runs). */
export function newCellId(notebook: string, index: number, kind: CellKind, taken: ReadonlySet<string>): string {
  for (let salt = 0; ; salt++) {
    const id = createHash('sha1').update(`${notebook}\0${index}\0${kind}\0${salt}`).digest('hex').slice(0, 8);
    if (!taken.has(id)) return id;
  }
}

/** Recursively sorts object keys (Jupyter writes notebooks with sort_keys=True). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/**
 * Builds the canonical notebook of a twin: nbformat 4.5, the TicketLab kernelspec and
 * language_info, no outputs, ids reused by position from `previousIds` (valid, unique ones)
 * and otherwise derived from `name`.
 */
export function buildIpynb(twin: TwinNotebook, name: string, previousIds: readonly string[] = []): Ipynb {
  const taken = new Set<string>();
  const ids = twin.cells.map((cell, i) => {
    const old = previousIds[i];
    const id = old && /^[a-zA-Z0-9_-]{1,64}$/.test(old) && !taken.has(old) ? old : '';
    if (id) taken.add(id);
    return id;
  });
  const cells = twin.cells.map((cell, i): IpynbCell => {
    const id = ids[i] || newCellId(name, i, cell.kind, new Set([...taken, ...ids]));
    taken.add(id);
    const metadata: Record<string, unknown> = cell.title ? { title: cell.title } : {};
    const base = { cell_type: cell.kind, id, metadata, source: splitSource(cell.source) };
    return cell.kind === 'code' ? { ...base, execution_count: null, outputs: [] } : base;
  });
  const metadata: Record<string, unknown> = { kernelspec: { ...KERNELSPEC }, language_info: structuredClone(LANGUAGE_INFO) };
  if (twin.header) metadata['ticketlab'] = { header: twin.header };
  return { cells, metadata, nbformat: 4, nbformat_minor: 5 };
}

/** Serialises a notebook as Jupyter does (sorted keys, indent 1, final newline). */
export function formatIpynb(nb: Ipynb): string {
  return JSON.stringify(sortKeys(nb), null, 1) + '\n';
}
