/**
 * Internal: the wasm convolution kernels' native route (native/conv.cc through the OpenBLAS
 * binding): forward, input gradient and filter gradient of NHWC float32 convolutions with
 * dilation 1, computed in place on the wasm heap as chunked im2col + sgemm on all the cores the
 * wasm backend uses, with no transposes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { _nativeBlas, _nativeThreads } from '../native-blas';
import { _wasmHeap } from '../wasm-heap';
import { _alloc } from './_heap';

/** The convolution's geometry, dilation 1 (padding as top/left offsets). */
export interface _NativeConvGeometry {
  n: number; h: number; w: number; ci: number;
  kh: number; kw: number; strideHeight: number; strideWidth: number; padTop: number; padLeft: number;
  ho: number; wo: number; co: number;
}

/** The geometry of a convolution described by tfjs's conv info (its dilation must be 1). */
export function _nativeGeometry(info: tf.backend_util.Conv2DInfo): _NativeConvGeometry {
  return {
    n: info.batchSize, h: info.inHeight, w: info.inWidth, ci: info.inChannels,
    kh: info.filterHeight, kw: info.filterWidth, strideHeight: info.strideHeight, strideWidth: info.strideWidth,
    padTop: info.padInfo.top, padLeft: info.padInfo.left, ho: info.outHeight, wo: info.outWidth, co: info.outChannels,
  };
}

/** Which of the three products: (x, filter) → y, (dy, filter) → dx, (x, dy) → dW. */
export type _NativeConvKind = 'forward' | 'inputGrad' | 'filterGrad';

/** Whether the native route can take this convolution: the binding is built and every size is non-zero. */
export function _nativeConvAvailable(g: _NativeConvGeometry): boolean {
  return _nativeBlas() !== null && [g.n, g.h, g.w, g.ci, g.kh, g.kw, g.ho, g.wo, g.co].every((d) => d > 0);
}

/**
 * Runs one convolution product natively into a new float32 tensor (the caller frees it):
 * forward (a = x, b = filter) → [n, ho, wo, co]; inputGrad (a = dy, b = filter) → [n, h, w, ci];
 * filterGrad (a = x, b = dy) → [kh, kw, ci, co]. Requires {@link _nativeConvAvailable}.
 */
export function _nativeConv(
  kind: _NativeConvKind, backend: tf.KernelBackend, a: tf.TensorInfo, b: tf.TensorInfo, g: _NativeConvGeometry,
): tf.TensorInfo {
  const blas = _nativeBlas();
  if (blas === null) throw new Error('TicketLab native conv: the native BLAS binding is not loaded.');
  const shape = kind === 'forward' ? [g.n, g.ho, g.wo, g.co] : kind === 'inputGrad' ? [g.n, g.h, g.w, g.ci] : [g.kh, g.kw, g.ci, g.co];
  const out = _alloc(backend, shape);
  const heap = _wasmHeap(backend);
  const geometry = Int32Array.of(
    g.n, g.h, g.w, g.ci, g.kh, g.kw, g.strideHeight, g.strideWidth, g.padTop, g.padLeft, g.ho, g.wo, g.co,
  );
  const va = heap.typedArrayFromHeap(a) as Float32Array;
  const vb = heap.typedArrayFromHeap(b) as Float32Array;
  const vo = heap.typedArrayFromHeap(out) as Float32Array;
  const run = kind === 'forward' ? blas.conv2dForward : kind === 'inputGrad' ? blas.conv2dInputGrad : blas.conv2dFilterGrad;
  run.call(blas, geometry, va, vb, vo, _nativeThreads());
  return out;
}
