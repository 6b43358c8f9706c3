/**
 * One-pass top-c selection of score tensors for training steps [methods.md §1.3, P2]. The
 * threshold τ is the exact k-th smallest |s| (the same rule as {@link selectKth}: ties at τ
 * kept), but the search reuses the previous step's τ as a bracket: scores move little per step,
 * so a single pass counts the values below a small key window around the old τ, collects the few
 * inside it, and writes the output of the values outside it. When rank k falls in the window, τ
 * is selected among the collected values and only their output entries are fixed; otherwise
 * (first step, a large move, a window overflow) a full radix selection runs and the window
 * widens.
 *
 * The output is either the 0/1 float32 mask m or, fused, the masked weight W ⊙ m: kept entries
 * copy W's bits (W·1), dropped ones keep only W's sign bit (W·0 = ±0), exactly what a float32
 * multiply by the mask gives for finite W.
 *
 * Keys: |s| as its float32 bits with the sign bit cleared; for non-negative floats the unsigned
 * order of the bits is the float order (−0 and +0 both map to key 0, as `abs` does).
 *
 * On wasm the passes run as SIMD kernels on the heap (src/backend/host-kernels/top-c-kernels.ts,
 * the same integer logic), long tensors in parts on the host threads, merged in index order; the
 * window pass runs on the native binding where it is built (native/top-c.cc, AVX2, its own threads). Elsewhere large JS passes are split over the host threads
 * (src/backend/host-threads.ts) when the arrays live in shared memory; each part counts and
 * collects its own range and the parts are merged in index order, so the result is
 * bit-identical to one serial pass.
 */
import type * as tf from '@tensorflow/tfjs-core';
import {
  _heapTensor, _heapView, _heapViewPointer, _hostKernelPartCount, _hostKernels, _runHostKernelParts, type HostKernels,
} from '../backend/host-kernels/index';
import { _heapPointer } from '../backend/wasm-heap';
import { runSplit } from '../backend/host-threads';

/** A bracket remembered between steps for one score tensor. */
export interface TopCWindowState {
  /** Key of the last threshold. */
  tauKey: number;
  /** Half-width of the window in key units (≈ relative width · 2^23). */
  halfWidth: number;
}

/** Smallest half-width tried: about ±0.01 % of τ. */
const MIN_HALF_WIDTH = 1 << 10;

/** Passes over at least this many values are split over the host threads. */
export const SPLIT_MIN_LENGTH = 1 << 20;

/** Window buffer capacity for n values: small against n, large enough for slow drifts. */
function capacityFor(n: number): number {
  return Math.max(1024, Math.ceil(n / 64));
}

/**
 * Window pass over [start, end): counts keys below [lo, hi] into scratch[0], keys inside it into
 * scratch[1], collects the first `capacity` inside (keys at scratch[2…], indices at
 * scratch[2 + capacity…]) and writes the output of keys above hi (kept) and below lo (dropped).
 * arrays: [score bits, output bits] (mask) or [score bits, output bits, weight bits] (W ⊙ m);
 * params: [lo, hi, capacity]. Self-contained: host threads compile it from its source.
 */
function _windowPass(arrays: Int32Array[], params: readonly number[], start: number, end: number, scratch: Int32Array): void {
  const score = arrays[0];
  const out = arrays[1];
  const lo = params[0] | 0;
  const hi = params[1] | 0;
  const capacity = params[2] | 0;
  let below = 0;
  let inside = 0;
  // Branch-free on the common path (keys are < 2^31, so differences fit in int32);
  // (hi − key) >> 31 is all ones when key > hi.
  if (arrays.length === 2) {
    for (let i = start; i < end; i++) {
      const key = score[i] & 0x7fffffff;
      below += (key - lo) >>> 31;
      out[i] = ((hi - key) >> 31) & 0x3f800000; // 1.0f or 0
      if (((key - lo) | (hi - key)) >= 0) {
        if (inside < capacity) {
          scratch[2 + inside] = key;
          scratch[2 + capacity + inside] = i;
        }
        inside++;
      }
    }
  } else {
    const weight = arrays[2];
    for (let i = start; i < end; i++) {
      const key = score[i] & 0x7fffffff;
      below += (key - lo) >>> 31;
      out[i] = weight[i] & (((hi - key) >> 31) | 0x80000000); // w or ±0
      if (((key - lo) | (hi - key)) >= 0) {
        if (inside < capacity) {
          scratch[2 + inside] = key;
          scratch[2 + capacity + inside] = i;
        }
        inside++;
      }
    }
  }
  scratch[0] = below;
  scratch[1] = inside;
}

