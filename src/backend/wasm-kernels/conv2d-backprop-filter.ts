/**
 * `Conv2DBackpropFilter` for wasm (missing from stock tfjs-backend-wasm 4.22, so conv nets
 * could not train there: tfjs issues #8474, #8082).
 *
 * dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh·s + kh − pt, ow·s + kw − pl, ci] · dy[n, oh, ow, co]
 * is itself a forward convolution: put the batch into the channel slot (x → [Ci, H, W, N]),
 * use dy → [Ho, Wo, N, Co] as the filter, stride 1 and dilation equal to the original stride,
 * with the original padding made explicit. The result [Ci, KH', KW', Co] is cut to the kernel
 * size and transposed back to [KH, KW, Ci, Co]. One XNNPACK call instead of a JS loop.
 *
 * For 1×1 kernels an im2col + one matmul is faster and is used instead ({@link _useIm2col}), and
 * for 3×3 stride-1 kernels the SIMD im2col + matmul ({@link _useGemm}). With the OpenBLAS
 * binding built, every NHWC float32 filter gradient runs natively instead (native/conv.cc: the
 * patch matrix in cache-sized chunks times dy by sgemm, accumulated per thread on all the
 * backend's cores): 2.7–5.1× the SIMD im2col + matmul on the bench's layers, e.g. ResNet stage
 * 1 20.0 → 5.6 ms (`npx tsx bench/conv-step.ts kernels 2`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { _call, _free, _reshape, _slice, _transpose } from './_call';
import { _hostKernels, type HostKernels } from '../host-kernels/index';
import { _nativeConv, _nativeConvAvailable, _nativeGeometry } from './_native-conv';
import { _heapPointer, _wasmHeap } from '../wasm-heap';
import { _alloc, _view } from './_heap';

interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** Geometry of the forward convolution whose filter gradient is computed. */
export interface _FilterGradGeometry {
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

/**
 * dW [KH, KW, Ci, Co] as one forward convolution with the batch in the channel slot (module
 * comment). The caller frees the result.
 */
export function _filterGradByConv(
  backend: tf.KernelBackend, x: tf.TensorInfo, dy: tf.TensorInfo, g: _FilterGradGeometry,
): tf.TensorInfo {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padTop: top, padLeft: left } = g;
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

/**
 * dW [KH, KW, Ci, Co] as one matrix product: the transposed patch matrix [KH·KW·Ci, N·Ho·Wo]
 * (written by a JS loop on the wasm heap, zeros where the window reaches into the padding)
 * times dy as it is, [N·Ho·Wo, Co]. The product is dW in its own layout and the packed operand
 * is dy, so no transpose is needed. The caller frees the result.
 */
export function _filterGradByIm2col(
  backend: tf.KernelBackend, x: tf.TensorInfo, dy: tf.TensorInfo, g: _FilterGradGeometry,
): tf.TensorInfo {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padTop: pt, padLeft: pl } = g;
  const [n, h, w, ci] = x.shape;
  const [, ho, wo, co] = dy.shape;
  const p = n * ho * wo;
  const patches = _alloc(backend, [kh * kw * ci, p]);
  const src = _view(backend, x);
  const dst = _view(backend, patches);
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const tap = (a * kw + b) * ci * p; // row of channel 0 of this tap
      // Output columns whose input column ow·sw + b − pl lies inside x.
      const lo = Math.min(wo, Math.max(0, Math.ceil((pl - b) / sw)));
      const hi = Math.max(lo, Math.min(wo, Math.floor((w - 1 + pl - b) / sw) + 1));
      for (let img = 0; img < n; img++) {
        for (let oh = 0; oh < ho; oh++) {
          const p0 = (img * ho + oh) * wo;
          const ih = oh * sh + a - pt;
          const inside = ih >= 0 && ih < h;
          if (!inside || lo > 0 || hi < wo) {
            for (let c = 0; c < ci; c++) {
              const row = tap + c * p + p0;
              if (!inside) {
                dst.fill(0, row, row + wo);
              } else {
                dst.fill(0, row, row + lo);
                dst.fill(0, row + hi, row + wo);
              }
            }
            if (!inside) continue;
          }
          let s = ((img * h + ih) * w + lo * sw + b - pl) * ci;
          for (let ow = lo; ow < hi; ow++) {
            let d = tap + p0 + ow;
            for (let c = 0; c < ci; c++) {
              dst[d] = src[s + c];
              d += p;
            }
            s += sw * ci;
          }
        }
      }
    }
  }
  const dy2 = _reshape(backend, dy, [p, co]);
  const product = _call('BatchMatMul', backend, { a: patches, b: dy2 }, { transposeA: false, transposeB: false });
  const out = _reshape(backend, product, [kh, kw, ci, co]);
  _free(backend, patches, dy2, product);
  return out;
}

