/**
 * Internal: host access to float32 tensor data without extra copies, for host-side selections
 * inside training steps. On wasm, both input and output are views of the wasm heap (no
 * `dataSync` copy out, no `tf.tensor` copy back in); on cpu the backend's own arrays are used;
 * elsewhere (webgl, webgpu) the data are read back and uploaded as usual.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's backend used here (public methods of BackendWasm). */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/**
 * A new float32 tensor of `x`'s shape, filled by `fill(input, output)` where `input` holds x's
 * values (read only) and `output` the new tensor's. The arrays are valid only during `fill`
 * (wasm heap views go stale when the heap grows). The result belongs to the caller's tidy scope.
 */
export function _mapFloat32(x: tf.Tensor, fill: (input: Float32Array, output: Float32Array) => void): tf.Tensor {
  const backend = tf.backend();
  if (tf.getBackend() === 'wasm') {
    const heap = backend as unknown as WasmHeapBackend;
    const info = heap.makeOutput([...x.shape], 'float32'); // allocate first: it may grow the heap
    fill(heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(info));
    return tf.engine().makeTensorFromTensorInfo(info);
  }
  const output = new Float32Array(x.size);
  fill(x.dataSync() as Float32Array, output); // cpu: the backend's own array, no copy
  return tf.tensor(output, x.shape, 'float32');
}
