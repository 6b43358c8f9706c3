/**
 * `Conv2DBackpropFilter` for wasm (missing from stock tfjs-backend-wasm 4.22, so conv nets
 * could not train there: tfjs issues #8474, #8082).
 *
 * dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh·s + kh − pt, ow·s + kw − pl, ci] · dy[n, oh, ow, co]
 * is itself a forward convolution: put the batch into the channel slot (x → [Ci, H, W, N]),
 * use dy → [Ho, Wo, N, Co] as the filter, stride 1 and dilation equal to the original stride,
 * with the original padding made explicit. The result [Ci, KH', KW', Co] is cut to the kernel
 * size and transposed back to [KH, KW, Ci, Co]. One XNNPACK call instead of a JS loop.
 */
import * as tf from '@tensorflow/tfjs-core';
import { _call, _free, _slice, _transpose } from './_call';

interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function conv2dBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { backend } = args;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    args.attrs as unknown as Conv2DBackpropFilterAttrs;
  if (dataFormat === 'NCHW') {
    throw new Error('wasm Conv2DBackpropFilter (TicketLab): dataFormat NCHW is not supported; use NHWC.');
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false,
  );
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const [, inH, inW] = x.shape;
  const [, outH, outW] = dy.shape;
  // Bottom/right padding that makes the output at least the kernel size; extra rows are cut.
  const bottom = Math.max(0, kh + (outH - 1) * sh - inH - top);
  const right = Math.max(0, kw + (outW - 1) * sw - inW - left);
  const xT = _transpose(backend, x, [3, 1, 2, 0]); // [Ci, H, W, N]
  const dyT = _transpose(backend, dy, [1, 2, 0, 3]); // [Ho, Wo, N, Co]
  const conv = _call('Conv2D', backend, { x: xT, filter: dyT }, {
    strides: [1, 1],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    dataFormat: 'NHWC',
    dilations: [sh, sw],
    dimRoundingMode: undefined,
  }); // [Ci, >=KH, >=KW, Co]
  const [ci, ch, cw, co] = conv.shape;
  const cut = ch === kh && cw === kw ? null : _slice(backend, conv, [0, 0, 0, 0], [ci, kh, kw, co]);
  const out = _transpose(backend, cut ?? conv, [1, 2, 0, 3]); // [KH, KW, Ci, Co]
  _free(backend, xT, dyT, conv, ...(cut ? [cut] : []));
  return out;
}

/** Kernel config: `Conv2DBackpropFilter` on wasm as one forward convolution. */
export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
};
