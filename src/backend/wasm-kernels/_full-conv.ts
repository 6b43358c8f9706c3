/**
 * Internal: the input gradient of a (depthwise) convolution as a forward convolution of the
 * zero-upsampled dy with the 180°-rotated filter and "full" padding:
 * dx[n, h, w, :] = Σ_{kh, kw} dyUp[n, h + kh − (KH − 1 − pt), w + kw − (KW − 1 − pl), :] · Wrot[kh, kw]
 * Padding that would be negative is applied as a crop of the output instead.
 */
import * as tf from '@tensorflow/tfjs-core';
import { _call, _free, _slice, _upsampleZeros } from './_call';

/** Geometry of the original forward convolution. */
export interface _FullConvGeometry {
  inHeight: number;
  inWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

/**
 * Runs `kernelName` (Conv2D or DepthwiseConv2dNative) on upsampled `dy` with the already rotated
 * `filter`, and crops to [N, inHeight, inWidth, C]. The caller frees `dy`, `filter` and the result.
 */
export function _fullConv(
  backend: tf.KernelBackend,
  kernelName: 'Conv2D' | 'DepthwiseConv2dNative',
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  g: _FullConvGeometry,
): tf.TensorInfo {
  const up = _upsampleZeros(backend, dy, g.strideHeight, g.strideWidth); // [N, Ho·sh, Wo·sw, C]
  const fullTop = g.filterHeight - 1 - g.padTop;
  const fullLeft = g.filterWidth - 1 - g.padLeft;
  const top = Math.max(0, fullTop);
  const left = Math.max(0, fullLeft);
  const bottom = Math.max(0, g.inHeight + g.padTop - up.shape[1]);
  const right = Math.max(0, g.inWidth + g.padLeft - up.shape[2]);
  const conv = _call(kernelName, backend, { x: up, filter }, {
    strides: [1, 1],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    dataFormat: 'NHWC',
    dilations: [1, 1],
    dimRoundingMode: undefined,
  });
  const [n, convH, convW, c] = conv.shape;
  const startH = top - fullTop;
  const startW = left - fullLeft;
  const exact = startH === 0 && startW === 0 && convH === g.inHeight && convW === g.inWidth;
  const out = exact ? conv : _slice(backend, conv, [0, startH, startW, 0], [n, g.inHeight, g.inWidth, c]);
  _free(backend, up, ...(exact ? [] : [conv]));
  return out;
}
