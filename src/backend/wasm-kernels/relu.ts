/**
 * `Relu` for wasm: one SIMD pass on the calling thread (host-kernels/relu-kernels.ts) instead
 * of stock XNNPACK's thread pool, whose wake-up cost more than the work on training-sized
 * activations. The stock kernel runs when the fused kernels are not installed or for non-float32
 * input.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { _hostKernels } from '../host-kernels/index';
import { _heapPointer, _wasmHeap } from '../wasm-heap';

/** Builds the replacement from the stock config (the fallback). */
export function _reluConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo => {
    const x = args.inputs.x as tf.TensorInfo;
    const kernels = _hostKernels();
    if (kernels === null || x.dtype !== 'float32') return stock.kernelFunc(args as never) as tf.TensorInfo;
    const size = x.shape.reduce((a, b) => a * b, 1);
    const y = _wasmHeap(args.backend).makeOutput([...x.shape], 'float32');
    if (size > 0) kernels.relu(_heapPointer(x, args.backend), _heapPointer(y, args.backend), 0, size);
    return y;
  };
  return { ...stock, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
