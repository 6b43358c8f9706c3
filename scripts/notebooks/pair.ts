/**
 * Keeping a notebook pair (`NN-topic.ts` percent twin + `NN-topic.ipynb`) in step: find the
 * pairs, compare their cells, and write one from the other. The CLI is `sync.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildIpynb, formatIpynb, parseIpynb } from './ipynb';
import { formatPercent, parsePercent, type TwinCell, type TwinNotebook } from './percent-format';

/** A notebook pair by base path (without extension). */
export interface NotebookPair {
  readonly name: string;
  readonly ts: string;
  readonly ipynb: string;
}

/** Which side to copy from. */
export type SyncSource = 'ts' | 'ipynb' | 'newer';

/** The pair of `file` (either twin or the base path without extension). */
export function pairOf(file: string): NotebookPair {
  const base = file.replace(/\.(ts|ipynb)$/, '');
  return { name: path.basename(base), ts: `${base}.ts`, ipynb: `${base}.ipynb` };
}

/** Every pair in `dir`: one per base name that has a `.ts` or an `.ipynb`, sorted. */
export function listPairs(dir: string): NotebookPair[] {
  const bases = new Set<string>();
  for (const f of fs.readdirSync(dir)) {
    if (/\.(ts|ipynb)$/.test(f) && !f.endsWith('.d.ts')) bases.add(path.join(dir, f.replace(/\.(ts|ipynb)$/, '')));
  }
  return [...bases].sort().map(pairOf);
}

function describeCell(cell: TwinCell | undefined): string {
  if (!cell) return '(no cell)';
  const first = cell.source.split('\n')[0] ?? '';
  return `${cell.kind} cell "${first.length > 60 ? first.slice(0, 57) + '...' : first}"`;
}

/** First line where two sources differ, as `line N: "a" vs "b"`. */
function firstLineDiff(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}: ${JSON.stringify(la[i] ?? '(end)')} vs ${JSON.stringify(lb[i] ?? '(end)')}`;
  }
  return 'same text';
}

/**
 * Where two twins differ: null when they have the same header and cells, else one sentence
 * naming the first differing cell (1-based) and how it differs.
 */
export function firstDifference(ts: TwinNotebook, ipynb: TwinNotebook): string | null {
  if (ts.header !== ipynb.header) return `the header differs (${firstLineDiff(ts.header, ipynb.header)})`;
  const n = Math.max(ts.cells.length, ipynb.cells.length);
  for (let i = 0; i < n; i++) {
    const a = ts.cells[i];
    const b = ipynb.cells[i];
    if (a && b && a.kind === b.kind && a.source === b.source && (a.title ?? '') === (b.title ?? '')) continue;
    const what =
      !a || !b
        ? `only the ${a ? '.ts' : '.ipynb'} has it (.ts has ${ts.cells.length} cells, .ipynb ${ipynb.cells.length})`
        : a.kind !== b.kind
          ? `kind ${a.kind} in .ts, ${b.kind} in .ipynb`
          : a.source !== b.source
            ? firstLineDiff(a.source, b.source)
            : `title ${JSON.stringify(a.title ?? '')} vs ${JSON.stringify(b.title ?? '')}`;
    return `cell ${i + 1} (${describeCell(a ?? b)}) differs: ${what}`;
  }
  return null;
}

/** Result of checking or syncing one pair. */
export interface PairReport {
  readonly pair: NotebookPair;
  /** `ok`, `wrote-ipynb`, `wrote-ts`, `wrote-both`, or `drift` (check mode). */
  readonly status: 'ok' | 'wrote-ipynb' | 'wrote-ts' | 'wrote-both' | 'drift';
  readonly message: string;
}

function read(file: string): string | null {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
}

/**
 * Checks that a pair exists, has the same cells on both sides and that the .ipynb is in
 * canonical form (no outputs or front-end metadata).
 */
export function checkPair(pair: NotebookPair): PairReport {
  const tsText = read(pair.ts);
  const nbText = read(pair.ipynb);
  if (tsText === null || nbText === null) {
    const missing = tsText === null ? pair.ts : pair.ipynb;
    return { pair, status: 'drift', message: `${pair.name}: ${missing} is missing; run the sync script to create it.` };
  }
  const ts = parsePercent(tsText, pair.ts);
  const nb = parseIpynb(nbText, pair.ipynb);
  const diff = firstDifference(ts, nb.twin);
  if (diff) return { pair, status: 'drift', message: `${pair.name}: .ts and .ipynb differ: ${diff}. Sync with --from=ts or --from=ipynb.` };
  if (formatIpynb(buildIpynb(nb.twin, pair.name, nb.ids)) !== nbText) {
    return { pair, status: 'drift', message: `${pair.name}: ${pair.ipynb} is not canonical (outputs, execution counts or metadata left in); run the sync script.` };
  }
  if (formatPercent(ts) !== tsText) {
    return { pair, status: 'drift', message: `${pair.name}: ${pair.ts} is not in canonical percent format (blank lines between cells); run the sync script.` };
  }
  return { pair, status: 'ok', message: `${pair.name}: in sync` };
}

function writeIfChanged(file: string, text: string): boolean {
  if (read(file) === text) return false;
  fs.writeFileSync(file, text);
  return true;
}

/**
 * Syncs a pair: copies the cells from `from` (or the newer file by mtime) to the other side
 * and rewrites both in canonical form (the .ipynb without outputs). Files whose text would
 * not change are left alone.
 * @throws PercentFormatError | IpynbFormatError when the source side cannot be parsed
 */
export function syncPair(pair: NotebookPair, from: SyncSource = 'newer'): PairReport {
  const tsText = read(pair.ts);
  const nbText = read(pair.ipynb);
  if (tsText === null && nbText === null) throw new Error(`sync: neither ${pair.ts} nor ${pair.ipynb} exists.`);
  let side: 'ts' | 'ipynb';
  if (from !== 'newer') side = from;
  else if (tsText === null) side = 'ipynb';
  else if (nbText === null) side = 'ts';
  else side = fs.statSync(pair.ts).mtimeMs >= fs.statSync(pair.ipynb).mtimeMs ? 'ts' : 'ipynb';
  const previous = nbText === null ? null : parseIpynb(nbText, pair.ipynb);
  let twin: TwinNotebook;
  if (side === 'ts') {
    if (tsText === null) throw new Error(`sync: --from=ts but ${pair.ts} does not exist.`);
    twin = parsePercent(tsText, pair.ts);
  } else {
    if (previous === null) throw new Error(`sync: --from=ipynb but ${pair.ipynb} does not exist.`);
    twin = previous.twin;
  }
  const wroteTs = writeIfChanged(pair.ts, formatPercent(twin));
  const wroteNb = writeIfChanged(pair.ipynb, formatIpynb(buildIpynb(twin, pair.name, previous?.ids ?? [])));
  const status = wroteTs && wroteNb ? 'wrote-both' : wroteTs ? 'wrote-ts' : wroteNb ? 'wrote-ipynb' : 'ok';
  const message = status === 'ok' ? `${pair.name}: in sync` : `${pair.name}: from .${side}, wrote ${[wroteTs && pair.ts, wroteNb && pair.ipynb].filter(Boolean).join(' and ')}`;
  return { pair, status, message };
}
