/**
 * Parameter counting, e.g. to check an architecture against the paper's weight count.
 */
import type { Network, ParamInfo } from './types';

/**
 * Number of scalar entries of the parameters that pass `include` (default: maskable only, the
 * count the papers report).
 * @example
 * ```ts
 * countParameters(mlp({ seed: 0 })); // 88400
 * countParameters(net, () => true); // everything, heads and norms included
 * ```
 */
export function countParameters(net: Network, include: (info: ParamInfo) => boolean = (info) => info.maskable): number {
  let total = 0;
  for (const info of net.paramInfo) if (include(info)) total += info.shape.reduce((a, b) => a * b, 1);
  return total;
}