/**
 * Threshold pass over [start, end): writes the output for keys ≥ τ kept, the rest dropped.
 * arrays as {@link _windowPass}; params: [τ key]. Self-contained.
 */
function _thresholdPass(arrays: Int32Array[], params: readonly number[], start: number, end: number): void {
  const score = arrays[0];
  const out = arrays[1];
  const tauKey = params[0] | 0;
  if (arrays.length === 2) {
    for (let i = start; i < end; i++) out[i] = ~(((score[i] & 0x7fffffff) - tauKey) >> 31) & 0x3f800000;
  } else {
    const weight = arrays[2];
    for (let i = start; i < end; i++) out[i] = weight[i] & (~(((score[i] & 0x7fffffff) - tauKey) >> 31) | 0x80000000);
  }
}

/**
 * Radix count pass over [start, end) of |s| keys into scratch (65 536 counts): by the high 16 bits
 * when params[0] < 0, else by the low 16 bits of keys whose high 16 bits are params[0].
 * arrays: [score bits]. Self-contained.
 */
function _radixCountPass(arrays: Int32Array[], params: readonly number[], start: number, end: number, scratch: Int32Array): void {
  const score = arrays[0];
  const high = params[0] | 0;
  scratch.fill(0);
  if (high < 0) {
    for (let i = start; i < end; i++) scratch[(score[i] & 0x7fffffff) >>> 16]++;
  } else {
    for (let i = start; i < end; i++) {
      const key = score[i] & 0x7fffffff;
      if (key >>> 16 === high) scratch[key & 0xffff]++;
    }
  }
}

/** Counts of all parts of a radix pass, summed. */
function radixCounts(score: Int32Array, high: number): Int32Array {
  const parts = runSplit(_radixCountPass, [score], [high], 65536, SPLIT_MIN_LENGTH);
  const counts = parts[0];
  for (let p = 1; p < parts.length; p++) for (let b = 0; b < 65536; b++) counts[b] += parts[p][b];
  return counts;
}

/** k-th smallest (1-based) key of |s| bits by two-pass radix selection over the high and low 16 bits. */
function radixSelectAbs(score: Int32Array, k: number): number {
  let counts = radixCounts(score, -1);
  let rank = k;
  let high = 0;
  while (counts[high] < rank) rank -= counts[high++];
  counts = radixCounts(score, high);
  let low = 0;
  while (counts[low] < rank) rank -= counts[low++];
  return (high << 16) | low;
}

let keyBuffer = new Int32Array(0);
let indexBuffer = new Int32Array(0);

/** The collected window keys and indices of all parts, in index order (inside ≤ capacity). */
function mergeWindow(parts: Int32Array[], inside: number, capacity: number): { keys: Int32Array; index: Int32Array } {
  if (parts.length === 1) {
    return { keys: parts[0].subarray(2, 2 + inside), index: parts[0].subarray(2 + capacity, 2 + capacity + inside) };
  }
  if (keyBuffer.length < inside) {
    keyBuffer = new Int32Array(capacity);
    indexBuffer = new Int32Array(capacity);
  }
  let at = 0;
  for (const part of parts) {
    const count = part[1];
    keyBuffer.set(part.subarray(2, 2 + count), at);
    indexBuffer.set(part.subarray(2 + capacity, 2 + capacity + count), at);
    at += count;
  }
  return { keys: keyBuffer.subarray(0, inside), index: indexBuffer.subarray(0, inside) };
}

