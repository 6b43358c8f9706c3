/**
 * Benchmark options that size the network: `hidden` (mlp benchmarks: hidden widths as a
 * comma-separated list, default "100,100"; CLNP's paper runs permuted MNIST on wide MLPs, e.g.
 * `--set hidden=2000,2000`) and `nf` (five-datasets: the reduced ResNet-18's base width,
 * default 20). Flat strings and numbers, like every benchmark option, so run ids hash them.
 */
import { describeValue, InvalidArgumentError } from '../errors';
import type { ArchitectureName } from '../models/architectures';
import type { NetworkSizes } from '../methods/types';
import type { BenchmarkOptions } from './benchmark-types';

/**
 * The {@link NetworkSizes} that `options` give `architecture`. An option for another
 * architecture is ignored at its default and refused when overridden.
 * @throws InvalidArgumentError for a malformed `hidden`, a bad `nf`, or an overridden size the
 *   architecture does not have
 * @example
 * ```ts
 * _networkSizes('offline-permuted', { ...defaults, hidden: '2000,2000' }, 'mlp', { hidden: '2000,2000' });
 * // { hidden: [2000, 2000] }
 * ```
 */
export function _networkSizes(
  fn: string,
  options: BenchmarkOptions,
  architecture: ArchitectureName,
  nonDefault: Readonly<Record<string, unknown>>,
): NetworkSizes {
  const sizes: { hidden?: number[]; nf?: number } = {};
  const refuse = (key: string, owner: string): never => {
    throw new InvalidArgumentError(`${fn}: option ${key} sizes ${owner} but the architecture is "${architecture}"; drop ${key} or set architecture=${owner}.`);
  };
  if (typeof options.hidden === 'string') {
    if (architecture === 'mlp') {
      const widths = options.hidden.split(',').map((w) => Number(w.trim()));
      if (widths.length === 0 || widths.some((w) => !Number.isInteger(w) || w <= 0)) {
        throw new InvalidArgumentError(`${fn}: hidden must list positive integer widths separated by commas, e.g. "2000,2000"; got ${describeValue(options.hidden)}.`);
      }
      sizes.hidden = widths;
    } else if ('hidden' in nonDefault) refuse('hidden', 'mlp');
  }
  if (typeof options.nf === 'number') {
    if (architecture === 'resnet18-reduced') {
      if (!Number.isInteger(options.nf) || options.nf <= 0) throw new InvalidArgumentError(`${fn}: nf must be a positive integer; got ${describeValue(options.nf)}.`);
      sizes.nf = options.nf;
    } else if ('nf' in nonDefault) refuse('nf', 'resnet18-reduced');
  }
  return sizes;
}