/**
 * dW by one matrix product on the fused kernels: x → [Ci, H, W, N] and dy → [Ho, Wo, N, Co] by
 * the SIMD Transpose, Pᵀ [KH·KW·Ci, Ho·Wo·N] by the bulk-copy im2col (host-kernels/im2col-wat.ts),
 * then dW = Pᵀ · dy as [KH·KW·Ci, Co], already in the filter's layout. The conv trick makes
 * XNNPACK pack the image-sized dy as a conv filter on every call (12 ms of its 27 for ResNet's
 * first stage); a matmul packs the same data an order of magnitude faster.
 */
export function _filterGradByGemm(
  backend: tf.KernelBackend, kernels: HostKernels, x: tf.TensorInfo, dy: tf.TensorInfo, g: _FilterGradGeometry,
): tf.TensorInfo {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padTop: pt, padLeft: pl } = g;
  const [n, h, w, ci] = x.shape;
  const [, ho, wo, co] = dy.shape;
  const xT = _transpose(backend, x, [3, 1, 2, 0]); // [Ci, H, W, N]
  const dyT = _transpose(backend, dy, [1, 2, 0, 3]); // [Ho, Wo, N, Co]
  const patches = _alloc(backend, [kh * kw * ci, ho * wo * n]);
  const geometry = _wasmHeap(backend).makeOutput([12], 'int32');
  _wasmHeap(backend).typedArrayFromHeap(geometry).set([ci, h, w, n, kh, kw, sh, sw, pt, pl, ho, wo]);
  kernels.im2col_t(_heapPointer(xT, backend), _heapPointer(geometry, backend), _heapPointer(patches, backend));
  const dy2 = _reshape(backend, dyT, [ho * wo * n, co]);
  const product = _call('BatchMatMul', backend, { a: patches, b: dy2 }, { transposeA: false, transposeB: false });
  const out = _reshape(backend, product, [kh, kw, ci, co]);
  _free(backend, xT, dyT, patches, geometry, dy2, product);
  return out;
}

/**
 * Whether dW is computed by im2col + matmul rather than by the conv with the batch in the
 * channel slot: for 1×1 kernels. There the patch matrix is x transposed (strided by the stride)
 * and the conv trick degenerates to Ci output pixels over a dilated, image-sized filter.
 * Measured with `npx tsx bench/conv-step.ts kernels` (2 threads, batch 64, median of 7, 2–3
 * runs on a loaded machine): ResNet 1×1 stride-2 shortcuts 18–36 → 5–12, 10–32 → 3.4–4.9 and
 * 9.5–11 → 3.5 ms; for 3×3 and larger kernels the JS patch loop made im2col slower on every
 * shape but the 3-channel stem (a tie) — e.g. ResNet stage 1, 37–82 ms conv vs 76–171 im2col.
 */
export function _useIm2col(g: _FilterGradGeometry): boolean {
  return g.filterHeight === 1 && g.filterWidth === 1;
}

/**
 * Whether dW is computed by {@link _filterGradByGemm} (when the fused kernels are available):
 * for 3×3 kernels at stride 1. Measured (2 threads, batch 64, median of 7, fresh tensors each
 * call, conv trick → matmul): ResNet stem 21 → 14 ms, stages 1–4 37 → 33, 24 → 20, 18 → 15,
 * 15 → 12 ms, AlexNet's 3×3 layer 58 → 51 ms; it lost at stride 2 (ResNet's first stage-2 conv
 * 16 → 18 ms) and for AlexNet's 4×4 and 2×2 layers (39 → 63, 12 → 14 ms).
 */
export function _useGemm(g: _FilterGradGeometry): boolean {
  return g.filterHeight === 3 && g.filterWidth === 3 && g.strideHeight === 1 && g.strideWidth === 1;
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
  const g = {
    filterHeight: info.filterHeight, filterWidth: info.filterWidth,
    strideHeight: info.strideHeight, strideWidth: info.strideWidth,
    padTop: info.padInfo.top, padLeft: info.padInfo.left,
  };
  const native = _nativeGeometry(info);
  if (x.dtype === 'float32' && dy.dtype === 'float32' && _nativeConvAvailable(native)) {
    return _nativeConv('filterGrad', backend, x, dy, native);
  }
  const kernels = _hostKernels();
  if (_useIm2col(g)) return _filterGradByIm2col(backend, x, dy, g);
  return kernels !== null && _useGemm(g) ? _filterGradByGemm(backend, kernels, x, dy, g) : _filterGradByConv(backend, x, dy, g);
}

/** Kernel config: `Conv2DBackpropFilter` on wasm (conv trick, im2col or matmul by shape). */
export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
};
