/**
 * Runs a notebook's `.ts` twin headless, without Jupyter: `npm start` runs the flagship
 * notebook (02, WSN Table 1) this way. Quick mode is the default (TICKETLAB_NOTEBOOK_MODE=quick
 * unless set); the cells run in order in one scope with the notebook's folder as working
 * directory, the fastest backend is initialised first (as the kernel does), displays print as text (progress as lines on stderr), and at the end the recorded
 * markdown, tables and figures are written as one self-contained HTML report (plotly.js inlined
 * once) and the last table shown is printed again as the result.
 *
 * Usage: `tsx scripts/run-notebook-script.ts [NOTEBOOK.ts] [--report FILE] [--mode quick|paper]`
 * (defaults: notebooks/02-wsn-table1.ts, reports/main.html).
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { display } from '../kernel/display';
import { reportRecorder } from '../kernel/report-recorder';
import { formatBackendReport, initBackend } from '../src/backend/index';
import { renderReport } from '../src/viz/render-report';
import { headlessReport } from './notebooks/headless-report';
import { compileNotebookScript, sourceImportMap, type NotebookHooks } from './notebooks/notebook-script';

const ROOT = path.resolve(__dirname, '..');
const USAGE = 'Usage: tsx scripts/run-notebook-script.ts [NOTEBOOK.ts] [--report FILE] [--mode quick|paper]';

interface Args {
  notebook: string;
  report: string;
  mode: string;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    notebook: path.join(ROOT, 'notebooks', '02-wsn-table1.ts'),
    report: path.join(ROOT, 'reports', 'main.html'),
    mode: process.env.TICKETLAB_NOTEBOOK_MODE || 'quick',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value. ${USAGE}`);
      return v;
    };
    if (a === '--report') args.report = path.resolve(value());
    else if (a === '--mode') args.mode = value();
    else if (a === '--help' || a === '-h') throw new Error(USAGE);
    else if (!a.startsWith('--')) args.notebook = path.resolve(a);
    else throw new Error(`unknown argument "${a}". ${USAGE}`);
  }
  if (args.mode !== 'quick' && args.mode !== 'paper') throw new Error(`--mode must be quick or paper; got "${args.mode}".`);
  return args;
}

/** Loads the compiled script as a CommonJS module living in the notebook's folder. */
function loadScript(js: string, notebook: string): { __run(hooks: NotebookHooks): Promise<void> } {
  const filename = notebook.replace(/\.ts$/, '.script.js');
  const M = Module as unknown as { new (id: string, parent?: unknown): NodeModule & { _compile(code: string, file: string): void; paths: string[] }; _nodeModulePaths(dir: string): string[] };
  const mod = new M(filename, module);
  mod.filename = filename;
  mod.paths = M._nodeModulePaths(path.dirname(notebook));
  mod._compile(js, filename);
  return mod.exports as { __run(hooks: NotebookHooks): Promise<void> };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  process.env.TICKETLAB_NOTEBOOK_MODE = args.mode;
  const started = Date.now();
  const js = compileNotebookScript(fs.readFileSync(args.notebook, 'utf8'), args.notebook, sourceImportMap(ROOT));
  const recorder = reportRecorder();
  recorder.clear();
  const hooks: NotebookHooks = {
    markdown: (text) => {
      recorder.add({ kind: 'markdown', text });
      const heading = text.split('\n')[0];
      if (heading.startsWith('#')) console.log(`\n${heading}\n`);
    },
    cell: () => undefined,
    // A cell's last value is shown as the kernel shows it (undefined shows nothing).
    result: (value) => {
      if (value !== undefined) display(value);
    },
  };
  console.log(`${path.relative(ROOT, args.notebook)} (${args.mode} mode), headless`);
  // As the kernel does at start-up: notebooks assume the backend is ready.
  console.log(formatBackendReport(await initBackend()));
  const cwd = process.cwd();
  process.chdir(path.dirname(args.notebook));
  try {
    await loadScript(js, args.notebook).__run(hooks);
  } finally {
    process.chdir(cwd);
  }
  const items = recorder.items();
  const report = headlessReport(items, path.basename(args.notebook, '.ts'));
  fs.mkdirSync(path.dirname(args.report), { recursive: true });
  fs.writeFileSync(args.report, renderReport(report));
  const tables = items.filter((item) => item.kind === 'table');
  const figures = items.filter((item) => item.kind === 'figure').length;
  if (tables.length) console.log(`\nResult table:\n\n${tables[tables.length - 1].text}`);
  console.log(`\nReport: ${path.relative(cwd, args.report)} (${report.sections.length} sections, ${tables.length} tables, ${figures} figures; total ${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

main().catch((error: Error) => {
  console.error(error.stack ?? `${error.name}: ${error.message}`);
  process.exitCode = 1;
});
