/**
 * Python's `round()` for the counts and ranks the reference code computes (WSN `percentile()`,
 * PyTorch pruning `amount`): halves go to the even neighbour.
 */

/**
 * Rounds to the nearest integer, halves to even (Python 3 `round`).
 * @example
 * ```ts
 * roundHalfEven(2.5); // 2
 * roundHalfEven(3.5); // 4
 * ```
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
