/**
 * Builds a method's network from a {@link LearnerSetup}: the architecture from the registry,
 * sized for the scenario's input (the MLP flattens any input; LeNets take the scenario's
 * channels), one head per task of the scenario's head widths, seeded by the run seed. An
 * architecture that cannot take the scenario's input is refused with the list of those that can.
 */
import { InvalidArgumentError } from '../errors';
import { architectures, createNetwork, type ArchitectureName } from '../models/architectures';
import type { NetworkOptions } from '../models/network-base';
import type { Network } from '../models/types';
import type { LearnerSetup } from './types';

/** An input shape [H, W, C]. */
type Shape = readonly [number, number, number];

/**
 * The input shape [H, W, C] architecture `name` takes when built for data of shape `input`:
 * `mlp` takes any shape, `lenet`/`lenet-large` any channel count at 32×32, the others a fixed
 * shape (tinynet 64×64×3, the rest 32×32×3).
 * @example
 * ```ts
 * architectureInputShape('lenet', [32, 32, 1]); // [32, 32, 1]
 * architectureInputShape('tinynet', [32, 32, 3]); // [64, 64, 3]
 * ```
 */
export function architectureInputShape(name: ArchitectureName, input: Shape): Shape {
  switch (name) {
    case 'mlp':
      return input;
    case 'lenet':
    case 'lenet-large':
      return [32, 32, input[2]];
    case 'tinynet':
      return [64, 64, 3];
    default:
      return [32, 32, 3];
  }
}

/** Architectures that take inputs of shape `input`, sorted. */
export function architecturesFor(input: Shape): ArchitectureName[] {
  const names = Object.keys(architectures) as ArchitectureName[];
  return names.filter((n) => architectureInputShape(n, input).every((d, i) => d === input[i])).sort();
}

/**
 * Checks that architecture `name` takes inputs of shape `input`.
 * @throws InvalidArgumentError naming both shapes and the architectures that fit
 * @example
 * ```ts
 * checkArchitectureFits('runExperiment', 'tinynet', [28, 28, 1], 'offline-permuted');
 * // InvalidArgumentError: runExperiment: architecture "tinynet" takes inputs [64,64,3]; benchmark
 * // "offline-permuted" gives [28,28,1]. Architectures that fit: mlp.
 * ```
 */
export function checkArchitectureFits(fn: string, name: ArchitectureName, input: Shape, what = 'the scenario'): void {
  const wanted = architectureInputShape(name, input);
  if (wanted.every((d, i) => d === input[i])) return;
  const fit = architecturesFor(input);
  throw new InvalidArgumentError(
    `${fn}: architecture "${name}" takes inputs [${wanted.join(',')}]; ${what} gives [${input.join(',')}]. ` +
      `Architectures that fit: ${fit.join(', ') || 'none'}.`,
  );
}

/**
 * A fresh network for `setup`: the scenario's input, one head per task (`headWidth` each),
 * initialised from `setup.seed`, with `setup.network`'s sizes. `extra` adds architecture options (init, head bias).
 * The caller disposes the network.
 * @throws InvalidArgumentError when the architecture does not fit the scenario's input, or
 *   `setup.network` gives a size the architecture does not have
 * @example
 * ```ts
 * const net = networkForSetup({ scenario, architecture: 'mlp', training, seed: 1 });
 * ```
 */
export function networkForSetup(setup: LearnerSetup, extra: Omit<NetworkOptions, 'seed' | 'heads'> = {}): Network {
  const { scenario, architecture } = setup;
  checkArchitectureFits('networkForSetup', architecture, scenario.inputShape, `scenario "${scenario.name}"`);
  const { hidden, nf } = setup.network ?? {};
  const misplaced = hidden !== undefined && architecture !== 'mlp' ? 'hidden' : nf !== undefined && architecture !== 'resnet18-reduced' ? 'nf' : undefined;
  if (misplaced) {
    throw new InvalidArgumentError(
      `networkForSetup: network size "${misplaced}" does not apply to architecture "${architecture}" (hidden is for mlp, nf for resnet18-reduced); leave it out or change the architecture.`,
    );
  }
  const base = { ...extra, seed: setup.seed, heads: scenario.tasks.map((t) => t.headWidth) };
  if (architecture === 'mlp') return createNetwork('mlp', { ...base, inputShape: scenario.inputShape, ...(hidden ? { hidden } : {}) });
  if (architecture === 'resnet18-reduced') return createNetwork('resnet18-reduced', { ...base, ...(nf !== undefined ? { nf } : {}) });
  if (architecture === 'lenet' || architecture === 'lenet-large') {
    return createNetwork(architecture, { ...base, inputChannels: scenario.inputShape[2] });
  }
  return createNetwork(architecture, base);
}
