/**
 * `DepthwiseConv2dNativeBackpropInput` for wasm (missing from stock tfjs-backend-wasm 4.22).
 *
 * dx[n, h, w, c] = Σ_{m} (depthwise conv of zero-upsampled dy with the rotated filter)[…, c·M + m]:
 * a depthwise forward convolution over the Ci·M channels of dy with the filter
 * rotated 180° and reshaped to [KH, KW, Ci·M, 1], "full" padding, then a sum over m.
 */
import * as tf from '@tensorflow/tfjs-core';
import { _call, _free, _reshape } from './_call';
import { _fullConv } from './_full-conv';

interface DepthwiseBackpropInputAttrs {
  strides: [number, number] | number;
  dilations: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

function depthwiseBackpropInput(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { backend } = args;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } =
    args.attrs as unknown as DepthwiseBackpropInputAttrs;
  const filterShape = filter.shape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filterShape, strides, dilations, pad, dimRoundingMode, true,
  );
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) {
    throw new Error('wasm DepthwiseConv2dNativeBackpropInput (TicketLab): dilations must be 1, as in tfjs.');
  }
  const [kh, kw, ci, m] = filterShape;
  const [n, inH, inW] = inputShape;
  const rotated = _call('Reverse', backend, { x: filter }, { dims: [0, 1] });
  const flat = _reshape(backend, rotated, [kh, kw, ci * m, 1]);
  const full = _fullConv(backend, 'DepthwiseConv2dNative', dy, flat, {
    inHeight: inH,
    inWidth: inW,
    filterHeight: kh,
    filterWidth: kw,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  }); // [N, H, W, Ci·M]
  _free(backend, rotated, flat);
  if (m === 1) return full;
  const split = _reshape(backend, full, [n, inH, inW, ci, m]);
  const out = _call('Sum', backend, { x: split }, { axis: [4], keepDims: false }); // [N, H, W, Ci]
  _free(backend, full, split);
  return out;
}

/** Kernel config: `DepthwiseConv2dNativeBackpropInput` on wasm as one depthwise convolution. */
export const depthwiseConv2dNativeBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput as unknown as tf.KernelFunc,
};
