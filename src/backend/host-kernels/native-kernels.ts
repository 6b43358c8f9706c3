/**
 * Fused kernels on TicketLab's native binding, with the same signatures and the same numbers, bit
 * for bit, as the wasm kernels they replace, over the same heap offsets, eight lanes wide with AVX2:
 * - Adam (native/optimizer.cc): the `adam` kernel, and the `adam_top_c_weight` +
 *   `adam_top_c_score` pair as one pass over WSN's weight and score. The wasm kernels are bound
 *   by f32x4 division and square root (about 1 ns per entry here).
 * - WSN's window pass (native/top-c.cc): `topc_window`, about 2.5× the wasm SIMD pass; it cuts
 *   long passes over the native threads itself, so its callers give it the whole range at once.
 * See docs/cpu-speed.md for what each saves.
 */
import { _nativeBlas, _nativeThreads } from '../native-blas';
import type { HostKernels } from './index';

/** The fused kernels the native binding can replace. */
export type NativeKernels = Partial<Pick<HostKernels, 'adam' | 'adam_top_c' | 'topc_window'>>;

/**
 * The native kernels over `memory` (the wasm backend's): those the binding has (none when it is
 * missing, off, or built before it had them).
 */
export function _nativeHostKernels(memory: WebAssembly.Memory): NativeKernels {
  const binding = _nativeBlas();
  if (binding === null) return {};
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
  const kernels: NativeKernels = {};
  if (binding.topCWindow) {
    const topCWindow = binding.topCWindow.bind(binding);
    const windowArgs = new Float64Array(11);
    kernels.topc_window = (s, w, out, n, lo, hi, capacity, keys, index, counts) => {
      windowArgs.set([s, w, out, n, lo, hi, capacity, keys, index, counts, _nativeThreads()]);
      topCWindow(heapView(), windowArgs);
    };
  }
  if (!binding.adam || !binding.adamTopC) return kernels;
  const native = { adam: binding.adam.bind(binding), adamTopC: binding.adamTopC.bind(binding) };
  const adamArgs = new Float64Array(19);
  const topCArgs = new Float64Array(30);
  return {
    ...kernels,
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
