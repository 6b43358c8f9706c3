/**
 * Makes `import ... from 'ticketlab'` and `'ticketlab/kernel'` resolve at run time in cells,
 * wherever the notebook lives: both map to this repository's build, and `ticketlab/kernel`
 * maps to the very module instance the kernel server uses (one comm registry, one display
 * writer). Type checking resolves the same names through `node_modules/ticketlab` (a link to
 * the repository made by kernel/install.ts) and kernel/package.json.
 */
import Module from 'module';
import path from 'path';
import fs from 'fs';

/** The repository root: the nearest ancestor of `from` whose package.json is named ticketlab. */
export function findRepoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'ticketlab') return dir;
      } catch {
        // unreadable package.json: keep walking up
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`findRepoRoot: no package.json named "ticketlab" above ${from}.`);
  }
}

type Resolve = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;

/** Installs the run-time aliases (idempotent). */
export function installModuleAliases(apiFile: string, repoRoot: string = findRepoRoot()): void {
  const M = Module as unknown as { _resolveFilename: Resolve & { ticketlab?: boolean } };
  if (M._resolveFilename.ticketlab) return;
  const original = M._resolveFilename;
  const main = path.join(repoRoot, 'dist', 'src', 'index.js');
  const patched: Resolve & { ticketlab?: boolean } = function (this: unknown, request, parent, isMain, options) {
    if (request === 'ticketlab/kernel') return apiFile;
    if (request === 'ticketlab' && fs.existsSync(main)) return main;
    return original.call(this, request, parent, isMain, options);
  };
  patched.ticketlab = true;
  M._resolveFilename = patched;
}
