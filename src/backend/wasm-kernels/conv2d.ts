/**
 * `Conv2D` for wasm: with the OpenBLAS binding built (src/backend/native-blas.ts), NHWC float32
 * convolutions with dilation 1 run natively (native/conv.cc: chunked im2col + sgemm on all the
 * backend's cores, straight into NHWC). Everything else (no binding, dilations, NCHW) runs on the
 * stock XNNPACK kernel. Measured (`npx tsx bench/conv-step.ts kernels 2`, batch 64): native
 * beats XNNPACK on every layer of the bench's ResNet and AlexNet, 1.4–2.9× (ResNet stage 1
 * 12.3 → 6.2 ms, AlexNet's 64 → 128 layer 27.3 → 9.8 ms).
 */
import * as tf from '@tensorflow/tfjs-core';
import { _nativeConv, _nativeConvAvailable, _nativeGeometry } from './_native-conv';

interface Conv2DAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

/** Builds the replacement from the stock config (the fallback). */
export function _conv2dConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as Conv2DAttrs;
    const plainDilation = dilations === undefined || dilations === 1 || (Array.isArray(dilations) && dilations[0] === 1 && dilations[1] === 1);
    if (dataFormat === 'NCHW' || !plainDilation || x.dtype !== 'float32' || filter.dtype !== 'float32') {
      return stock.kernelFunc(args as never) as tf.TensorInfo;
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false,
    );
    const g = _nativeGeometry(info);
    if (!_nativeConvAvailable(g)) return stock.kernelFunc(args as never) as tf.TensorInfo;
    return _nativeConv('forward', args.backend, x, filter, g);
  };
  return { ...stock, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
