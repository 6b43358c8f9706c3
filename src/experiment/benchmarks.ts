/**
 * The benchmark registry: one line per benchmark, keys in kebab-case. Adding one means one
 * {@link Benchmark} object plus one line here.
 */
import { describeValue, expectOneOf, InvalidArgumentError } from '../errors';
import { architectures, type ArchitectureName } from '../models/architectures';
import { checkArchitectureFits } from '../methods/network-for-setup';
import type { NetworkSizes, TrainingSettings } from '../methods/types';
import type { Benchmark, BenchmarkOptions, BenchmarkOverrides } from './benchmark-types';
import { _networkSizes } from './network-options';
import { offlinePermutedBenchmark, offlineSplitBenchmark } from './offline-benchmarks';
import * as real from './real-benchmarks';

/** Every benchmark by registry key: the six WSN benchmarks and two offline ones. */
export const benchmarks = Object.freeze({
  pmnist: real.pmnistBenchmark,
  'five-datasets': real.fiveDatasetsBenchmark,
  'omniglot-rotation': real.omniglotRotationBenchmark,
  'cifar100-split': real.cifar100SplitBenchmark,
  'cifar100-superclass': real.cifar100SuperclassBenchmark,
  tinyimagenet: real.tinyImageNetBenchmark,
  'offline-permuted': offlinePermutedBenchmark,
  'offline-split': offlineSplitBenchmark,
} satisfies Record<string, Benchmark>);

/** A registry key of {@link benchmarks}. */
export type BenchmarkName = keyof typeof benchmarks;

/** Names of every benchmark, sorted. */
export function benchmarkNames(): BenchmarkName[] {
  return (Object.keys(benchmarks) as BenchmarkName[]).sort();
}

/**
 * Looks a benchmark up by name.
 * @throws UnknownNameError listing the known benchmarks
 * @example
 * ```ts
 * getBenchmark('offline-permuted').defaults.epochs; // 3
 * ```
 */
export function getBenchmark(name: string): Benchmark {
  return benchmarks[expectOneOf('benchmark', name, benchmarkNames())];
}

/** A benchmark with its options resolved. */
export interface ResolvedBenchmark {
  readonly benchmark: Benchmark;
  /** Defaults with the overrides applied. */
  readonly options: BenchmarkOptions;
  /** Only the overrides that differ from the defaults (what run ids hash). */
  readonly nonDefault: Readonly<Record<string, string | number | boolean>>;
  readonly architecture: ArchitectureName;
  readonly training: TrainingSettings;
  /** Network sizes from the `hidden` / `nf` options (see network-options.ts); empty for the defaults of other benchmarks. */
  readonly network: NetworkSizes;
}

/**
 * Applies overrides to a benchmark's defaults and checks them: known option names, value
 * types, positive sizes, and that the architecture takes the benchmark's input.
 * @throws UnknownNameError for an unknown benchmark, option or architecture;
 *   InvalidArgumentError for a bad value or an architecture that does not fit the input
 * @example
 * ```ts
 * const r = resolveBenchmark('offline-permuted', { epochs: 1, numTasks: 3 });
 * r.training.epochs; // 1
 * ```
 */
export function resolveBenchmark(name: string, overrides: BenchmarkOverrides = {}): ResolvedBenchmark {
  const benchmark = getBenchmark(name);
  const fn = benchmark.name;
  const defaults = benchmark.defaults;
  const nonDefault: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    expectOneOf(`${fn} option`, key, Object.keys(defaults));
    if (typeof value !== typeof defaults[key]) {
      throw new InvalidArgumentError(`${fn}: option ${key} must be a ${typeof defaults[key]} (default ${describeValue(defaults[key])}); got ${describeValue(value)}.`);
    }
    if (value !== defaults[key]) nonDefault[key] = value;
  }
  const options = { ...defaults, ...nonDefault } as BenchmarkOptions;
  const architecture = expectOneOf('architecture', options.architecture, Object.keys(architectures) as ArchitectureName[]);
  checkArchitectureFits(fn, architecture, benchmark.inputShape, `benchmark "${fn}"`);
  const positive = (key: string, integer: boolean): number => {
    const v = options[key] as number;
    if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
      throw new InvalidArgumentError(`${fn}: ${key} must be a positive ${integer ? 'integer' : 'number'}; got ${describeValue(v)}.`);
    }
    return v;
  };
  const training: TrainingSettings = {
    epochs: positive('epochs', true),
    batchSize: positive('batchSize', true),
    testBatchSize: positive('testBatchSize', true),
    learningRate: positive('learningRate', false),
    lrMin: positive('lrMin', false),
    patience: positive('patience', true),
    augment: options.augment,
  };
  positive('numTasks', true);
  return { benchmark, options, nonDefault, architecture, training, network: _networkSizes(fn, options, architecture, nonDefault) };
}
