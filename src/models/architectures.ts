/**
 * The architecture registry: one line per architecture, keys in kebab-case. Adding one means
 * one file plus one line here.
 */
import { expectOneOf } from '../errors';
import { alexnet } from './alexnet';
import { lenet, lenetLarge } from './lenet';
import { mlp } from './mlp';
import { preactResnet18 } from './preact-resnet18';
import { resnet18Reduced } from './resnet18-reduced';
import { tinynet } from './tinynet';
import type { Network } from './types';

/**
 * Every architecture's factory by registry key. Maskable weight counts [methods.md §1.10, §2.2]:
 * mlp 88 400; alexnet 6 499 328; resnet18-reduced 1 090 140; lenet 2 986 500;
 * lenet-large 24 436 400; tinynet 2 743 520; preact-resnet18 11 159 232.
 */
export const architectures = Object.freeze({
  mlp,
  alexnet,
  'resnet18-reduced': resnet18Reduced,
  lenet,
  'lenet-large': lenetLarge,
  tinynet,
  'preact-resnet18': preactResnet18,
});

/** A registry key of {@link architectures}. */
export type ArchitectureName = keyof typeof architectures;

/** The options type of architecture `K`. */
export type ArchitectureOptions<K extends ArchitectureName> = Parameters<(typeof architectures)[K]>[0];

/**
 * Builds a network by registry key.
 * @throws UnknownNameError for an unknown key (listing the known ones), InvalidArgumentError for bad options
 * @example
 * ```ts
 * const net = createNetwork('alexnet', { seed: 0, heads: Array(10).fill(100) });
 * ```
 */
export function createNetwork<K extends ArchitectureName>(name: K, options: ArchitectureOptions<K>): Network {
  const key = expectOneOf('architecture', name, Object.keys(architectures) as ArchitectureName[]);
  const factory = architectures[key] as (o: ArchitectureOptions<K>) => Network;
  return factory(options);
}
