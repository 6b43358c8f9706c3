/**
 * `DepthwiseConv2dNativeBackpropFilter` for wasm (missing from stock tfjs-backend-wasm 4.22).
 *
 * dW[kh, kw, c, m] = Σ_{n, oh, ow} x[n, oh·s + kh − pt, ow·s + kw − pl, c] · dy[n, oh, ow, c·M + m]
 * as one depthwise forward convolution over a single image whose channels are (n, c):
 * x → [1, H, W, N·Ci], dy → filter [Ho, Wo, N·Ci, M], stride 1, dilation = original stride,
 * explicit original padding. The result [1, KH', KW', N·Ci·M] is cut to the kernel size and
 * summed over n to [KH, KW, Ci, M].
 */
import * as tf from '@tensorflow/tfjs-core';
import { _call, _free, _reshape, _slice, _transpose } from './_call';

interface DepthwiseBackpropFilterAttrs {
  strides: [number, number] | number;
  dilations: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function depthwiseBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { backend } = args;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    args.attrs as unknown as DepthwiseBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, dilations, pad, dimRoundingMode, true,
  );
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) {
    throw new Error('wasm DepthwiseConv2dNativeBackpropFilter (TicketLab): dilations must be 1, as in tfjs.');
  }
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const [n, inH, inW, ci] = x.shape;
  const [, outH, outW] = dy.shape;
  const m = filterShape[3];
  const bottom = Math.max(0, kh + (outH - 1) * sh - inH - top);
  const right = Math.max(0, kw + (outW - 1) * sw - inW - left);
  const xT = _transpose(backend, x, [1, 2, 0, 3]); // [H, W, N, Ci]
  const xImage = _reshape(backend, xT, [1, inH, inW, n * ci]);
  const dy5 = _reshape(backend, dy, [n, outH, outW, ci, m]);
  const dyT = _transpose(backend, dy5, [1, 2, 0, 3, 4]); // [Ho, Wo, N, Ci, M]
  const filter = _reshape(backend, dyT, [outH, outW, n * ci, m]);
  const conv = _call('DepthwiseConv2dNative', backend, { x: xImage, filter }, {
    strides: [1, 1],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    dataFormat: 'NHWC',
    dilations: [sh, sw],
    dimRoundingMode: undefined,
  }); // [1, >=KH, >=KW, N·Ci·M]
  const cut = _slice(backend, conv, [0, 0, 0, 0], [1, kh, kw, n * ci * m]);
  const perImage = _reshape(backend, cut, [kh, kw, n, ci * m]);
  const summed = _call('Sum', backend, { x: perImage }, { axis: [2], keepDims: false }); // [KH, KW, Ci·M]
  const out = _reshape(backend, summed, [kh, kw, ci, m]);
  _free(backend, xT, xImage, dy5, dyT, filter, conv, cut, perImage, summed);
  return out;
}

/** Kernel config: `DepthwiseConv2dNativeBackpropFilter` on wasm as one depthwise convolution. */
export const depthwiseConv2dNativeBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter as unknown as tf.KernelFunc,
};
