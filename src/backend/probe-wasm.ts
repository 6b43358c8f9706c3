/**
 * Probe for the wasm backend: XNNPACK with SIMD, TicketLab's training kernels registered, and
 * as many threads as asked for (via the Node thread shim of `wasm-threads.ts`). The thread count
 * reported is the one the module measures (`getThreadsCount()`), never the one asked for. If the
 * threaded module fails to start, wasm starts single-threaded and a note says why. The fused
 * SIMD kernels (host-kernels/) are compiled against the started module's memory; matrix
 * products go to the native BLAS binding when it is built (native-blas.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { _installHostKernels } from './host-kernels/index';
import { _nativeBlas, _nativeBlasStatus, _setNativeThreads } from './native-blas';
import type { ProbeResult } from './probe-result';
import { registerWasmTrainingKernels } from './wasm-kernels/index';
import { _unrefWasmWorkers, _withWasmThreads } from './wasm-threads';

/** The XNNPACK pool's own upper bound in tfjs-backend-wasm 4.22. */
export const MAX_WASM_THREADS = 4;

function _isStarted(): boolean {
  return (tf.engine().registry as Record<string, unknown>).wasm != null;
}

async function _setWasm(): Promise<boolean> {
  try {
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

/** Tries wasm with `threads` threads (1–4). */
export async function _probeWasm(threads: number): Promise<ProbeResult> {
  const kernels = registerWasmTrainingKernels();
  const notes: string[] = [];
  if (_isStarted()) {
    if (!(await _setWasm())) return { ok: false, reason: 'tf.setBackend("wasm") returned false' };
    if (wasm.getThreadsCount() !== threads) {
      notes.push(`the wasm module was already started with ${wasm.getThreadsCount()} thread(s); threads are fixed per process`);
    }
  } else if (threads > 1) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    let ok = false;
    let why = 'tf.setBackend("wasm") returned false';
    try {
      ok = await _withWasmThreads(threads, _setWasm);
    } catch (e) {
      why = (e as Error).message.split('\n')[0];
    }
    if (!ok) {
      notes.push(`multi-threaded wasm failed to start (${why}); running on 1 thread`);
    }
  }
  if (!_isStarted()) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (!(await _setWasm())) return { ok: false, reason: 'the wasm module failed to start (see the console)' };
  }
  _unrefWasmWorkers(tf.findBackend('wasm'));
  const fusedNote = await _installHostKernels(tf.findBackend('wasm'));
  if (fusedNote !== null) notes.push(fusedNote);
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const measured = wasm.getThreadsCount();
  if (measured < threads && notes.length === 0) {
    notes.push(`asked for ${threads} threads; the wasm module reports ${measured}`);
  }
  _setNativeThreads(measured);
  const blas = _nativeBlas() !== null;
  if (!blas) notes.push(`native matrix multiply ${_nativeBlasStatus()}`);
  const device = `XNNPACK (wasm${simd ? ' SIMD' : ''}), ${measured} thread${measured === 1 ? '' : 's'}${blas ? '; matrix products on native OpenBLAS' : ''}`;
  return { ok: true, tfjsName: 'wasm', device, threads: measured, simd, notes, kernels };
}
