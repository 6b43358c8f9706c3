/**
 * Host threads: a small persistent pool of `worker_threads` that run a JavaScript pass over a
 * range of shared memory together with the main thread, synchronously, or a WebAssembly export
 * over the shared wasm heap ({@link runWasmParts}: the fused kernels on large arrays). It exists for the
 * host-side passes inside training steps (e.g. top-c selection over 20 M scores), which read and
 * write the wasm heap directly: with the threaded wasm build that heap is a SharedArrayBuffer, so
 * the other cores (idle while the main thread is in JavaScript) can take their share of it.
 *
 * A pass is a {@link RangeKernel}: a self-contained function (no free variables, no imports),
 * since each worker compiles it from its source text. `runSplit` cuts [0, n) into contiguous
 * parts, hands parts 1… to the workers (a message each), runs part 0 itself, then blocks on
 * `Atomics.wait` until every worker has stored its result. Each part gets its own scratch array
 * for what it returns (counts, collected entries), in range order, so callers can merge the parts
 * into exactly what one serial pass over [0, n) gives. Arrays that are not all views of
 * SharedArrayBuffers, short ranges and one-core machines run serially on the main thread.
 *
 * Workers are created on first use, evaluated from plain JavaScript (no loaders), and unref'd:
 * they never keep a process alive, and they hold nothing between passes but their compiled
 * kernels and their scratch memory.
 */
import * as os from 'os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'worker_threads';
import { TicketLabError } from '../errors';

/**
 * A pass over the index range [start, end) of `arrays` (int32 views of float32 or int32 data).
 * `params` are its scalar arguments; `scratch` is this part's own result array. Must be
 * self-contained: workers compile it from `kernel.toString()`.
 */
export type RangeKernel = (
  arrays: Int32Array[],
  params: readonly number[],
  start: number,
  end: number,
  scratch: Int32Array,
) => void;

/** A worker gave no answer in this long: it is considered dead (a pass takes milliseconds). */
const WAIT_LIMIT_MS = 30_000;

/** Parts start at multiples of this many elements, so two threads never write one cache line. */
const PART_ALIGN = 1024;

/** The worker program: compiles kernels it is sent, runs one part per message, signals done. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const { control, slot, errors } = workerData;
const kernels = new Map();
const modules = new Map();
let scratch = null;
parentPort.on('message', (job) => {
  try {
    if (job.module !== undefined) {
      if (job.binary !== undefined) {
        modules.set(job.module, new WebAssembly.Instance(new WebAssembly.Module(job.binary), { env: { memory: job.memory } }).exports);
      }
      modules.get(job.module)[job.name](...job.params);
      Atomics.store(control, slot, 1);
      Atomics.notify(control, slot);
      return;
    }
    if (job.source !== undefined) kernels.set(job.name, new Function('return (' + job.source + ')')());
    if (job.scratch !== undefined) scratch = job.scratch;
    const arrays = job.views.map((v) => new Int32Array(v[0], v[1], v[2]));
    kernels.get(job.name)(arrays, job.params, job.start, job.end, new Int32Array(scratch, 0, job.scratchLength));
    Atomics.store(control, slot, 1);
  } catch (e) {
    errors.postMessage(String((e && e.stack) || e));
    Atomics.store(control, slot, 2);
  }
  Atomics.notify(control, slot);
});
`;

interface Helper {
  readonly worker: Worker;
  /** Its int32 in the pool's control array. */
  readonly slot: number;
  /** False once the worker has exited (it is then skipped). */
  alive: boolean;
  readonly errors: MessagePort;
  /** Kernels (and wasm modules, as `module:<id>`) this worker has compiled. */
  readonly kernels: Set<string>;
  scratch: SharedArrayBuffer | null;
}

interface Pool {
  readonly helpers: Helper[];
  /** One int32 per helper: 0 = running, 1 = done, 2 = failed. */
  readonly control: Int32Array;
}

let pool: Pool | null = null;
/** Part 0's scratch (the main thread's). */
let mainScratch = new Int32Array(0);
/** Kernel ids by function, so a worker compiles each kernel once. */
const kernelIds = new WeakMap<RangeKernel, string>();
let kernelCount = 0;

/** Helper threads the pool uses besides the main thread: cores − 1, at most 3. */
export function hostHelperCount(): number {
  return Math.max(0, Math.min(os.availableParallelism(), 4) - 1);
}

function _pool(): Pool {
  if (pool !== null) return pool;
  const count = hostHelperCount();
  const control = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, count)));
  const helpers: Helper[] = [];
  for (let slot = 0; slot < count; slot++) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [], // plain JavaScript: no loaders (tsx) from the parent's flags
      workerData: { control, slot, errors: port2 },
      transferList: [port2],
    });
    worker.unref();
    port1.unref();
    const helper: Helper = { worker, slot, alive: true, errors: port1, kernels: new Set(), scratch: null };
    worker.once('exit', () => (helper.alive = false));
    helpers.push(helper);
  }
  pool = { helpers, control };
  return pool;
}

/**
 * A compiled WebAssembly module over a shared memory, whose exports the host threads can run:
 * each worker instantiates it once (its own instance, the same memory).
 */
