/**
 * Runs notebooks headless through Jupyter with the TicketLab kernel and exports them to HTML.
 *
 *   npx tsx scripts/notebooks/run.ts [--mode quick|paper] [--timeout S] [--out DIR] [--no-build] [notebooks/NN-topic.ipynb ...]
 *
 * Without files: every notebooks/*.ipynb. Steps: check that each notebook matches its .ts twin;
 * rebuild dist/ when a source under src/ or kernel/ is newer (`tsc -p tsconfig.build.json`);
 * install the kernelspec into a temporary JUPYTER_PATH (nothing global); execute each notebook
 * with nbclient (scripts/notebooks/execute.py, Debian's /usr/bin/python3) with
 * TICKETLAB_NOTEBOOK_MODE set; write `OUT/NN-topic.ipynb` (with outputs) and `OUT/NN-topic.html`.
 * Exits 1 when any cell produced an error output.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { install } from '../../kernel/install';
import { findRepoRoot } from '../../kernel/module-alias';
import { checkPair, pairOf } from './pair';

/** Debian's Python with nbclient and nbconvert (the pyenv python on PATH lacks Jupyter). */
export const PYTHON = process.env['TICKETLAB_PYTHON'] ?? '/usr/bin/python3';

/** Notebook modes: `quick` (tiny config, CI) or `paper` (the notebook's full config). */
export type NotebookMode = 'quick' | 'paper';

/** Options of {@link runNotebook}. */
export interface RunNotebookOptions {
  readonly mode: NotebookMode;
  /** Seconds per cell. */
  readonly timeoutSeconds: number;
  /** Folder for the executed .ipynb and the .html. */
  readonly outDir: string;
  /** JUPYTER_PATH entry holding the ticketlab kernelspec (from {@link installTempKernel}). */
  readonly jupyterPath: string;
}

/** What {@link runNotebook} did. */
export interface RunNotebookResult {
  readonly notebook: string;
  readonly ok: boolean;
  readonly seconds: number;
  readonly executed: string;
  readonly html: string;
  /** execute.py's stdout and stderr. */
  readonly log: string;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Rebuilds dist/ (library and kernel) when it is missing or older than a source file.
 * Type errors elsewhere do not stop the build (tsc still emits); only missing outputs do.
 * @returns what was done, in words
 * @throws Error when the build produced no dist/src/index.js or dist/kernel/main.js
 */
export function ensureBuild(root: string = findRepoRoot(__dirname)): string {
  const outputs = ['dist/src/index.js', 'dist/kernel/main.js'].map((f) => path.join(root, f));
  const built = Math.min(...outputs.map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0)));
  const sources = Math.max(newestMtime(path.join(root, 'src')), newestMtime(path.join(root, 'kernel')));
  if (built > sources) return 'dist/ is up to date';
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { encoding: 'utf8', cwd: root });
  const missing = outputs.filter((f) => !fs.existsSync(f));
  if (missing.length) throw new Error(`run: the build produced no ${missing.join(', ')}:\n${(tsc.stdout + tsc.stderr).slice(-3000)}`);
  return tsc.status === 0 ? 'rebuilt dist/' : `rebuilt dist/ with type errors (tsc exit ${tsc.status}); running anyway`;
}

/**
 * Installs the ticketlab kernelspec into a fresh temporary folder.
 * @returns the JUPYTER_PATH entry to pass to Jupyter and a cleanup function
 */
export function installTempKernel(root: string = findRepoRoot(__dirname)): { jupyterPath: string; cleanup: () => void } {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketlab-notebooks-'));
  const jupyterPath = path.join(prefix, 'share', 'jupyter');
  install({ kernelsDir: path.join(jupyterPath, 'kernels'), name: 'ticketlab', uninstall: false, build: false }, root);
  return { jupyterPath, cleanup: () => fs.rmSync(prefix, { recursive: true, force: true }) };
}

