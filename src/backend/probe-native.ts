/**
 * Probes for the libtensorflow backends: `@tensorflow/tfjs-node-gpu` and `@tensorflow/tfjs-node`.
 * Both are optional dependencies, loaded only if installed. Both register the tfjs backend
 * `tensorflow`, so at most one of them can be loaded in a process.
 *
 * Known trap (tfjs issue 8362): tfjs-node-gpu 4.22 pins libtensorflow 2.9.1, built for CUDA 11.2
 * and cuDNN 8.1. With newer CUDA, libtensorflow prints "Could not load dynamic library …" on
 * stderr and silently runs on the CPU. We ask the binding whether it uses a GPU device and run
 * a tiny op; a GPU package without a GPU is reported as a skip (and, being a working native CPU
 * backend, it then serves as `node`).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as os from 'os';
import type { ProbeResult } from './probe-result';

let loaded: 'node-gpu' | 'node' | null = null;
let gpuPackageWithoutGpu: string | null = null;

function _load(pkg: string): string | null {
  try {
    require.resolve(pkg);
  } catch {
    return `${pkg} is not installed (optional; npm install ${pkg} adds it)`;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(pkg);
    return null;
  } catch (e) {
    return `${pkg} is installed but failed to load: ${(e as Error).message.split('\n')[0]}`;
  }
}

async function _activateTensorflow(): Promise<string | null> {
  try {
    if (!(await tf.setBackend('tensorflow'))) return 'tf.setBackend("tensorflow") returned false';
    const sum = tf.tidy(() => tf.sum(tf.add(tf.ones([4]), tf.ones([4]))).dataSync()[0]);
    return sum === 8 ? null : `a test op gave ${sum} instead of 8`;
  } catch (e) {
    return `a test op failed: ${(e as Error).message.split('\n')[0]}`;
  }
}

function _usesGpu(): boolean | null {
  const binding = (tf.backend() as unknown as { binding?: { isUsingGpuDevice?: () => boolean } }).binding;
  return typeof binding?.isUsingGpuDevice === 'function' ? binding.isUsingGpuDevice() : null;
}

/** Tries `@tensorflow/tfjs-node-gpu` with a usable CUDA GPU. */
export async function _probeNodeGpu(): Promise<ProbeResult> {
  if (loaded === 'node') return { ok: false, reason: '@tensorflow/tfjs-node is already loaded in this process' };
  if (loaded === null) {
    const why = _load('@tensorflow/tfjs-node-gpu');
    if (why !== null) return { ok: false, reason: why };
    loaded = 'node-gpu';
  }
  const failed = await _activateTensorflow();
  if (failed !== null) return { ok: false, reason: `@tensorflow/tfjs-node-gpu: ${failed}` };
  const gpu = _usesGpu();
  if (gpu !== true) {
    gpuPackageWithoutGpu =
      (gpu === false ? 'libtensorflow lists no GPU device' : 'the binding cannot say whether it uses a GPU') +
      '. tfjs-node-gpu 4.22 needs CUDA 11.2 and cuDNN 8.1 (libtensorflow 2.9.1) and falls back to the CPU ' +
      'with newer CUDA (tfjs issue 8362); look for "Could not load dynamic library" above';
    return { ok: false, reason: `@tensorflow/tfjs-node-gpu loaded but ${gpuPackageWithoutGpu}` };
  }
  return { ok: true, tfjsName: 'tensorflow', device: 'libtensorflow 2.9.1 on a CUDA GPU', threads: os.cpus().length, simd: false };
}

/** Tries `@tensorflow/tfjs-node`, or tfjs-node-gpu already loaded but running on the CPU. */
export async function _probeNode(): Promise<ProbeResult> {
  if (loaded === null) {
    const why = _load('@tensorflow/tfjs-node');
    if (why !== null) return { ok: false, reason: why };
    loaded = 'node';
  }
  const failed = await _activateTensorflow();
  if (failed !== null) return { ok: false, reason: `@tensorflow/tfjs-${loaded}: ${failed}` };
  const via = loaded === 'node-gpu' ? ' (via @tensorflow/tfjs-node-gpu, no usable GPU)' : '';
  return { ok: true, tfjsName: 'tensorflow', device: `libtensorflow 2.9.1 on the CPU${via}`, threads: os.cpus().length, simd: false };
}
