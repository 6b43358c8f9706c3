/**
 * Internal: direct access to wasm tensor memory, for kernels whose data movement (im2col,
 * interleaving, small filter rearrangements) is cheaper as a JS loop than as a chain of stock
 * kernels. Views are valid only until the next allocation (the heap may grow and move), so
 * allocate every output first and take the views last.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { _wasmHeap } from '../wasm-heap';

/** A new float32 wasm tensor of `shape` with unspecified contents; the caller frees it. */
export function _alloc(backend: tf.KernelBackend, shape: number[]): tf.TensorInfo {
  return _wasmHeap(backend).makeOutput(shape, 'float32');
}

/** A Float32Array view of `info`'s data on the wasm heap (valid until the next allocation). */
export function _view(backend: tf.KernelBackend, info: tf.TensorInfo): Float32Array {
  if (info.dtype !== 'float32') {
    throw new Error(`TicketLab wasm kernels: expected float32 data, got ${info.dtype}.`);
  }
  return _wasmHeap(backend).typedArrayFromHeap(info) as Float32Array;
}
