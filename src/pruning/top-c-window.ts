/**
 * One-pass top-c masks of score tensors for training steps [methods.md §1.3, P2]. The threshold
 * τ is the exact k-th smallest |s| (the same rule as {@link selectKth}: ties at τ kept), but the
 * search reuses the previous step's τ as a bracket: scores move little per step, so a single
 * pass counts the values below a small key window around the old τ, collects the few inside it,
 * and writes the mask of the values above it. When rank k falls in the window, τ is selected
 * among the collected values and only their mask entries are fixed; otherwise (first step, a
 * large move, a window overflow) a full radix selection runs and the window widens.
 *
 * Keys: |s| as its float32 bits with the sign bit cleared; for non-negative floats the unsigned
 * order of the bits is the float order (−0 and +0 both map to key 0, as `abs` does).
 */

/** A bracket remembered between steps for one score tensor. */
export interface TopCWindowState {
  /** Key of the last threshold. */
  tauKey: number;
  /** Half-width of the window in key units (≈ relative width · 2^23). */
  halfWidth: number;
}

/** Smallest half-width tried: about ±0.01 % of τ. */
const MIN_HALF_WIDTH = 1 << 10;

/** Window buffer capacity for n values: small against n, large enough for slow drifts. */
function capacityFor(n: number): number {
  return Math.max(1024, Math.ceil(n / 64));
}

let keyBuffer = new Uint32Array(0);
let indexBuffer = new Int32Array(0);

function buffers(capacity: number): void {
  if (keyBuffer.length < capacity) {
    keyBuffer = new Uint32Array(capacity);
    indexBuffer = new Int32Array(capacity);
  }
}

/** k-th smallest (1-based) key of |s| bits by two-pass radix selection over the high and low 16 bits. */
function radixSelectAbs(bits: Int32Array, k: number): number {
  const n = bits.length;
  const counts = new Uint32Array(65536);
  for (let i = 0; i < n; i++) counts[(bits[i] & 0x7fffffff) >>> 16]++;
  let rank = k;
  let high = 0;
  while (counts[high] < rank) rank -= counts[high++];
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const key = bits[i] & 0x7fffffff;
    if (key >>> 16 === high) counts[key & 0xffff]++;
  }
  let low = 0;
  while (counts[low] < rank) rank -= counts[low++];
  return (high << 16) | low;
}

function writeMask(bits: Int32Array, out: Float32Array, tauKey: number): void {
  for (let i = 0; i < bits.length; i++) out[i] = (((bits[i] & 0x7fffffff) - tauKey) >>> 31) ^ 1; // key ≥ τ
}

/**
 * Writes the top-c mask of scores into `out` (1 where |s| ≥ τ, τ the k-th smallest |s|) and
 * returns the window state to pass to the next call for the same scores.
 * @param bits the scores' float32 bits (an Int32Array view of the Float32Array; not modified)
 * @param out n float32 entries, overwritten with 0/1
 * @param k 1-based rank of τ, from topCRank (the caller validates it)
 * @param state the state this function returned for the previous step, or undefined
 * @example
 * ```ts
 * const s = Float32Array.of(-0.4, 0.1, 0.3, -0.2), out = new Float32Array(4);
 * _topCMaskWindowed(new Int32Array(s.buffer), out, 3, undefined); // out = [1, 0, 1, 0]
 * ```
 */
export function _topCMaskWindowed(
  bits: Int32Array,
  out: Float32Array,
  k: number,
  state: TopCWindowState | undefined,
): TopCWindowState {
  const n = bits.length;
  if (state !== undefined) {
    const capacity = capacityFor(n);
    buffers(capacity);
    const keys = keyBuffer;
    const index = indexBuffer;
    const lo = Math.max(0, state.tauKey - state.halfWidth) | 0;
    const hi = Math.min(0x7fffffff, state.tauKey + state.halfWidth) | 0;
    let below = 0;
    let inside = 0;
    // Branch-free on the common path (keys are < 2^31, so differences fit in int32).
    for (let i = 0; i < n; i++) {
      const key = bits[i] & 0x7fffffff;
      below += (key - lo) >>> 31; // key < lo
      out[i] = (hi - key) >>> 31; // key > hi
      if (((key - lo) | (hi - key)) >= 0) {
        if (inside < capacity) {
          keys[inside] = key;
          index[inside] = i;
        }
        inside++;
      }
    }
    const rank = k - below;
    if (inside <= capacity && rank >= 1 && rank <= inside) {
      const window = keys.subarray(0, inside);
      const tauKey = window.slice().sort()[rank - 1];
      for (let j = 0; j < inside; j++) if (window[j] >= tauKey) out[index[j]] = 1;
      // Keep the window a few recent moves wide, narrowing gently when τ settles.
      const move = Math.abs(tauKey - state.tauKey);
      return { tauKey, halfWidth: Math.max(MIN_HALF_WIDTH, 4 * move, state.halfWidth >>> 1) };
    }
    // Missed (τ moved out of the window) or overflowed (the window was too crowded).
    const tauKey = radixSelectAbs(bits, k);
    writeMask(bits, out, tauKey);
    // A jump is usually followed by small moves again: widen (or narrow) step by step.
    const halfWidth = inside > capacity ? Math.max(MIN_HALF_WIDTH, state.halfWidth >>> 2) : 2 * state.halfWidth;
    return { tauKey, halfWidth };
  }
  const tauKey = radixSelectAbs(bits, k);
  writeMask(bits, out, tauKey);
  return { tauKey, halfWidth: MIN_HALF_WIDTH * 8 };
}
