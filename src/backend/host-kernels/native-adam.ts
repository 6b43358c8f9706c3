/**
 * Adam's fused updates on TicketLab's native binding (native/optimizer.cc): the same signatures
 * and the same numbers, bit for bit, as the wasm `adam` kernel and the `adam_top_c_weight` +
 * `adam_top_c_score` pair, over the same heap offsets, but eight lanes wide with AVX2 and WSN's
 * weight and score in one pass. The wasm kernels are bound by f32x4 division and square root
 * (about 1 ns per entry here); see docs/cpu-speed.md for what this saves.
 */
import { _nativeBlas, _nativeThreads } from '../native-blas';
import type { HostKernels } from './index';

/** The update kernels the native binding replaces. */
export type AdamKernels = Pick<HostKernels, 'adam' | 'adam_top_c'>;

/**
 * The native Adam kernels over `memory` (the wasm backend's), or null when the binding is
 * missing, off, or built before it had them.
 */
export function _nativeAdamKernels(memory: WebAssembly.Memory): AdamKernels | null {
  const binding = _nativeBlas();
  if (!binding?.adam || !binding.adamTopC) return null;
  const native = { adam: binding.adam.bind(binding), adamTopC: binding.adamTopC.bind(binding) };
  let buffer: ArrayBufferLike | null = null;
  let heap = new Uint8Array(0);
  /** A view of the whole heap, renewed when the memory has grown. */
  const heapView = (): Uint8Array => {
    if (memory.buffer !== buffer) {
      buffer = memory.buffer;
      heap = new Uint8Array(buffer);
    }
    return heap;
  };
  const adamArgs = new Float64Array(19);
  const topCArgs = new Float64Array(30);
  return {
    adam(w, g, m, v, outW, outM, outV, mask, n, decay, wd, beta1, oneMinusBeta1, beta2, oneMinusBeta2, invCorrection2, epsilon, stepSize) {
      adamArgs.set([
        w, g, m, v, outW, outM, outV, mask, n, decay, _nativeThreads(),
        wd, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon, invCorrection2, stepSize,
      ]);
      native.adam(heapView(), adamArgs);
    },
    adam_top_c(
      dy, s, w, mW, vW, mS, vS, outW, outMW, outVW, outS, outMS, outVS, maskW, maskS, n, decay, tauKey, signFloor,
      wd, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon, invCorrection2W, stepSizeW, invCorrection2S, stepSizeS,
    ) {
      topCArgs.set([
        dy, s, w, mW, vW, mS, vS, outW, outMW, outVW, outS, outMS, outVS, maskW, maskS, n, decay, tauKey, signFloor, _nativeThreads(),
        wd, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon, invCorrection2W, stepSizeW, invCorrection2S, stepSizeS,
      ]);
      native.adamTopC(heapView(), topCArgs);
    },
  };
}
