/**
 * Registers (or removes) the "TicketLab (TypeScript)" Jupyter kernelspec.
 *
 *   npx tsx kernel/install.ts [--user | --prefix P | --kernels-dir D] [--name N] [--uninstall] [--no-build]
 *
 * Default is --user (JUPYTER_DATA_DIR or ~/.local/share/jupyter). The kernelspec runs this
 * repository's node and build (absolute paths; no global install). Installing also builds the
 * kernel (tsc -p kernel/tsconfig.json) and links node_modules/ticketlab to the repository so
 * cells can `import ... from 'ticketlab'` and `'ticketlab/kernel'` with type checking.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawnSync } from 'child_process';
import { findRepoRoot } from './module-alias';

/** Parsed command line of the installer. */
export interface InstallOptions {
  kernelsDir: string;
  name: string;
  uninstall: boolean;
  build: boolean;
}

/** Default per-user Jupyter data directory (what `jupyter --data-dir` prints on Linux/macOS). */
export function userDataDir(): string {
  if (process.env['JUPYTER_DATA_DIR']) return process.env['JUPYTER_DATA_DIR'];
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Jupyter');
  if (process.platform === 'win32') return path.join(process.env['APPDATA'] ?? os.homedir(), 'jupyter');
  return path.join(process.env['XDG_DATA_HOME'] ?? path.join(os.homedir(), '.local', 'share'), 'jupyter');
}

/** Parses installer arguments. */
export function parseInstallArgs(argv: string[]): InstallOptions {
  let kernelsDir = path.join(userDataDir(), 'kernels');
  let name = 'ticketlab';
  let uninstall = false;
  let build = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--user') kernelsDir = path.join(userDataDir(), 'kernels');
    else if (a === '--prefix') kernelsDir = path.join(path.resolve(argv[++i]), 'share', 'jupyter', 'kernels');
    else if (a === '--kernels-dir') kernelsDir = path.resolve(argv[++i]);
    else if (a === '--name') name = argv[++i];
    else if (a === '--uninstall') uninstall = true;
    else if (a === '--no-build') build = false;
    else throw new Error(`install: unknown argument "${a}". Use --user, --prefix P, --kernels-dir D, --name N, --uninstall or --no-build.`);
  }
  if (!/^[a-z0-9._-]+$/i.test(name)) throw new Error(`install: --name must be letters, digits, ".", "_" or "-"; got "${name}".`);
  return { kernelsDir, name, uninstall, build };
}

/** The kernel.json for this repository. */
export function kernelSpec(root: string): Record<string, unknown> {
  return {
    // require(esm) (Arquero 8) warns on Node 20; keep that warning out of cell outputs.
    argv: [process.execPath, '--no-warnings=ExperimentalWarning', path.join(root, 'dist', 'kernel', 'main.js'), '--config-path', '{connection_file}'],
    display_name: 'TicketLab (TypeScript)',
    language: 'typescript',
    interrupt_mode: 'signal',
    metadata: { ticketlab: { root } },
  };
}

/** Makes node_modules/ticketlab point at the repository (for type checking in cells). */
export function linkPackage(root: string): string {
  const link = path.join(root, 'node_modules', 'ticketlab');
  let existing: string | null = null;
  try {
    existing = fs.readlinkSync(link);
  } catch {
    existing = fs.existsSync(link) ? 'not a link' : null;
  }
  if (existing === null) {
    fs.symlinkSync('..', link, 'dir');
    return `linked ${link} -> ..`;
  }
  return `kept ${link} (${existing})`;
}

/** Builds the kernel with the repository's TypeScript. */
export function buildKernel(root: string): void {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'kernel', 'tsconfig.json')], { stdio: 'inherit' });
  if (!fs.existsSync(path.join(root, 'dist', 'kernel', 'main.js'))) {
    throw new Error(`install: building the kernel failed (tsc exit ${r.status}); see the errors above.`);
  }
}

/** Installs or uninstalls; returns what was done, line by line. */
export function install(options: InstallOptions, root: string = findRepoRoot()): string[] {
  const dir = path.join(options.kernelsDir, options.name);
  if (options.uninstall) {
    if (!fs.existsSync(dir)) return [`no kernelspec at ${dir}; nothing to remove`];
    fs.rmSync(dir, { recursive: true, force: true });
    return [`removed ${dir}`];
  }
  const done: string[] = [];
  if (options.build) {
    buildKernel(root);
    done.push('built dist/kernel');
  }
  done.push(linkPackage(root));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify(kernelSpec(root), null, 2) + '\n');
  done.push(`installed kernelspec "${options.name}" (TicketLab (TypeScript)) in ${dir}`);
  return done;
}

if (require.main === module) {
  try {
    for (const line of install(parseInstallArgs(process.argv.slice(2)))) console.log(line);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
