/**
 * Builds the offline GPU bundle (docs/gpu.md): everything a GPU machine with no internet and no
 * Node needs to run TicketLab's GPU benchmark in one command, in one folder of at most 64 MiB
 * (the device tool's carry limit).
 *
 *   <out>/gpu-bench.js      scripts/gpu-bundle/gpu-bench.ts and all of TicketLab + tfjs, one file (esbuild)
 *   <out>/*.wasm            tfjs-backend-wasm binaries (the CPU comparison run; the fallback)
 *   <out>/node_modules/     what the bundle loads at run time by path: webgpu's index.js and
 *                           tfjs-backend-wasm's thread scripts
 *   <out>/dawn.node.xz      Dawn for linux-x64 (webgpu 0.6.2), xz -9; run.sh unpacks it into node_modules/webgpu
 *   <out>/node.xz           this machine's Node binary, xz -9
 *   <out>/debs/             the Vulkan loader (libvulkan1, amd64) from apt
 *   <out>/pytorch_*.py      the PyTorch CPU reference and its CUDA runner
 *   <out>/run.sh            unpacks, sets up Vulkan, runs everything, writes JSON to $OUT
 *
 *   npx tsx scripts/gpu-bundle/build.ts [--out=.gpu-bundle] [--no-node] [--no-debs]
 *
 * node.xz, dawn.node.xz and debs/ are reused when already there for the same Node binary / package list.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The device tool's limit on what travels with a call. */
export const BUNDLE_LIMIT_BYTES = 64 * 1024 * 1024;
/** apt packages of the Vulkan loader (the NVIDIA driver brings its own ICD). */
export const VULKAN_DEBS = ['libvulkan1'];

/** Options of {@link buildGpuBundle}. */
export interface BuildOptions {
  /** Output folder. Default `.gpu-bundle` in the repository root. */
  readonly outDir?: string;
  /** Pack this machine's Node binary. Default true. */
  readonly node?: boolean;
  /** Download the Vulkan loader .debs with apt-get. Default true. */
  readonly debs?: boolean;
}

/** What was built: files and sizes in bytes. */
export interface BuildResult {
  readonly outDir: string;
  readonly files: Readonly<Record<string, number>>;
  readonly totalBytes: number;
}

const ROOT = path.resolve(__dirname, '..', '..');

