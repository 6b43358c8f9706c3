/**
 * A faster `Conv2DBackpropInput` for wasm. The stock kernel works but is slow; this one is one
 * XNNPACK forward convolution of the zero-upsampled dy (stride > 1) with the filter rotated 180°
 * and its in/out channels swapped ([KH, KW, Ci, Co] → [KH, KW, Co, Ci]), "full" padding.
 */
import * as tf from '@tensorflow/tfjs-core';
import { _call, _free, _transpose } from './_call';
import { _fullConv } from './_full-conv';

interface Conv2DBackpropInputAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

function conv2dBackpropInput(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { backend } = args;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
    args.attrs as unknown as Conv2DBackpropInputAttrs;
  if (dataFormat === 'NCHW') {
    throw new Error('wasm Conv2DBackpropInput (TicketLab): dataFormat NCHW is not supported; use NHWC.');
  }
  const filterShape = filter.shape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(inputShape, filterShape, strides, 1, pad, dimRoundingMode, false);
  const rotated = _call('Reverse', backend, { x: filter }, { dims: [0, 1] });
  const swapped = _transpose(backend, rotated, [0, 1, 3, 2]); // [KH, KW, Co, Ci]
  const out = _fullConv(backend, 'Conv2D', dy, swapped, {
    inHeight: inputShape[1],
    inWidth: inputShape[2],
    filterHeight: filterShape[0],
    filterWidth: filterShape[1],
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  }); // [N, H, W, Ci]
  _free(backend, rotated, swapped);
  return out;
}

/** Kernel config: `Conv2DBackpropInput` on wasm as one forward convolution (replaces stock). */
export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as tf.KernelFunc,
};
