/**
 * Multi-threaded wasm under Node: a shim around `@tensorflow/tfjs-backend-wasm` 4.22.
 *
 * Stock tfjs turns threads off under Node (tfjs issue #3830): its flag
 * `WASM_HAS_MULTITHREAD_SUPPORT` is false there, and forcing it on fails because Emscripten's
 * pthread workers are created from `blob:` URLs, which `worker_threads` refuses. The C++ side
 * then sizes its XNNPACK pool once, at module start, as `min(max(cores / 2, 1), 4)` where
 * `cores = os.cpus().length` (it assumes two hyper-threads per core), and ignores
 * `setThreadsCount`. This shim, active only while the wasm module initialises:
 * 1. writes the pthread worker script to a temp file and makes Emscripten's `new Worker(blob:)`
 *    load that file instead, and hands each worker the threaded module's own file (not a blob);
 * 2. reports `2 × threads` logical cores so that the pool gets the thread count asked for.
 * The caller reads the real count back with `getThreadsCount()`: never assume it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker as NodeWorker, type WorkerOptions } from 'worker_threads';

/** Files the shim needs from the installed tfjs-backend-wasm package. */
interface WasmThreadFiles {
  /** The Emscripten pthread worker script, written to a temp file. */
  workerScript: string;
  /** The threaded-SIMD Emscripten module, evaluated by each worker. */
  mainScript: string;
}

let files: WasmThreadFiles | null = null;

function _threadFiles(): WasmThreadFiles {
  if (files !== null) return files;
  const pkgDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const mainScript = path.join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { wasmWorkerContents } = require(
    path.join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js'),
  ) as { wasmWorkerContents: string };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketlab-wasm-'));
  const workerScript = path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js');
  // tfjs escapes the newlines of "\n" string literals before it makes its blob; so do we.
  fs.writeFileSync(workerScript, wasmWorkerContents.replace(/\n/g, '\\n'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  files = { workerScript, mainScript };
  return files;
}

/**
 * Runs `init` (which must initialise the wasm backend) with the thread shim installed, then
 * removes the patched `os.cpus`. `global.Worker` stays the file-backed class, as Emscripten
 * itself would leave it, so pthreads made later load the temp file too.
 *
 * @param threads wanted XNNPACK threads, 1–4 (the C++ pool's own cap)
 * @param init initialises the wasm backend, e.g. `() => tf.setBackend('wasm')`
 * @returns what `init` returned
 */
export async function _withWasmThreads<T>(threads: number, init: () => Promise<T>): Promise<T> {
  const { workerScript, mainScript } = _threadFiles();
  class FileWorker extends NodeWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      const file = String(url).startsWith('blob:') ? workerScript : url;
      // Workers run plain CommonJS: no loaders (tsx) from the parent's execArgv.
      super(file, { ...options, execArgv: [] });
    }
    override postMessage(message: unknown, transfer?: readonly never[]): void {
      const msg = message as { cmd?: string; urlOrBlob?: unknown } | null;
      if (msg?.cmd === 'load' && typeof msg.urlOrBlob !== 'string') {
        message = { ...msg, urlOrBlob: mainScript };
      }
      super.postMessage(message, transfer);
    }
  }
  // Emscripten assigns global.Worker = worker_threads.Worker at module start; keep ours.
  const workerDescriptor = Object.getOwnPropertyDescriptor(globalThis, 'Worker');
  Object.defineProperty(globalThis, 'Worker', {
    configurable: true,
    get: () => FileWorker,
    set: () => undefined,
  });
  // The bundle calls require('os').cpus(): patch the shared module object, not an import copy.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeOs = require('os') as typeof os;
  const realCpus = nodeOs.cpus;
  nodeOs.cpus = () => {
    const one = realCpus();
    return Array.from({ length: 2 * threads }, (_, i) => one[i % Math.max(one.length, 1)]);
  };
  try {
    return await init();
  } finally {
    nodeOs.cpus = realCpus;
    // Emscripten leaves global.Worker set for pthreads made later; leave ours, as writable.
    Object.defineProperty(globalThis, 'Worker', {
      configurable: true,
      writable: true,
      value: workerDescriptor?.value ?? FileWorker,
    });
  }
}

/**
 * Lets Node exit while the XNNPACK pool threads idle: Emscripten refs each worker that runs a
 * pthread, and pool threads never end, so without this a script never exits. The pool only works
 * while the main thread waits on it inside a kernel, so unref'd workers lose nothing.
 */
export function _unrefWasmWorkers(backend: unknown): void {
  const pthread = (backend as { wasm?: { PThread?: { unusedWorkers?: NodeWorker[]; runningWorkers?: NodeWorker[] } } })
    .wasm?.PThread;
  for (const worker of [...(pthread?.unusedWorkers ?? []), ...(pthread?.runningWorkers ?? [])]) worker.unref();
}
