/**
 * Selection of the k-th smallest value of a Float32Array in expected linear time (Hoare's
 * quickselect with a median-of-three pivot), so top-c thresholds on 20-million-weight layers
 * need no full sort [methods.md P2].
 */
import { expectInRange } from '../errors';

/**
 * The k-th smallest value (k is 1-based) of `values`. Reorders `values` in place: pass a copy
 * when the order matters (tensor data read with `dataSync()` may be the tensor's own storage).
 * Values must not be NaN.
 * @throws InvalidArgumentError when k is not an integer in [1, values.length]
 * @example
 * ```ts
 * selectKth(Float32Array.of(5, 1, 4, 1, 3), 2); // 1
 * ```
 */
export function selectKth(values: Float32Array, k: number): number {
  expectInRange('selectKth', 'k', k, { min: 1, max: values.length, integer: true });
  const a = values;
  const target = k - 1;
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const x = a[lo];
    const y = a[mid];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y; // median of three
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    // Now a[lo..j] ≤ pivot ≤ a[i..hi], and everything strictly between j and i equals pivot.
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target];
  }
  return a[target];
}
