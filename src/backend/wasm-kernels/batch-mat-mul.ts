/**
 * `BatchMatMul` for wasm with transposes materialised. The stock kernel leaves XNNPACK's fast
 * path whenever `transposeA` or `transposeB` is set, and every dense-layer gradient sets one;
 * transposing first and calling the stock kernel untransposed was several times faster
 * (perf-notes.md). Wraps the stock kernel, which it needs for the untransposed product.
 */
import * as tf from '@tensorflow/tfjs-core';
import { _free, _transpose } from './_call';

function swapLast(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/**
 * Builds the replacement from the stock config (its setupFunc must keep running on backend
 * start, since the stock kernel function depends on it).
 */
export function _batchMatMulConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }) => {
    const { backend } = args;
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return stock.kernelFunc(args);
    const aT = transposeA ? _transpose(backend, a, swapLast(a.shape.length)) : a;
    const bT = transposeB ? _transpose(backend, b, swapLast(b.shape.length)) : b;
    const out = stock.kernelFunc({
      ...args,
      inputs: { a: aT, b: bT },
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
    });
    _free(backend, ...(transposeA ? [aT] : []), ...(transposeB ? [bT] : []));
    return out;
  };
  return { ...stock, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