/** The environment Jupyter and the kernel run in: the temp kernelspec first, the notebook mode. */
export function jupyterEnv(jupyterPath: string, mode: NotebookMode): NodeJS.ProcessEnv {
  const existing = process.env['JUPYTER_PATH'];
  return {
    ...process.env,
    JUPYTER_PATH: existing ? `${jupyterPath}${path.delimiter}${existing}` : jupyterPath,
    TICKETLAB_NOTEBOOK_MODE: mode,
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
  };
}

/** Executes one notebook with nbclient and exports it to HTML. */
export function runNotebook(notebook: string, options: RunNotebookOptions): RunNotebookResult {
  const name = path.basename(notebook, '.ipynb');
  const executed = path.join(options.outDir, `${name}.ipynb`);
  const html = path.join(options.outDir, `${name}.html`);
  const started = Date.now();
  const r = spawnSync(
    PYTHON,
    [path.join(__dirname, 'execute.py'), notebook, '--kernel', 'ticketlab', '--timeout', String(options.timeoutSeconds), '--out-ipynb', executed, '--out-html', html],
    { encoding: 'utf8', env: jupyterEnv(options.jupyterPath, options.mode), maxBuffer: 512 * 1024 * 1024 },
  );
  const log = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`;
  return { notebook, ok: r.status === 0, seconds: (Date.now() - started) / 1000, executed, html, log };
}

/** Parsed command line of the runner. */
export interface RunArgs {
  readonly mode: NotebookMode;
  readonly timeoutSeconds: number;
  readonly outDir: string;
  readonly build: boolean;
  readonly files: readonly string[];
}

/** Parses the runner's arguments. @throws Error on an unknown flag or a bad value */
export function parseRunArgs(argv: readonly string[], root: string): RunArgs {
  let mode: NotebookMode = 'quick';
  let timeoutSeconds = 600;
  let outDir = path.join(root, 'artifacts', 'notebooks');
  let build = true;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2) as [string, string | undefined];
    const value = (): string => inline ?? argv[++i] ?? '';
    if (flag === '--mode') {
      const v = value();
      if (v !== 'quick' && v !== 'paper') throw new Error(`run: --mode must be quick or paper; got ${JSON.stringify(v)}.`);
      mode = v;
    } else if (flag === '--quick') mode = 'quick';
    else if (flag === '--paper') mode = 'paper';
    else if (flag === '--timeout') {
      timeoutSeconds = Number(value());
      if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0) throw new Error('run: --timeout must be a whole number of seconds > 0.');
    } else if (flag === '--out') outDir = path.resolve(value());
    else if (flag === '--no-build') build = false;
    else if (flag.startsWith('-')) throw new Error(`run: unknown flag "${flag}". Flags: --mode quick|paper, --timeout S, --out DIR, --no-build.`);
    else files.push(path.resolve(argv[i]));
  }
  if (files.length === 0) {
    const dir = path.join(root, 'notebooks');
    files.push(...fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(dir, f)));
  }
  return { mode, timeoutSeconds, outDir, build, files: files.map((f) => f.replace(/\.ts$/, '.ipynb')) };
}

/** The CLI: check twins, build, install, run every notebook; returns the exit code. */
export function main(argv: readonly string[]): number {
  const root = findRepoRoot(__dirname);
  const args = parseRunArgs(argv, root);
  const drift = args.files.map((f) => checkPair(pairOf(f))).filter((r) => r.status !== 'ok');
  if (drift.length) {
    for (const r of drift) console.error(r.message);
    return 1;
  }
  if (args.build) console.log(`run: ${ensureBuild(root)}`);
  const kernel = installTempKernel(root);
  let failed = 0;
  try {
    for (const file of args.files) {
      const r = runNotebook(file, { mode: args.mode, timeoutSeconds: args.timeoutSeconds, outDir: args.outDir, jupyterPath: kernel.jupyterPath });
      console.log(`run: ${path.relative(root, file)} (${args.mode}): ${r.ok ? 'ok' : 'FAILED'} in ${r.seconds.toFixed(1)} s -> ${path.relative(root, r.html)}`);
      if (!r.ok) {
        failed++;
        console.error(r.log.trim());
      }
    }
  } finally {
    kernel.cleanup();
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  try {
    process.exit(main(process.argv.slice(2)));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }
}
