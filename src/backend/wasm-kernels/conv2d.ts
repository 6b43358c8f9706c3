/**
 * `Conv2D` for wasm: wide or strided layers run as one native matrix product when the OpenBLAS
 * binding is built (src/backend/native-blas.ts): x → [Ci, H, W, N] by the SIMD Transpose, Pᵀ by
 * the bulk-copy im2col (host-kernels/im2col-wat.ts), Yᵀ = Wᵀ · Pᵀ by sgemm, back to NHWC.
 * Everything else (narrow layers, where XNNPACK on all wasm threads measured faster; dilations;
 * NCHW) runs on the stock XNNPACK kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { _hostKernels } from '../host-kernels/index';
import { _nativeBlas } from '../native-blas';
import { _heapPointer, _wasmHeap } from '../wasm-heap';
import { _alloc } from './_heap';
import { _call, _free, _reshape, _transpose } from './_call';
import { _useGemmForInput } from './conv2d-backprop-input';

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
    const kernels = _hostKernels();
    const plainDilation = dilations === undefined || dilations === 1 || (Array.isArray(dilations) && dilations[0] === 1 && dilations[1] === 1);
    if (kernels === null || _nativeBlas() === null || dataFormat === 'NCHW' || !plainDilation || x.dtype !== 'float32') {
      return stock.kernelFunc(args as never) as tf.TensorInfo;
    }
    const [n, h, w, ci] = x.shape;
    const [kh, kw, , co] = filter.shape;
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false,
    );
    const g = { inHeight: h, inWidth: w, strideHeight: info.strideHeight, strideWidth: info.strideWidth, padTop: info.padInfo.top, padLeft: info.padInfo.left };
    if (!_useGemmForInput(ci, co, g)) return stock.kernelFunc(args as never) as tf.TensorInfo;
    const { backend } = args;
    const { outHeight: ho, outWidth: wo } = info;
    const xT = _transpose(backend, x, [3, 1, 2, 0]); // [Ci, H, W, N]
    const patches = _alloc(backend, [kh * kw * ci, ho * wo * n]);
    const heap = _wasmHeap(backend);
    const geometry = heap.makeOutput([12], 'int32');
    heap.typedArrayFromHeap(geometry).set([ci, h, w, n, kh, kw, g.strideHeight, g.strideWidth, g.padTop, g.padLeft, ho, wo]);
    kernels.im2col_t(_heapPointer(xT, backend), _heapPointer(geometry, backend), _heapPointer(patches, backend));
    const w2 = _reshape(backend, filter, [kh * kw * ci, co]);
    const yT = _call('BatchMatMul', backend, { a: w2, b: patches }, { transposeA: true, transposeB: false }); // [Co, M]
    const y4 = _reshape(backend, yT, [co, ho, wo, n]);
    const y = _transpose(backend, y4, [3, 1, 2, 0]); // [N, Ho, Wo, Co]
    _free(backend, xT, patches, geometry, w2, yT, y4);
    return y;
  };
  return { ...stock, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
