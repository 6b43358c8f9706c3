/**
 * `MaxPoolGrad` for wasm as one SIMD scatter pass over the pooling windows
 * (src/backend/host-kernels/max-pool-grad-wat.ts). The stock kernel took 194 ms for one
 * [64, 29, 29, 64] pool-2 gradient (AlexNet's first block), 14 % of a training step; a JS loop
 * over heap views 26 ms. Every output window finds its maximum once per channel, four channels
 * at a time (the first maximum in row-major window order wins, as on the cpu backend and in
 * PyTorch), and adds its dy there. Without the fused kernels the stock kernel runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { _hostKernels } from '../host-kernels/index';
import { _heapPointer, _wasmHeap } from '../wasm-heap';

interface MaxPoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

/** Builds the replacement from the stock config (the fallback without the fused kernels). */
export function _maxPoolGradConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const kernels = _hostKernels();
    if (kernels === null) return stock.kernelFunc(args as never) as tf.TensorInfo;
    const backend = _wasmHeap(args.backend);
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode,
    );
    const out = backend.makeOutput([...input.shape], 'float32');
    const geometry = backend.makeOutput([14], 'int32');
    backend.typedArrayFromHeap(geometry).set([
      info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
      info.strideHeight, info.strideWidth, info.effectiveFilterHeight, info.effectiveFilterWidth,
      info.dilationHeight, info.dilationWidth, info.padInfo.top, info.padInfo.left,
    ]);
    backend.typedArrayFromHeap(out).fill(0);
    const pointer = (t: tf.TensorInfo): number => _heapPointer(t, args.backend);
    kernels.max_pool_grad(pointer(input), pointer(dy), pointer(out), pointer(geometry));
    backend.disposeData(geometry.dataId);
    return out;
  };
  return { ...stock, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