function _copy(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

function _bundleJs(outDir: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  esbuild.buildSync({
    entryPoints: [path.join(ROOT, 'scripts', 'gpu-bundle', 'gpu-bench.ts')],
    outfile: path.join(outDir, 'gpu-bench.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    logLevel: 'error',
    // Loaded by path at run time: Dawn's native addon (shipped beside the bundle) and the
    // optional libtensorflow packages (absent: their probes report "not installed").
    external: ['webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
  });
}

function _runtimeFiles(outDir: string): void {
  const wasmDir = path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm');
  for (const f of fs.readdirSync(path.join(wasmDir, 'dist')).filter((f) => f.endsWith('.wasm'))) {
    _copy(path.join(wasmDir, 'dist', f), path.join(outDir, f));
  }
  const wasmOut = path.join(outDir, 'node_modules', '@tensorflow', 'tfjs-backend-wasm');
  _copy(path.join(wasmDir, 'package.json'), path.join(wasmOut, 'package.json'));
  for (const f of ['tfjs-backend-wasm-threaded-simd.js', 'tfjs-backend-wasm-threaded-simd.worker.js']) {
    _copy(path.join(wasmDir, 'wasm-out', f), path.join(wasmOut, 'wasm-out', f));
  }
  const webgpu = path.join(ROOT, 'node_modules', 'webgpu');
  const webgpuOut = path.join(outDir, 'node_modules', 'webgpu');
  for (const f of ['package.json', 'index.js', 'LICENSE']) {
    if (fs.existsSync(path.join(webgpu, f))) _copy(path.join(webgpu, f), path.join(webgpuOut, f));
  }
  // dawn.node (21 MB) travels xz-compressed too; run.sh unpacks it beside index.js.
  _xzCached(path.join(webgpu, 'dist', 'linux-x64', 'dawn.node'), path.join(outDir, 'dawn.node.xz'));
  for (const [from, to] of [
    ['bench/pytorch_reference.py', 'pytorch_reference.py'],
    ['scripts/gpu-bundle/pytorch_cuda.py', 'pytorch_cuda.py'],
    ['scripts/gpu-bundle/run.sh', 'run.sh'],
  ]) {
    _copy(path.join(ROOT, from), path.join(outDir, to));
  }
  fs.chmodSync(path.join(outDir, 'run.sh'), 0o755);
}

/** `xz -9` of `source` into `target`, skipped when a stamp says the same source was packed. */
function _xzCached(source: string, target: string): void {
  const stat = fs.statSync(source);
  const stamp = `${source} ${stat.size} ${stat.mtimeMs}`;
  const stampFile = `${target}.stamp`;
  if (fs.existsSync(target) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) return;
  fs.rmSync(target, { force: true });
  execFileSync('sh', ['-c', 'xz -9 -T0 -c "$1" > "$2.tmp" && mv "$2.tmp" "$2"', 'sh', source, target], { stdio: 'inherit' });
  fs.writeFileSync(stampFile, stamp);
}

function _packNode(outDir: string): void {
  _xzCached(process.execPath, path.join(outDir, 'node.xz'));
}

function _downloadDebs(outDir: string): void {
  const debs = path.join(outDir, 'debs');
  const stampFile = path.join(debs, 'packages.stamp');
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === VULKAN_DEBS.join(' ')) return;
  fs.rmSync(debs, { recursive: true, force: true });
  fs.mkdirSync(debs, { recursive: true });
  // amd64 lists of their own, so this works on any host architecture (device README recipe).
  const lists = '/tmp/ticketlab-apt-amd64';
  fs.mkdirSync(path.join(lists, 'partial'), { recursive: true });
  const o = ['-oAPT::Architecture=amd64', '-oAPT::Architectures=amd64', `-oDir::State::Lists=${lists}`];
  execFileSync('apt-get', [...o, '-qq', 'update'], { stdio: 'inherit' });
  execFileSync('apt-get', [...o, '-qq', 'download', ...VULKAN_DEBS], { cwd: debs, stdio: 'inherit' });
  fs.writeFileSync(stampFile, VULKAN_DEBS.join(' '));
}

function _sizes(dir: string, prefix = ''): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, e.name);
    if (e.isDirectory()) Object.assign(out, _sizes(path.join(dir, e.name), rel));
    else out[rel] = fs.statSync(path.join(dir, e.name)).size;
  }
  return out;
}

/**
 * Builds the bundle into `outDir` and checks it fits the 64 MiB carry limit.
 * @throws Error when the bundle is larger than {@link BUNDLE_LIMIT_BYTES}
 */
export function buildGpuBundle(options: BuildOptions = {}): BuildResult {
  const outDir = path.resolve(options.outDir ?? path.join(ROOT, '.gpu-bundle'));
  fs.mkdirSync(outDir, { recursive: true });
  fs.rmSync(path.join(outDir, 'out'), { recursive: true, force: true });
  _bundleJs(outDir);
  _runtimeFiles(outDir);
  if (options.node !== false) _packNode(outDir);
  if (options.debs !== false) _downloadDebs(outDir);
  const files = _sizes(outDir);
  const totalBytes = Object.values(files).reduce((a, b) => a + b, 0);
  fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify({ node: process.version, totalBytes, files }, null, 1));
  if (totalBytes > BUNDLE_LIMIT_BYTES) {
    throw new Error(`gpu-bundle: ${outDir} holds ${(totalBytes / 2 ** 20).toFixed(1)} MiB; the device tool carries at most 64 MiB.`);
  }
  return { outDir, files, totalBytes };
}

if (require.main === module) {
  const flags = new Set(process.argv.slice(2));
  const outArg = process.argv.slice(2).find((a) => a.startsWith('--out='));
  const result = buildGpuBundle({ outDir: outArg?.slice(6), node: !flags.has('--no-node'), debs: !flags.has('--no-debs') });
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(2)} MiB`;
  for (const [f, b] of Object.entries(result.files).sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`${mib(b).padStart(11)}  ${f}`);
  console.log(`gpu-bundle: ${result.outDir}, ${mib(result.totalBytes)} in all (limit 64 MiB)`);
}
