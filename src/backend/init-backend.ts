/**
 * Picks the fastest tfjs backend that works on this machine, GPU first, and says what it chose
 * and why it passed over the others. Order (design: ecosystem.md §1e):
 * tfjs-node-gpu (CUDA) → tfjs-node (libtensorflow CPU) → WebGPU (Dawn) → wasm (XNNPACK, SIMD,
 * threads, TicketLab's training kernels) → cpu (pure JS).
 *
 * This module also loads `@tensorflow/tfjs` once for its side effects (every gradient and the
 * chained tensor methods), so nothing outside src/backend/ needs a backend-specific import.
 */
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as os from 'os';
import { BackendUnavailableError, expectInRange, expectOneOf } from '../errors';
import { BACKEND_NAMES, type BackendName, type BackendReport, type SkippedBackend, formatBackendReport } from './backend-report';
import { _probeNode, _probeNodeGpu } from './probe-native';
import type { ProbeResult } from './probe-result';
import { _probeWasm, MAX_WASM_THREADS } from './probe-wasm';
import { _probeWebgpu } from './probe-webgpu';

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /**
   * Use this backend or throw. Default: the environment variable `TICKETLAB_BACKEND` if set,
   * else the fastest that works.
   */
  backend?: BackendName;
  /** wasm threads, 1–4. Default: the number of logical cores, at most 4. */
  threads?: number;
  /** Print nothing (no one-line summary, no tfjs Node banner). Default false. */
  quiet?: boolean;
}

async function _probeCpu(): Promise<ProbeResult> {
  if (!(await tf.setBackend('cpu'))) return { ok: false, reason: 'tf.setBackend("cpu") returned false' };
  return { ok: true, tfjsName: 'cpu', device: 'pure JavaScript on the main thread', threads: 1, simd: false };
}

const probes: Record<BackendName, (threads: number, forced: boolean) => Promise<ProbeResult>> = {
  'node-gpu': _probeNodeGpu,
  node: _probeNode,
  webgpu: _probeWebgpu,
  wasm: _probeWasm,
  cpu: _probeCpu,
};

let cached: { key: string; report: BackendReport } | null = null;
let pending: Promise<BackendReport> | null = null;

function _silenceNodeBanner(): void {
  // tfjs-backend-cpu warns once, on first use in Node, that tfjs-node is faster.
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
}

async function _select(wanted: BackendName | undefined, threads: number): Promise<BackendReport> {
  const skipped: SkippedBackend[] = [];
  const order = wanted === undefined ? BACKEND_NAMES : [wanted];
  for (const name of order) {
    let result: ProbeResult;
    try {
      result = await probes[name](threads, wanted !== undefined);
    } catch (e) {
      result = { ok: false, reason: `unexpected error: ${(e as Error).message.split('\n')[0]}` };
    }
    if (!result.ok) {
      if (wanted !== undefined) {
        throw new BackendUnavailableError(
          `initBackend: backend "${name}" was asked for but cannot be used: ${result.reason}. ` +
            `Unset TICKETLAB_BACKEND and the backend option to pick the fastest working one.`,
        );
      }
      skipped.push({ name, reason: result.reason });
      continue;
    }
    return Object.freeze({
      name,
      tfjsName: result.tfjsName,
      device: result.device,
      threads: result.threads,
      simd: result.simd,
      forced: wanted !== undefined,
      skipped: Object.freeze(skipped),
      kernels: Object.freeze([...(result.kernels ?? [])]),
      notes: Object.freeze([...(result.notes ?? [])]),
    });
  }
  throw new BackendUnavailableError(
    `initBackend: no tfjs backend works here. ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}.`,
  );
}

/**
 * Selects and starts the compute backend: the fastest that works, GPU first, unless one is
 * forced by `options.backend` or the environment variable `TICKETLAB_BACKEND` (the option wins).
 * Calling it again with the same choice returns the same report without work; a different
 * choice switches backend.
 *
 * @returns what was chosen, with the measured thread count, SIMD, and every skipped backend
 * @throws UnknownNameError for a backend name not in {@link BACKEND_NAMES}
 * @throws BackendUnavailableError when the forced backend cannot be used, saying why
 * @throws InvalidArgumentError when `threads` is not an integer in [1, 4]
 * @example
 * ```ts
 * const report = await initBackend();
 * console.log(formatBackendReport(report));
 * ```
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendReport> {
  const fromEnv = process.env.TICKETLAB_BACKEND;
  const requested = options.backend ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
  const wanted =
    requested === undefined
      ? undefined
      : expectOneOf('backend', requested, BACKEND_NAMES, options.backend === undefined ? '(from TICKETLAB_BACKEND)' : undefined);
  const threads =
    options.threads === undefined
      ? Math.min(MAX_WASM_THREADS, Math.max(1, os.cpus().length))
      : expectInRange('initBackend', 'threads', options.threads, { min: 1, max: MAX_WASM_THREADS, integer: true });
  const key = `${wanted ?? 'auto'}/${threads}`;
  while (pending !== null) await pending.catch(() => undefined);
  if (cached !== null && cached.key === key && tf.getBackend() === cached.report.tfjsName) return cached.report;
  pending = _select(wanted, threads);
  try {
    const report = await pending;
    cached = { key, report };
    if (options.quiet) _silenceNodeBanner();
    else console.log(formatBackendReport(report).split('\n').slice(0, 3).join(';').replace(/\s+/g, ' '));
    return report;
  } finally {
    pending = null;
  }
}
