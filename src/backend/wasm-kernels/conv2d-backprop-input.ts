/**
 * A faster `Conv2DBackpropInput` for wasm. With the OpenBLAS binding built, NHWC float32
 * gradients run natively (native/conv.cc: dPatches = dy · Wᵀ by sgemm in cache-sized chunks,
 * added back into dx by col2im, on all the backend's cores): 1.2–4.8× the phases below on every
 * layer of the bench's ResNet and AlexNet (`npx tsx bench/conv-step.ts kernels 2`).
 *
 * Without it: the stock kernel works but is slow; this one is XNNPACK forward convolutions of dy with the filter rotated 180° and its in/out channels
 * swapped ([KH, KW, Ci, Co] → [KH, KW, Co, Ci]), "full" padding.
 *
 * Stride 1 is one such convolution. For stride s > 1, convolving the zero-upsampled dy wastes
 * (s² − 1)/s² of the products on zeros (stride 2: 3/4, and those convolutions ran 4× slower
 * than the forward one). Instead the input positions are split into s_h · s_w phases by
 * (i + pad) mod s: each phase is a stride-1 full convolution of the plain dy with the filter
 * taps of that phase (3×3 stride 2: 2×2, 2×1, 1×2 and 1×1 taps), and the phases are interleaved
 * into dx by a JS loop on the wasm heap. No product is wasted.
 */
import * as tf from '@tensorflow/tfjs-core';
import { _free } from './_call';
import { _nativeConv, _nativeConvAvailable, _nativeGeometry } from './_native-conv';
import { _fullConv } from './_full-conv';
import { _alloc, _view } from './_heap';

interface Conv2DBackpropInputAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** Geometry of the forward convolution whose input gradient is computed. */
export interface _ConvGradGeometry {
  inHeight: number;
  inWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

/**
 * The taps of `filter` [KH, KW, Ci, Co] at rows rh + sh·t and columns rw + sw·u, rotated 180°
 * and channel-swapped: a new [KHr, KWr, Co, Ci] tensor (the caller frees it).
 */
function phaseFilter(
  backend: tf.KernelBackend, filter: tf.TensorInfo, rh: number, rw: number, sh: number, sw: number,
  khr: number, kwr: number,
): tf.TensorInfo {
  const [, kw, ci, co] = filter.shape;
  const out = _alloc(backend, [khr, kwr, co, ci]);
  const src = _view(backend, filter);
  const dst = _view(backend, out);
  let d = 0;
  for (let a = 0; a < khr; a++) {
    for (let b = 0; b < kwr; b++) {
      const tap = ((rh + sh * (khr - 1 - a)) * kw + (rw + sw * (kwr - 1 - b))) * ci * co;
      for (let o = 0; o < co; o++) {
        for (let c = 0; c < ci; c++) dst[d++] = src[tap + c * co + o];
      }
    }
  }
  return out;
}

/** One phase: the dx rows i = sh·(u0 + r) + rh − padTop, r < hr (and likewise columns). */
interface Phase {
  /** [N, hr, wr, Ci], or null where the phase has no filter taps (its dx entries are 0). */
  readonly grad: tf.TensorInfo | null;
  readonly rh: number; readonly rw: number;
  readonly u0: number; readonly v0: number;
  readonly hr: number; readonly wr: number;
}

/**
 * dx [N, inHeight, inWidth, Ci] of a convolution of stride ≥ 1 from dy [N, Ho, Wo, Co] and
 * filter [KH, KW, Ci, Co], by phases (module comment). The caller frees the result.
 */
export function _inputGradByPhases(
  backend: tf.KernelBackend, dy: tf.TensorInfo, filter: tf.TensorInfo, g: _ConvGradGeometry,
): tf.TensorInfo {
  const [kh, kw, ci] = filter.shape;
  const { strideHeight: sh, strideWidth: sw, inHeight: h, inWidth: w, padTop: pt, padLeft: pl } = g;
  const phases: Phase[] = [];
  for (let rh = 0; rh < sh; rh++) {
    for (let rw = 0; rw < sw; rw++) {
      const u0 = Math.ceil((pt - rh) / sh);
      const v0 = Math.ceil((pl - rw) / sw);
      const hr = Math.floor((h - 1 + pt - rh) / sh) - u0 + 1;
      const wr = Math.floor((w - 1 + pl - rw) / sw) - v0 + 1;
      if (hr <= 0 || wr <= 0) continue;
      const khr = Math.max(0, Math.ceil((kh - rh) / sh));
      const kwr = Math.max(0, Math.ceil((kw - rw) / sw));
      let grad: tf.TensorInfo | null = null;
      if (khr > 0 && kwr > 0) {
        const sub = phaseFilter(backend, filter, rh, rw, sh, sw, khr, kwr);
        grad = _fullConv(backend, 'Conv2D', dy, sub, {
          inHeight: hr, inWidth: wr, filterHeight: khr, filterWidth: kwr,
          strideHeight: 1, strideWidth: 1, padTop: u0, padLeft: v0,
        });
        _free(backend, sub);
      }
      phases.push({ grad, rh, rw, u0, v0, hr, wr });
    }
  }
  if (phases.length === 1 && phases[0].grad !== null) return phases[0].grad; // stride 1: dx itself
  const n = dy.shape[0];
  const out = _alloc(backend, [n, h, w, ci]);
  const dst = _view(backend, out);
  for (const p of phases) {
    const src = p.grad === null ? null : _view(backend, p.grad);
    let s = 0;
    for (let b = 0; b < n; b++) {
      for (let r = 0; r < p.hr; r++) {
        const row = (b * h + sh * (p.u0 + r) + p.rh - pt) * w;
        for (let q = 0; q < p.wr; q++) {
          let d = (row + sw * (p.v0 + q) + p.rw - pl) * ci;
          if (src === null) {
            dst.fill(0, d, d + ci);
          } else {
            for (let c = 0; c < ci; c++) dst[d++] = src[s++];
          }
        }
      }
    }
  }
  _free(backend, ...phases.flatMap((p) => (p.grad === null ? [] : [p.grad])));
  return out;
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
  const g: _ConvGradGeometry = {
    inHeight: inputShape[1],
    inWidth: inputShape[2],
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
  const native = _nativeGeometry(info);
  if (dy.dtype === 'float32' && filter.dtype === 'float32' && _nativeConvAvailable(native)) {
    return _nativeConv('inputGrad', backend, dy, filter, native);
  }
  return _inputGradByPhases(backend, dy, filter, g);
}

/** Kernel config: `Conv2DBackpropInput` on wasm as forward convolutions (replaces stock). */
export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as tf.KernelFunc,
};
