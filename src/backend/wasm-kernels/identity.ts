/**
 * `Identity` for wasm without a copy. Stock tfjs-backend-wasm 4.22 copies the whole buffer on
 * every Identity (tf.clone, gradient pass-throughs, variable reads under the tape: a dozen per
 * training step), while tensors are immutable: sharing the data with a reference count, as the
 * cpu backend and wasm's own Reshape do, is enough.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { _wasmHeap } from '../wasm-heap';

export const identityConfig: tf.KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs.x as tf.TensorInfo;
    _wasmHeap(backend as tf.KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};