export interface SharedWasmProgram {
  /** Unique per program (a worker instantiates each id once). */
  readonly id: string;
  readonly binary: Uint8Array;
  /** A shared memory (its buffer a SharedArrayBuffer): the module's `env.memory` import. */
  readonly memory: WebAssembly.Memory;
  /** The main thread's own instance's exports. */
  readonly exports: Record<string, unknown>;
}

/**
 * Runs the export `name` of `program` once per argument list, in parallel: `parts[0]` on the
 * main thread, the others on the host threads (one each; the caller makes at most
 * {@link hostHelperCount} + 1 parts, over disjoint memory). Blocks until every part is done.
 * With no live helper every part runs on the main thread, in order.
 * @throws TicketLabError when a worker fails or does not answer
 */
export function runWasmParts(program: SharedWasmProgram, name: string, parts: readonly (readonly number[])[]): void {
  const run = program.exports[name] as (...args: number[]) => void;
  const current = parts.length > 1 ? _pool() : null;
  const helpers = (current?.helpers.filter((h) => h.alive) ?? []).slice(0, parts.length - 1);
  if (current === null || helpers.length < parts.length - 1) {
    for (const args of parts) run(...args);
    return;
  }
  const key = `module:${program.id}`;
  helpers.forEach((helper, h) => {
    const job: Record<string, unknown> = { module: program.id, name, params: parts[h + 1] };
    if (!helper.kernels.has(key)) {
      job.binary = program.binary;
      job.memory = program.memory;
      helper.kernels.add(key);
    }
    Atomics.store(current.control, helper.slot, 0);
    helper.worker.postMessage(job);
  });
  run(...parts[0]);
  _awaitHelpers(current, helpers, name);
}

/** Blocks until every helper has stored its result for the current job. */
function _awaitHelpers(current: Pool, helpers: readonly Helper[], what: string): void {
  helpers.forEach((helper, h) => {
    if (Atomics.wait(current.control, helper.slot, 0, WAIT_LIMIT_MS) === 'timed-out') {
      throw new TicketLabError(`host thread ${h + 1} gave no answer in ${WAIT_LIMIT_MS / 1000} s running ${what}.`);
    }
    if (Atomics.load(current.control, helper.slot) === 2) {
      const why = receiveMessageOnPort(helper.errors)?.message ?? 'unknown error';
      throw new TicketLabError(`host thread ${h + 1} failed running ${what}: ${why}`);
    }
  });
}

function _kernelId(kernel: RangeKernel): string {
  let id = kernelIds.get(kernel);
  if (id === undefined) {
    id = `${kernel.name}#${kernelCount++}`;
    kernelIds.set(kernel, id);
  }
  return id;
}


/**
 * Runs `kernel` over [0, n) where n is the length of `arrays[0]`: split over the host threads
 * when every array views a SharedArrayBuffer and n ≥ `minLength`, else on the main thread
 * alone. Blocks until every part is done.
 * @param arrays the kernel's arrays (workers get views of the same shared memory)
 * @param params the kernel's scalar arguments, the same for every part
 * @param scratchLength length of each part's scratch array
 * @param minLength shortest range worth splitting (thread hand-off costs tens of microseconds)
 * @returns each part's scratch array, in range order; valid until the next call
 * @throws TicketLabError when a worker fails or does not answer
 * @example
 * ```ts
 * const parts = runSplit(countNegative, [bits], [], 1, 1 << 20);
 * const total = parts.reduce((sum, p) => sum + p[0], 0);
 * ```
 */
export function runSplit(
  kernel: RangeKernel,
  arrays: Int32Array[],
  params: readonly number[],
  scratchLength: number,
  minLength: number,
): Int32Array[] {
  const n = arrays[0].length;
  const shared = arrays.every((a) => a.buffer instanceof SharedArrayBuffer);
  const split = shared && n >= minLength && n >= 2 * PART_ALIGN && hostHelperCount() > 0;
  const current = split ? _pool() : null;
  const helpers = current?.helpers.filter((h) => h.alive) ?? [];
  if (mainScratch.length < scratchLength) mainScratch = new Int32Array(scratchLength);
  const ownScratch = mainScratch.subarray(0, scratchLength);
  if (current === null || helpers.length === 0) {
    kernel(arrays, params, 0, n, ownScratch);
    return [ownScratch];
  }
  const step = Math.ceil(n / (helpers.length + 1) / PART_ALIGN) * PART_ALIGN;
  const name = _kernelId(kernel);
  const views = arrays.map((a) => [a.buffer, a.byteOffset, a.length]);
  const scratches: Int32Array[] = [ownScratch];
  helpers.forEach((helper, h) => {
    const start = Math.min(n, (h + 1) * step);
    const end = Math.min(n, start + step);
    const job: Record<string, unknown> = { name, views, params, start, end, scratchLength };
    if (!helper.kernels.has(name)) {
      job.source = kernel.toString();
      helper.kernels.add(name);
    }
    if (helper.scratch === null || helper.scratch.byteLength < 4 * scratchLength) {
      job.scratch = helper.scratch = new SharedArrayBuffer(4 * scratchLength);
    }
    scratches.push(new Int32Array(helper.scratch, 0, scratchLength));
    Atomics.store(current.control, helper.slot, 0);
    helper.worker.postMessage(job);
  });
  kernel(arrays, params, 0, Math.min(n, step), ownScratch);
  _awaitHelpers(current, helpers, `runSplit ${kernel.name}`);
  return scratches;
}
