/**
 * Exact selection of the k-th smallest value of a Float32Array in two linear passes (radix
 * select on the float bits), so top-c thresholds on 20-million-weight layers need neither a
 * full sort nor a copy [methods.md P2].
 *
 * Float32 bit patterns are mapped to uint32 keys whose order is the float order (flip every
 * bit of negatives, set the sign bit of positives). Pass 1 counts keys by their high 16 bits
 * and finds the bucket holding rank k; pass 2 counts the low 16 bits inside that bucket.
 */
import { expectInRange } from '../errors';

function toKey(bits: number): number {
  return bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
}

function fromKey(key: number): number {
  const bits = key & 0x80000000 ? key & 0x7fffffff : ~key >>> 0;
  return new Float32Array(Uint32Array.of(bits).buffer)[0];
}

/**
 * The k-th smallest value (k is 1-based) of `values`, which is left unchanged. Values must not
 * be NaN; −0 counts as just below +0.
 * @throws InvalidArgumentError when k is not an integer in [1, values.length]
 * @example
 * ```ts
 * selectKth(Float32Array.of(5, 1, 4, 1, 3), 2); // 1
 * ```
 */
export function selectKth(values: Float32Array, k: number): number {
  expectInRange('selectKth', 'k', k, { min: 1, max: values.length, integer: true });
  const n = values.length;
  const bits = new Uint32Array(values.buffer, values.byteOffset, n);
  const counts = new Uint32Array(65536);
  for (let i = 0; i < n; i++) counts[toKey(bits[i]) >>> 16]++;
  let rank = k;
  let high = 0;
  while (counts[high] < rank) rank -= counts[high++];
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const key = toKey(bits[i]);
    if (key >>> 16 === high) counts[key & 0xffff]++;
  }
  let low = 0;
  while (counts[low] < rank) rank -= counts[low++];
  return fromKey(((high << 16) | low) >>> 0);
}
