/**
 * Internal: host access to float32 tensor data without extra copies, for host-side passes
 * inside training steps. On wasm, inputs and outputs are views of the wasm heap (no `dataSync`
 * copy out, no `tf.tensor` copy back in; with threaded wasm the heap is a SharedArrayBuffer that
 * host threads can share); on cpu the backend's own arrays are used; elsewhere (webgl, webgpu,
 * tfjs-node) the data are read back and uploaded as usual.
 */
import * as tf from '@tensorflow/tfjs-core';
import { _wasmHeap } from '../backend/wasm-heap';


/** True when the active backend keeps tensor data in host memory that {@link _hostMapFloat32} views without copies (wasm, cpu). */
export function _hasHostArrays(): boolean {
  const name = tf.getBackend();
  return name === 'wasm' || name === 'cpu';
}

function _bits(values: Float32Array): Int32Array {
  return new Int32Array(values.buffer, values.byteOffset, values.length);
}

/**
 * `outputs` new float32 tensors of `shape`, filled by `fill(inputs, outputs)` with the float32
 * bits of the `inputs` tensors (read only) and of the new tensors, as Int32Array views (make a
 * Float32Array view of the same memory for arithmetic). The arrays are valid only during `fill`
 * (wasm heap views go stale when the heap grows: every output is allocated before any view is
 * taken). Inputs must be float32. The results belong to the caller's tidy scope.
 */
export function _hostMapFloat32(
  inputs: readonly tf.Tensor[],
  outputs: number,
  shape: readonly number[],
  fill: (inputs: Int32Array[], outputs: Int32Array[]) => void,
): tf.Tensor[] {
  if (tf.getBackend() === 'wasm') {
    const heap = _wasmHeap();
    const infos = Array.from({ length: outputs }, () => heap.makeOutput([...shape], 'float32')); // may grow the heap
    fill(
      inputs.map((x) => _bits(heap.typedArrayFromHeap(x) as Float32Array)),
      infos.map((info) => _bits(heap.typedArrayFromHeap(info) as Float32Array)),
    );
    return infos.map((info) => tf.engine().makeTensorFromTensorInfo(info));
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const arrays = Array.from({ length: outputs }, () => new Float32Array(size));
  fill(
    inputs.map((x) => _bits(x.dataSync() as Float32Array)), // cpu: the backend's own arrays; elsewhere a copy
    arrays.map(_bits),
  );
  return arrays.map((a) => tf.tensor(a, [...shape], 'float32'));
}