/**
 * Writes the top-c output of scores into `out` — the 0/1 mask (1 where |s| ≥ τ, τ the k-th
 * smallest |s|), or W ⊙ m when `weight` is given — and returns the window state to pass to the
 * next call for the same scores.
 * @param score the scores' float32 bits (an Int32Array view; not modified)
 * @param out n float32 entries as int32 bits, overwritten
 * @param weight W's float32 bits for the fused W ⊙ m, or null for the mask
 * @param k 1-based rank of τ, from topCRank (the caller validates it)
 * @param state the state this function returned for the previous step, or undefined
 * @example
 * ```ts
 * const s = Float32Array.of(-0.4, 0.1, 0.3, -0.2), out = new Float32Array(4);
 * _topCWindowed(new Int32Array(s.buffer), new Int32Array(out.buffer), null, 3, undefined); // out = [1, 0, 1, 0]
 * ```
 */
export function _topCWindowed(
  score: Int32Array,
  out: Int32Array,
  weight: Int32Array | null,
  k: number,
  state: TopCWindowState | undefined,
): TopCWindowState {
  const n = score.length;
  const kernels = _hostKernels();
  const pointers = [score, out, weight ?? score].map(_heapViewPointer);
  if (kernels !== null && pointers.every((p) => p !== null)) {
    const [s, o, w] = pointers as number[];
    return windowedOnKernels(kernels, { s, out: o, w: weight === null ? 0 : w }, n, k, state);
  }
  const arrays = weight === null ? [score, out] : [score, out, weight];
  if (state !== undefined) {
    const capacity = capacityFor(n);
    const lo = Math.max(0, state.tauKey - state.halfWidth) | 0;
    const hi = Math.min(0x7fffffff, state.tauKey + state.halfWidth) | 0;
    const parts = runSplit(_windowPass, arrays, [lo, hi, capacity], 2 + 2 * capacity, SPLIT_MIN_LENGTH);
    let below = 0;
    let inside = 0;
    for (const part of parts) {
      below += part[0];
      inside += part[1];
    }
    const rank = k - below;
    if (inside <= capacity && rank >= 1 && rank <= inside) {
      const { keys, index } = mergeWindow(parts, inside, capacity);
      const tauKey = _kthSmallest(keys, rank);
      for (let j = 0; j < inside; j++) {
        if (keys[j] >= tauKey) out[index[j]] = weight === null ? ONE_BITS : weight[index[j]];
      }
      return afterHit(tauKey, state);
    }
    // Missed (τ moved out of the window) or overflowed (the window was too crowded).
    const tauKey = radixSelectAbs(score, k);
    runSplit(_thresholdPass, arrays, [tauKey], 0, SPLIT_MIN_LENGTH);
    return afterMiss(tauKey, state, inside > capacity);
  }
  const tauKey = radixSelectAbs(score, k);
  runSplit(_thresholdPass, arrays, [tauKey], 0, SPLIT_MIN_LENGTH);
  return { tauKey, halfWidth: MIN_HALF_WIDTH * 8 };
}

/**
 * The `rank`-th smallest (1-based, 1 ≤ rank ≤ length) of `keys` by quickselect on a copy (`keys` is not modified):
 * linear time, where sorting the 3–10 k keys of a large layer's window took ~0.5 ms a step.
 * @internal
 */
