/**
 * `Transpose` for wasm on TicketLab's blocked SIMD transpose kernels
 * (src/backend/host-kernels/transpose-wat.ts). The stock kernel moves one element at a time
 * (about 7 ms for the 1.3 M floats of a ResNet activation, twice per conv filter gradient);
 * permutations of 4-byte tensors that merge to a matrix transpose or a 3-axis swap run as
 * cache-blocked 4×4 register transposes or block copies instead. Others use the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { _hostKernels } from '../host-kernels/index';
import { _heapPointer, _wasmHeap } from '../wasm-heap';

/**
 * `perm` with adjacent input axes that stay adjacent and in order merged (size-1 axes dropped):
 * e.g. [N, H, W, C] by [3, 1, 2, 0] is [N, H·W, C] by [2, 1, 0].
 * @example
 * ```ts
 * _mergedPermutation([64, 32, 32, 20], [1, 2, 0, 3]); // { shape: [64, 1024, 20], perm: [1, 0, 2] }
 * ```
 */
export function _mergedPermutation(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const groups: number[][] = [];
  for (const axis of perm.filter((a) => shape[a] !== 1)) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last[last.length - 1] + 1 === axis) last.push(axis);
    else groups.push([axis]);
  }
  const inputOrder = [...groups].sort((a, b) => a[0] - b[0]);
  return {
    shape: inputOrder.map((g) => g.reduce((size, axis) => size * shape[axis], 1)),
    perm: groups.map((g) => inputOrder.indexOf(g)),
  };
}

/** The fast transpose, or null when the permutation or dtype is not one it handles. */
function fastTranspose(backend: tf.KernelBackend, x: tf.TensorInfo, perm: readonly number[]): tf.TensorInfo | null {
  const kernels = _hostKernels();
  if (kernels === null || (x.dtype !== 'float32' && x.dtype !== 'int32')) return null;
  const merged = _mergedPermutation(x.shape, perm);
  const key = merged.perm.join(',');
  if (!['', '0', '1,0', '1,0,2', '0,2,1', '2,1,0'].includes(key)) return null;
  const out = _wasmHeap(backend).makeOutput(perm.map((axis) => x.shape[axis]), x.dtype);
  const src = _heapPointer(x, backend);
  const dst = _heapPointer(out, backend);
  const [a, b, c] = merged.shape;
  if (key === '' || key === '0') kernels.swap_blocks(src, 1, 1, a ?? 1, dst); // order unchanged: a copy
  else if (key === '1,0') kernels.transpose2d(src, a, b, b, dst, a);
  else if (key === '1,0,2') kernels.swap_blocks(src, a, b, c, dst);
  else if (key === '0,2,1') for (let i = 0; i < a; i++) kernels.transpose2d(src + 4 * i * b * c, b, c, c, dst + 4 * i * b * c, b);
  else for (let j = 0; j < b; j++) kernels.transpose2d(src + 4 * j * c, a, c, b * c, dst + 4 * j * a, b * a); // 2,1,0
  return out;
}

/** The Transpose kernel: the fast one where it applies, else `stock`'s. */
export function _transposeConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { perm } = args.attrs as unknown as { perm: number[] };
    return fastTranspose(args.backend, x, perm) ?? stock.kernelFunc(args);
  };
  return { ...stock, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
