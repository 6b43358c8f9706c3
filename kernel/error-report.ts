/**
 * Turns what tslab reports on failure (TypeScript diagnostics, thrown values) into the content
 * of Jupyter `error` messages: `ename`, `evalue` and a traceback that points at the cell line.
 */
import { inspect } from 'util';

/** Content of an `error` iopub message (and of an `execute_reply` with status "error"). */
export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** One TypeScript diagnostic as tslab prints it (1-based line and column). */
export interface CellDiagnostic {
  /** Set when the diagnostic is in an imported file, relative to the kernel's cwd. */
  fileName?: string;
  line: number;
  column: number;
  message: string;
}

const RED = '\x1b[31m';
const BOLD_GREEN = '\x1b[1;32m';
const RESET = '\x1b[0m';

/** Lines around `line` (1-based) of `source`, the line itself marked with `-->`. */
export function sourceContext(source: string, line: number, column?: number, radius = 2): string {
  const lines = source.split('\n');
  const from = Math.max(1, line - radius);
  const to = Math.min(lines.length, line + radius);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const mark = n === line ? `${BOLD_GREEN}--> ` : '    ';
    out.push(`${mark}${String(n).padStart(width)}${n === line ? RESET : ''} | ${lines[n - 1]}`);
    if (n === line && column !== undefined && column > 0) out.push(`    ${' '.repeat(width)} | ${' '.repeat(column - 1)}${RED}^${RESET}`);
  }
  return out.join('\n');
}

/** The `error` content for TypeScript diagnostics of a cell (ename `TypeScriptError`). */
export function compileErrorContent(diagnostics: CellDiagnostic[], source: string): ErrorContent {
  const first = diagnostics[0];
  const where = (d: CellDiagnostic): string => `${d.fileName ?? 'Cell'} line ${d.line}, column ${d.column}`;
  const traceback = [`${RED}TypeScriptError${RESET}: ${diagnostics.length} error${diagnostics.length === 1 ? '' : 's'} in the cell; nothing was run.`];
  for (const d of diagnostics) {
    traceback.push(`${where(d)}: ${d.message}`);
    if (!d.fileName) traceback.push(sourceContext(source, d.line, d.column, 0));
  }
  return {
    ename: 'TypeScriptError',
    evalue: first ? `${where(first)}: ${first.message}` : 'type check failed',
    traceback,
  };
}

const TOKEN = /[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g;

function tokens(line: string): string[] {
  return line.match(TOKEN) ?? [];
}

/**
 * Maps a line of the JavaScript tslab ran back to the TypeScript cell: the cell line sharing
 * the most tokens with it (ties: the nearest). Returns 0 when nothing matches.
 */
export function mapJsLineToCell(js: string, jsLine: number, source: string): number {
  const target = tokens(js.split('\n')[jsLine - 1] ?? '');
  if (target.length === 0) return 0;
  const lines = source.split('\n');
  let best = 0;
  let bestScore = 0;
  lines.forEach((text, i) => {
    const have = new Set(tokens(text));
    let score = 0;
    for (const t of target) if (have.has(t)) score += t.length;
    const n = i + 1;
    if (score > bestScore || (score === bestScore && score > 0 && Math.abs(n - jsLine) < Math.abs(best - jsLine))) {
      best = n;
      bestScore = score;
    }
  });
  return best;
}

/** True for what tslab and Node throw when a cell is interrupted. */
export function isInterruptError(e: unknown): boolean {
  const msg = e instanceof Error ? e.message : String(e);
  return /Script execution was interrupted by `SIGINT`|Interrupted asynchronously/.test(msg);
}

/**
 * The `error` content for a value thrown by a cell. `js` is the JavaScript that ran (for line
 * mapping; its stack frames show as `evalmachine.<anonymous>:LINE:COL`).
 */
export function runtimeErrorContent(err: unknown, source: string, js?: string): ErrorContent {
  if (isInterruptError(err)) {
    return {
      ename: 'KeyboardInterrupt',
      evalue: 'the cell was interrupted; variables assigned before the interrupt are kept',
      traceback: [`${RED}KeyboardInterrupt${RESET}: the cell was interrupted`],
    };
  }
  const ename = err instanceof Error ? err.name || err.constructor.name : typeof err;
  const evalue = err instanceof Error ? err.message : inspect(err);
  const stack = err instanceof Error && typeof err.stack === 'string' ? err.stack.split('\n').filter((l) => /^\s+at /.test(l)) : [];
  const traceback = [`${RED}${ename}${RESET}: ${evalue}`];
  let cellLine = 0;
  for (const frame of stack) {
    const m = /evalmachine\.<anonymous>:(\d+):(\d+)/.exec(frame);
    if (m) {
      if (!cellLine && js) {
        cellLine = mapJsLineToCell(js, Number(m[1]), source);
        if (cellLine) {
          traceback.push(`Cell line ${cellLine}:`);
          traceback.push(sourceContext(source, cellLine));
        }
      }
      continue;
    }
    if (/node:internal|tslab[\\/]dist|kernel[\\/](server|main)\.[jt]s/.test(frame)) continue;
    if (!cellLine) traceback.push(frame.trim());
  }
  return { ename, evalue, traceback };
}
