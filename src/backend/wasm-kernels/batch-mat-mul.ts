/**
 * `BatchMatMul` for wasm with transposes materialised. The stock kernel leaves XNNPACK's fast
 * path whenever `transposeA` or `transposeB` is set, and every dense-layer gradient sets one;
 * transposing first and calling the stock kernel untransposed was several times faster
 * (perf-notes.md). Wraps the stock kernel, which it needs for the untransposed product.
 *
 * Which operand gets transposed matters: XNNPACK re-packs its right operand B whenever B is a
 * new tensor (in training: every step), and the stock `Transpose` is slow on large matrices
 * (about 55 ms for 2048 × 2048 on 2 cores, packing about 20 ms more, against 28 ms for the
 * product [64, 2048] · [2048, 2048] itself). So for A · Bᵀ with a small A — a dense layer's
 * input gradient dY · Wᵀ — the product is computed as (B · Aᵀ)ᵀ: only the small A and the small
 * result are transposed, and only Aᵀ is packed.
 *
 * When the native BLAS binding is built (src/backend/native-blas.ts), every float32 product runs
 * there instead, in place on the wasm heap with BLAS's own transposes; the paths above are the
 * fallback without it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { _nativeBlas, _nativeThreads, type NativeBlas } from '../native-blas';
import { _wasmHeap } from '../wasm-heap';
import { _call, _free, _transpose } from './_call';

function swapLast(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/**
 * Whether A · Bᵀ (A [M, K], B [N, K], no batch) is cheaper as (B · Aᵀ)ᵀ: that transposes and
 * packs M·K elements and transposes M·N, instead of transposing and packing N·K. Checked by
 * `npx tsx bench/conv-step.ts kernels`, which times both ways over shapes.
 */
export function _swapForTransposeB(m: number, k: number, n: number): boolean {
  return 2 * m * k + m * n < 2 * n * k;
}

/**
 * A · Bᵀ for rank-2 A [M, K] and B [N, K], directly (Bᵀ materialised) or `swapped` as (B · Aᵀ)ᵀ.
 * Calls the registered untransposed BatchMatMul; the caller frees the result.
 */
export function _matMulTransposeB(
  backend: tf.KernelBackend,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  swapped: boolean,
): tf.TensorInfo {
  const plain = (x: tf.TensorInfo, y: tf.TensorInfo) =>
    _call('BatchMatMul', backend, { a: x, b: y }, { transposeA: false, transposeB: false });
  if (!swapped) {
    const bT = _transpose(backend, b, [1, 0]);
    const out = plain(a, bT);
    _free(backend, bT);
    return out;
  }
  const aT = _transpose(backend, a, [1, 0]); // [K, M]
  const outT = plain(b, aT); // [N, M]
  const out = _transpose(backend, outT, [1, 0]);
  _free(backend, aT, outT);
  return out;
}

/**
 * Whether A · B (A [M, K] activations, B [K, N] fresh weights, no batch) is cheaper as
 * (Bᵀ · Aᵀ)ᵀ: XNNPACK then packs the small Aᵀ instead of re-packing the whole weight matrix
 * every step, and the three transposes run on the blocked SIMD Transpose. Measured on 2 threads
 * with a fresh B per call, shapes of AlexNet, LeNet-large and the PMNIST MLP:
 * [64,2048]·[2048,2048] 50 → 20 ms, [64,8192]·[8192,2500] 233 → 92 ms, [256,1024]·[1024,1024]
 * 17 → 13 ms, [64,512]·[512,512] 3.6 → 2.2 ms; it loses for narrow outputs such as
 * [64,784]·[784,100] (1.1 → 1.2 ms) and [64,2048]·[2048,100] (1.6 → 1.9 ms).
 */
export function _swapForPlain(m: number, n: number): boolean {
  return n >= 512 && 2 * m <= n;
}

/** A · B as (Bᵀ · Aᵀ)ᵀ (see {@link _swapForPlain}). */
function _matMulSwapped(backend: tf.KernelBackend, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  const aT = _transpose(backend, a, [1, 0]); // [K, M]
  const bT = _transpose(backend, b, [1, 0]); // [N, K]
  const outT = _call('BatchMatMul', backend, { a: bT, b: aT }, { transposeA: false, transposeB: false }); // [N, M]
  const out = _transpose(backend, outT, [1, 0]);
  _free(backend, aT, bT, outT);
  return out;
}

/**
 * op(A) · op(B) on the native BLAS binding, straight on the wasm heap (transposes handled by
 * BLAS), or null when the shapes are outside what it takes (batch dimensions that neither
 * match nor broadcast from 1).
 */
function _matMulNative(
  backend: tf.KernelBackend, blas: NativeBlas, a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean,
): tf.TensorInfo | null {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const batchA = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const batchB = b.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const batch = Math.max(batchA, batchB);
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return null;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  const outer = (batchA === batch ? a.shape : b.shape).slice(0, -2);
  const heap = _wasmHeap(backend);
  const out = heap.makeOutput([...outer, m, n], 'float32');
  if (m * n === 0) return out;
  const va = heap.typedArrayFromHeap(a) as Float32Array;
  const vb = heap.typedArrayFromHeap(b) as Float32Array;
  const vc = heap.typedArrayFromHeap(out) as Float32Array;
  if (k === 0) {
    vc.fill(0);
    return out;
  }
  for (let i = 0; i < batch; i++) {
    const ia = batchA === 1 ? 0 : i;
    const ib = batchB === 1 ? 0 : i;
    blas.sgemm(
      va.subarray(ia * m * k, (ia + 1) * m * k), vb.subarray(ib * k * n, (ib + 1) * k * n), vc.subarray(i * m * n, (i + 1) * m * n),
      m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0, _nativeThreads(),
    );
  }
  return out;
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
    const blas = _nativeBlas();
    if (blas !== null && a.dtype === 'float32' && b.dtype === 'float32') {
      const out = _matMulNative(backend, blas, a, b, transposeA, transposeB);
      if (out !== null) return out;
    }
    const ra = a.shape.length;
    const rb = b.shape.length;
    if (!transposeA && !transposeB) {
      const plain2d = ra === 2 && rb === 2;
      return plain2d && _swapForPlain(a.shape[0], b.shape[1]) ? _matMulSwapped(backend, a, b) : stock.kernelFunc(args);
    }
    if (!transposeA && ra === 2 && rb === 2 && _swapForTransposeB(a.shape[0], a.shape[1], b.shape[0])) {
      return _matMulTransposeB(backend, a, b, true);
    }
    const aT = transposeA ? _transpose(backend, a, swapLast(ra)) : a;
    const bT = transposeB ? _transpose(backend, b, swapLast(rb)) : b;
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