export function _kthSmallest(keys: Int32Array, rank: number): number {
  const a = keys.slice();
  const k = rank - 1;
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    // [lo, j] ≤ pivot ≤ [i, hi], and every entry strictly between j and i equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** The window state after a hit: a few recent moves wide, narrowing gently when τ settles. */
function afterHit(tauKey: number, state: TopCWindowState): TopCWindowState {
  const move = Math.abs(tauKey - state.tauKey);
  return { tauKey, halfWidth: Math.max(MIN_HALF_WIDTH, 4 * move, state.halfWidth >>> 1) };
}

/** The window state after a miss or an overflow: widen (or narrow) step by step. */
function afterMiss(tauKey: number, state: TopCWindowState, overflowed: boolean): TopCWindowState {
  return { tauKey, halfWidth: overflowed ? Math.max(MIN_HALF_WIDTH, state.halfWidth >>> 2) : 2 * state.halfWidth };
}

/** Bit pattern of 1.0f, a kept mask entry. */
const ONE_BITS = 0x3f800000;

/**
 * {@link _topCWindowed} on the SIMD kernels: heap pointers of s, out and w (0 for the mask).
 * Heap views are taken after every allocation (a growing heap detaches non-shared views).
 */
function windowedOnKernels(
  kernels: HostKernels,
  p: { readonly s: number; readonly out: number; readonly w: number },
  n: number,
  k: number,
  state: TopCWindowState | undefined,
): TopCWindowState {
  const threshold = (tauKey: number): void => {
    if (p.w !== 0) kernels.topc_weight_threshold(p.s, p.w, p.out, 0, n, tauKey);
    else kernels.topc_mask_threshold(p.s, p.out, 0, n, tauKey);
  };
  const select = (): number => radixSelectAbs(_heapView(Int32Array, p.s, n), k);
  if (state === undefined) {
    const tauKey = select();
    threshold(tauKey);
    return { tauKey, halfWidth: MIN_HALF_WIDTH * 8 };
  }
  const capacity = capacityFor(n);
  const lo = Math.max(0, state.tauKey - state.halfWidth) | 0;
  const hi = Math.min(0x7fffffff, state.tauKey + state.halfWidth) | 0;
  // One window pass per part of [0, n) (several on the host threads for long tensors), each
  // with its own buffer: keys, local indices, [below, inside].
  const partCount = _hostKernelPartCount(n, 'topc_window');
  const step = Math.ceil(n / partCount / 1024) * 1024;
  const starts = Array.from({ length: Math.ceil(n / step) }, (_, j) => j * step);
  const stride = 2 * capacity + 2;
  const scratch = _heapTensor([starts.length * stride]);
  try {
    const base = _heapPointer(scratch);
    _runHostKernelParts('topc_window', starts.map((start, j) => {
      const at = base + 4 * stride * j;
      return [p.s + 4 * start, p.w === 0 ? 0 : p.w + 4 * start, p.out + 4 * start, Math.min(step, n - start), lo, hi, capacity, at, at + 4 * capacity, at + 8 * capacity];
    }));
    const ints = _heapView(Int32Array, base, starts.length * stride);
    let below = 0;
    let inside = 0;
    starts.forEach((_, j) => {
      below += ints[j * stride + 2 * capacity];
      inside += ints[j * stride + 2 * capacity + 1];
    });
    const rank = k - below;
    if (inside <= capacity && rank >= 1 && rank <= inside) {
      // Every part collected all its entries (each holds at most `inside`): merge in index order.
      const keys = new Int32Array(inside);
      const index = new Int32Array(inside);
      let at = 0;
      starts.forEach((start, j) => {
        const count = ints[j * stride + 2 * capacity + 1];
        keys.set(ints.subarray(j * stride, j * stride + count), at);
        for (let q = 0; q < count; q++) index[at + q] = start + ints[j * stride + capacity + q];
        at += count;
      });
      const tauKey = _kthSmallest(keys, rank);
      const out = _heapView(Int32Array, p.out, n);
      const weight = p.w === 0 ? null : _heapView(Int32Array, p.w, n);
      for (let j = 0; j < inside; j++) {
        if (keys[j] >= tauKey) out[index[j]] = weight === null ? ONE_BITS : weight[index[j]];
      }
      return afterHit(tauKey, state);
    }
    const tauKey = select();
    threshold(tauKey);
    return afterMiss(tauKey, state, inside > capacity);
  } finally {
    scratch.dispose();
  }
}

/** Last step's threshold bracket per score tensor (variables keep their identity across steps). */
const windows = new WeakMap<tf.Tensor, { k: number; state: TopCWindowState }>();

/**
 * {@link _topCWindowed} for the score tensor `scoreTensor` (whose values `score` holds), reusing
 * and updating that tensor's bracket from its last selection with the same k.
 * @returns the key of τ (|s| bits), e.g. to rebuild the mask in a backward pass
 */
export function _topCForTensor(
  scoreTensor: tf.Tensor,
  score: Int32Array,
  out: Int32Array,
  weight: Int32Array | null,
  k: number,
): number {
  const previous = windows.get(scoreTensor);
  const state = _topCWindowed(score, out, weight, k, previous?.k === k ? previous.state : undefined);
  windows.set(scoreTensor, { k, state });
  return state.tauKey;
}

/**
 * Backward pass of W_eff = W ⊙ m over [start, end): ∂L/∂W = dy ⊙ m and the straight-through
 * ∂L/∂s = dy ⊙ W ⊙ sign(s), m rebuilt from τ's key. Bit-identical to the float32 ops
 * `dy · m` and `(dy · W) · sign(s)` for finite values: a product rounded once to float32 and then
 * multiplied by ±1 or 0 is the exact double product rounded once. sign(s) is 0 for |s| keys
 * below `signFloor` and for NaN, as the backend's Sign kernel gives. arrays: [dy, W, s, ∂W, ∂s]
 * (float32 bits); params: [τ key, signFloor]. Self-contained.
 */
function _maskedWeightGradPass(arrays: Int32Array[], params: readonly number[], start: number, end: number): void {
  const dyBits = arrays[0];
  const scoreBits = arrays[2];
  const dwBits = arrays[3];
  const dy = new Float32Array(dyBits.buffer, dyBits.byteOffset, dyBits.length);
  const w = new Float32Array(arrays[1].buffer, arrays[1].byteOffset, arrays[1].length);
  const ds = new Float32Array(arrays[4].buffer, arrays[4].byteOffset, arrays[4].length);
  const tauKey = params[0] | 0;
  const signFloor = params[1] | 0;
  for (let i = start; i < end; i++) {
    const bits = scoreBits[i];
    const key = bits & 0x7fffffff;
    dwBits[i] = dyBits[i] & (~((key - tauKey) >> 31) | 0x80000000); // dy or ±0
    ds[i] = dy[i] * w[i] * (key < signFloor || key > 0x7f800000 ? 0 : (bits >> 31) | 1);
  }
}

/**
 * The smallest |s| key whose sign is ±1 under `backend`'s Sign kernel:
 * tfjs-backend-wasm 4.22 gives 0 for |x| < FLT_EPSILON (2^−23), the cpu backend only for ±0.
 */
export function _signFloorKey(backend: string): number {
  return backend === 'wasm' ? 0x34000000 : 1;
}

/**
 * Fills ∂L/∂W and ∂L/∂s of W_eff = W ⊙ m from dy, W and s (float32 bits; m = |s| ≥ τ, τ given
 * by its key from {@link _topCForTensor}) in one pass, split over the host threads when large.
 * @param backend the tfjs backend holding the data, whose sign(s) is matched
 * @example
 * ```ts
 * _topCMaskedWeightGrad(dy, w, s, dw, ds, tauKey, 'cpu'); // dw = dy ⊙ m, ds = dy ⊙ w ⊙ sign(s)
 * ```
 */
export function _topCMaskedWeightGrad(
  dy: Int32Array,
  w: Int32Array,
  s: Int32Array,
  dw: Int32Array,
  ds: Int32Array,
  tauKey: number,
  backend: string,
): void {
  const kernels = _hostKernels();
  const pointers = [dy, w, s, dw, ds].map(_heapViewPointer);
  if (kernels !== null && pointers.every((p) => p !== null)) {
    const [pDy, pW, pS, pDw, pDs] = pointers as number[];
    kernels.topc_masked_weight_grad(pDy, pW, pS, pDw, pDs, 0, dy.length, tauKey, _signFloorKey(backend));
    return;
  }
  runSplit(_maskedWeightGradPass, [dy, w, s, dw, ds], [tauKey, _signFloorKey(backend)], 0, SPLIT_MIN_LENGTH);
}
