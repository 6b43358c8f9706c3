/**
 * `UnsortedSegmentSum` for wasm (missing from stock tfjs-backend-wasm 4.22). It is the gradient
 * of `tf.gather` on axis 0, so without it nothing that gathers a trainable tensor can train.
 *
 * out[s, …] = Σ_{i: ids[i] = s} x[i, …] as one matrix product oneHot(ids, S)ᵀ · x, S × N by
 * N × R. Ids outside [0, S) get an all-zero one-hot row and are dropped, as in TensorFlow.
 */
import * as tf from '@tensorflow/tfjs-core';
import { _call, _free, _reshape } from './_call';

function unsortedSegmentSum(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { backend } = args;
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = args.attrs as { numSegments: number };
  const rows = x.shape[0];
  const rest = x.shape.slice(1);
  const width = rest.reduce((p, d) => p * d, 1);
  const ids = _reshape(backend, segmentIds, [rows]);
  // The wasm OneHot kernel writes int32 whatever dtype it is given: cast afterwards.
  const hotInt = _call('OneHot', backend, { indices: ids }, {
    depth: numSegments, onValue: 1, offValue: 0, dtype: 'int32',
  }); // [N, S]
  const hot = _call('Cast', backend, { x: hotInt }, { dtype: 'float32' });
  const hot3 = _reshape(backend, hot, [1, rows, numSegments]);
  const xf = x.dtype === 'float32' ? x : _call('Cast', backend, { x }, { dtype: 'float32' });
  const x3 = _reshape(backend, xf, [1, rows, width]);
  const prod = _call('BatchMatMul', backend, { a: hot3, b: x3 }, { transposeA: true, transposeB: false });
  const summed = _reshape(backend, prod, [numSegments, ...rest]);
  const out = x.dtype === 'float32' ? summed : _call('Cast', backend, { x: summed }, { dtype: x.dtype });
  _free(backend, ids, hotInt, hot, hot3, x3, prod, ...(xf === x ? [] : [xf]), ...(out === summed ? [] : [summed]));
  return out;
}

/** Kernel config: `UnsortedSegmentSum` on wasm as a one-hot matrix product. */
export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc,
};
