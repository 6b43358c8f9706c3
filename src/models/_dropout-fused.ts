/**
 * Internal: dropout's keep-and-scale factors on wasm, written by the fused kernel
 * (src/backend/host-kernels/dropout-wat.ts) straight into the heap. Long tensors are cut into
 * parts on the host threads, each part starting its generator at its own offset of the one
 * stream ({@link Rng.skip}), so the factors are exactly those of the serial loop
 * (`_dropoutKeep` in layers.ts) on every backend.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { _heapTensor, _hostKernelPartCount, _hostKernels, _runHostKernelParts } from '../backend/host-kernels/index';
import { _heapPointer } from '../backend/wasm-heap';
import { Rng } from '../random';

/**
 * The factors of `dropout(x, rate, seed)` for a tensor of `shape` as a new wasm tensor in the
 * caller's scope, or null when the fused kernels are not active (the caller then uses the JS loop).
 */
export function _dropoutKeepFused(shape: readonly number[], rate: number, seed: number): tf.Tensor | null {
  const size = shape.reduce((a, b) => a * b, 1);
  if (_hostKernels() === null || size === 0) return null;
  const keep = _heapTensor(shape);
  const base = _heapPointer(keep);
  const cut = Math.ceil(rate * 16777216); // draw >>> 8 < rate·2^24 ⇔ draw >>> 8 < ⌈rate·2^24⌉
  const scale = 1 / (1 - rate);
  const step = Math.ceil(size / _hostKernelPartCount(size, 'dropout_keep') / 1024) * 1024;
  const rng = new Rng(seed);
  const parts: number[][] = [];
  for (let start = 0; start < size; start += step) {
    const [s0, s1, s2, s3] = rng.getState().words.map((w) => w | 0);
    parts.push([base + 4 * start, Math.min(step, size - start), s0, s1, s2, s3, cut, scale]);
    rng.skip(step);
  }
  _runHostKernelParts('dropout_keep', parts);
  return keep;
}
