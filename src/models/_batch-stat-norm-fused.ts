/**
 * Internal: batch-statistics normalisation on wasm with TicketLab's fused channel kernels
 * (src/backend/host-kernels/channel-wat.ts): channel means and variances in one float64 pass
 * with no transposes, the normalisation in one SIMD pass, and the closed-form gradient in two
 * (channel sums of dy and dy·y, then the elementwise formula). The tensor-op version in
 * layers.ts needs ~12 full passes and 4 transposes for the same work.
 */
import * as tf from '@tensorflow/tfjs-core';
import { _heapTensor, _heapView, type HostKernels } from '../backend/host-kernels/index';
import { _heapPointer } from '../backend/wasm-heap';

/** Float64 scratch of three [C] vectors and float32 per-channel vectors, in one heap tensor. */
interface Scratch {
  readonly tensor: tf.Tensor;
  /** Byte offsets: float64 shift, sumA, sumB, then float32 p, q, s. */
  readonly shift: number;
  readonly sumA: number;
  readonly sumB: number;
  readonly p: number;
  readonly q: number;
  readonly s: number;
}

function scratch(channels: number): Scratch {
  const tensor = _heapTensor([9 * channels]); // 3·C float64 (6·C floats) + 3·C float32
  const base = _heapPointer(tensor);
  if (base % 8 !== 0) throw new Error(`batchStatNorm: heap block at ${base} is not 8-byte aligned`);
  const f64 = 8 * channels;
  return { tensor, shift: base, sumA: base + f64, sumB: base + 2 * f64, p: base + 3 * f64, q: base + 3 * f64 + 4 * channels, s: base + 3 * f64 + 8 * channels };
}

/** Channel sums of (x − shift) and (x − shift)·(y or itself), as float64 arrays (copies). */
function moments(kernels: HostKernels, x: tf.Tensor, y: tf.Tensor | null, rows: number, channels: number, work: Scratch): [Float64Array, Float64Array] {
  _heapView(Float64Array, work.sumA, 2 * channels).fill(0);
  kernels.channel_moments(_heapPointer(x), y ? _heapPointer(y) : 0, work.shift, rows, channels, work.sumA, work.sumB);
  return [_heapView(Float64Array, work.sumA, channels).slice(), _heapView(Float64Array, work.sumB, channels).slice()];
}

/**
 * y = (x − mean) / √(var + eps) per channel (last axis) with batch statistics, and its
 * closed-form gradient, on the fused wasm kernels. Same contract as `batchStatNorm`.
 */
export function _batchStatNormFused<T extends tf.Tensor>(kernels: HostKernels, x: T, eps: number): T {
  const channels = x.shape[x.rank - 1];
  const rows = x.size / channels;
  const forward = (input: tf.Tensor, save: tf.GradSaveFunc) => {
    const work = scratch(channels);
    // Shift by the first row (a rough mean): the shifted sums give an accurate variance in one pass.
    const first = _heapView(Float32Array, _heapPointer(input), channels);
    _heapView(Float64Array, work.shift, channels).set(first);
    const [sum, squares] = moments(kernels, input, null, rows, channels, work);
    const mean = _heapView(Float32Array, work.p, channels);
    const inv = _heapView(Float32Array, work.s, channels);
    const shift = _heapView(Float64Array, work.shift, channels);
    for (let c = 0; c < channels; c++) {
      const variance = Math.max(0, (squares[c] - (sum[c] * sum[c]) / rows) / rows);
      mean[c] = shift[c] + sum[c] / rows;
      inv[c] = 1 / Math.sqrt(variance + eps);
    }
    const y = _heapTensor(input.shape);
    kernels.channel_normalize(_heapPointer(input), 0, rows, channels, work.p, 0, work.s, _heapPointer(y));
    const invTensor = tf.tensor1d(_heapView(Float32Array, work.s, channels).slice());
    work.tensor.dispose();
    save([y, invTensor]);
    const gradFunc = (dy: tf.Tensor, [yS, invS]: tf.Tensor[]) => {
      const back = scratch(channels);
      _heapView(Float64Array, back.shift, channels).fill(0);
      const [sumDy, sumDyY] = moments(kernels, dy, yS, rows, channels, back);
      const meanDyY = _heapView(Float32Array, back.p, channels);
      const meanDy = _heapView(Float32Array, back.q, channels);
      for (let c = 0; c < channels; c++) {
        meanDyY[c] = sumDyY[c] / rows;
        meanDy[c] = sumDy[c] / rows;
      }
      _heapView(Float32Array, back.s, channels).set(invS.dataSync());
      const dx = _heapTensor(input.shape);
      kernels.channel_norm_grad(_heapPointer(dy), _heapPointer(yS), rows, channels, back.p, back.q, back.s, _heapPointer(dx));
      back.tensor.dispose();
      return dx;
    };
    return { value: y, gradFunc };
  };
  // customGrad's declared type mixes tensors and the save function in one rest parameter.
  return tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0])(x) as T;
}
