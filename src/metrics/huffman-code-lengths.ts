/**
 * Optimal prefix-code lengths from a symbol histogram (Huffman 1952), the first step of the
 * canonical Huffman coder in `huffman.ts`. Ties are broken by the smallest symbol in a subtree,
 * so the result is deterministic.
 */
import { describeValue, InvalidArgumentError } from '../errors';

/** Longest code we accept: codes are held in doubles, exact up to 2^53. */
export const MAX_CODE_LENGTH = 52;

/** Checks that a histogram holds whole counts ≥ 0 (internal; throws InvalidArgumentError). */
export function _validateHistogram(fn: string, histogram: ArrayLike<number>): void {
  if (histogram === null || typeof histogram !== 'object' || typeof histogram.length !== 'number') {
    throw new InvalidArgumentError(`${fn}: histogram must be an array of counts; got ${describeValue(histogram)}.`);
  }
  for (let s = 0; s < histogram.length; s++) {
    const c = histogram[s];
    if (!Number.isSafeInteger(c) || c < 0) {
      throw new InvalidArgumentError(
        `${fn}: histogram[${s}] must be a whole count ≥ 0; got ${describeValue(c)}.`,
      );
    }
  }
}

/**
 * Optimal (Huffman) code length per symbol for the given counts; 0 for unused symbols.
 * One used symbol gets length 1; no used symbol gives all zeros.
 * @param histogram `histogram[s]` = number of occurrences of symbol s
 * @throws InvalidArgumentError on negative or fractional counts, or a code longer than 52 bits
 * @example
 * ```ts
 * huffmanCodeLengths([5, 2, 1, 1]); // Uint8Array [1, 2, 3, 3]
 * ```
 */
export function huffmanCodeLengths(histogram: ArrayLike<number>): Uint8Array {
  _validateHistogram('huffmanCodeLengths', histogram);
  const lengths = new Uint8Array(histogram.length);
  // Nodes: leaves 0..n-1 are symbols; internal nodes follow. parent[] gives depth afterwards.
  const weight: number[] = [];
  const minSymbol: number[] = [];
  const parent: number[] = [];
  const heap: number[] = [];
  const less = (a: number, b: number): boolean =>
    weight[a] < weight[b] || (weight[a] === weight[b] && minSymbol[a] < minSymbol[b]);
  const push = (node: number): void => {
    let i = heap.push(node) - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const pop = (): number => {
    const top = heap[0];
    const last = heap.pop() as number;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l], heap[m])) m = l;
        if (r < heap.length && less(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  };
  const leaves: number[] = [];
  for (let s = 0; s < histogram.length; s++) {
    if (histogram[s] === 0) continue;
    const node = weight.length;
    weight.push(histogram[s]);
    minSymbol.push(s);
    parent.push(-1);
    leaves.push(s);
    push(node);
  }
  if (leaves.length === 0) return lengths;
  if (leaves.length === 1) {
    lengths[leaves[0]] = 1;
    return lengths;
  }
  while (heap.length > 1) {
    const a = pop();
    const b = pop();
    const node = weight.length;
    weight.push(weight[a] + weight[b]);
    minSymbol.push(Math.min(minSymbol[a], minSymbol[b]));
    parent.push(-1);
    parent[a] = node;
    parent[b] = node;
    push(node);
  }
  // Internal nodes are created after their children, so walk from the root down.
  const depth = new Array<number>(weight.length).fill(0);
  for (let node = weight.length - 2; node >= 0; node--) depth[node] = depth[parent[node]] + 1;
  leaves.forEach((s, leaf) => {
    if (depth[leaf] > MAX_CODE_LENGTH) {
      throw new InvalidArgumentError(
        `huffmanCodeLengths: symbol ${s} needs a ${depth[leaf]}-bit code; at most ${MAX_CODE_LENGTH} are supported. ` +
          'Such skew needs more than ~10^10 symbols; split the input into smaller blocks.',
      );
    }
    lengths[s] = depth[leaf];
  });
  return lengths;
}
