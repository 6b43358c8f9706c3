/**
 * What a benchmark is: a scenario builder plus the architecture and training settings a paper
 * ran it with (methods.md §1.10). Every setting is a flat, JSON-safe option with a default, so
 * any of them can be overridden from a notebook or the CLI and run ids can hash the
 * non-default ones.
 */
import type { Scenario } from '../data/types';
import type { ArchitectureName } from '../models/architectures';

/** Options every benchmark has (the architecture and the per-task training protocol). */
export interface BenchmarkOptions {
  /** Network architecture (registry key), e.g. `mlp`, `alexnet`. */
  readonly architecture: ArchitectureName;
  /** Maximum epochs per task (the plateau rule may stop earlier). */
  readonly epochs: number;
  /** Training mini-batch size. */
  readonly batchSize: number;
  /** Evaluation batch size (fixed: batch-statistics norm depends on it). */
  readonly testBatchSize: number;
  /** Initial learning rate. */
  readonly learningRate: number;
  /** A task stops when the plateau rule halves the lr below this. */
  readonly lrMin: number;
  /** Plateau patience in epochs. */
  readonly patience: number;
  /** Random-crop (pad 4) and flip augmentation of training batches. */
  readonly augment: boolean;
  /** Number of tasks (benchmarks with a fixed task list keep the first `numTasks`). */
  readonly numTasks: number;
  /** Benchmark-specific options (data sizes, seeds), numbers only. */
  readonly [option: string]: string | number | boolean;
}

/** Overrides of a benchmark's options: any subset. */
export type BenchmarkOverrides = Partial<BenchmarkOptions>;

/** A benchmark: defaults, input shape and a scenario builder. */
export interface Benchmark {
  /** Registry key, kebab-case. */
  readonly name: string;
  /** One line for tables and `--help`. */
  readonly description: string;
  /** True when it needs no files (procedurally generated data). */
  readonly offline: boolean;
  /** Network input [H, W, C] of its scenario, checked against the architecture before loading. */
  readonly inputShape: readonly [number, number, number];
  /** Every option with its default (the paper's settings for the real benchmarks). */
  readonly defaults: BenchmarkOptions;
  /**
   * Builds the task-incremental scenario. `seed` drives permutations, class orders and
   * validation draws; real data come from `dataDir/<dataset>/` (one folder per dataset key:
   * mnist, fashion-mnist, cifar10, cifar100, svhn, notmnist, omniglot, tiny-imagenet).
   */
  scenario(options: BenchmarkOptions, seed: number, dataDir?: string): Promise<Scenario>;
}
