/**
 * Types of the experiment runner: its options, progress events and per-seed results.
 */
import type { AccuracyMatrix } from '../metrics/accuracy-matrix';
import type { CapacityReport } from '../methods/types';
import type { ProgressEvent } from '../train/progress';
import type { BenchmarkOverrides } from './benchmark-types';

/** Options of `runExperiment`. */
export interface RunExperimentOptions {
  /** Benchmark registry key, e.g. `offline-permuted`, `pmnist`. */
  readonly benchmark: string;
  /** Method registry key, e.g. `wsn`, `finetune`. */
  readonly method: string;
  /** Method options (merged over the method's defaults), e.g. `{ keepFraction: 0.1 }`. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Seeds, one run each. Default `[0]`. */
  readonly seeds?: readonly number[];
  /** Folder holding one sub-folder per real dataset; not needed by offline benchmarks. */
  readonly dataDir?: string;
  /** Benchmark option overrides (tasks, sizes, epochs, batch size, lr, architecture, ...). */
  readonly overrides?: BenchmarkOverrides;
  /** Display name of the method in tables, default e.g. `wsn c=0.1` or the method key. */
  readonly label?: string;
  /** Progress events (must not throw). */
  readonly onProgress?: (event: ExperimentEvent) => void;
  /** Polled between training steps; true stops cleanly (finished tasks stay checkpointed). */
  readonly shouldStop?: () => boolean;
  /** Where finished runs and checkpoints live; default `.cache/ticketlab/runs`; null: no cache. */
  readonly cacheDir?: string | null;
}

/** Where a progress event comes from. */
export interface EventSource {
  readonly runId: string;
  readonly label: string;
  readonly seed: number;
  /** 0-based position of the seed and the number of seeds. */
  readonly seedIndex: number;
  readonly seeds: number;
  /** Number of tasks of the benchmark. */
  readonly tasks: number;
}

/** A progress event of the experiment runner. */
export type ExperimentEvent =
  | (EventSource & { readonly kind: 'run-start'; readonly resumedTasks: number; readonly cached: boolean })
  | (EventSource & { readonly kind: 'task-start'; readonly task: number })
  | (EventSource & { readonly kind: 'train'; readonly task: number; readonly progress: ProgressEvent })
  | (EventSource & {
      readonly kind: 'task-end';
      readonly task: number;
      /** Fresh accuracies (%) of tasks 0..task after training `task`. */
      readonly accuracies: readonly number[];
      readonly seconds: number;
      /** Seconds left for this seed, from the mean task time so far. */
      readonly etaSeconds: number;
    })
  | (EventSource & { readonly kind: 'run-end'; readonly cached: boolean; readonly acc: number; readonly seconds: number });

/** One seed's results. */
export interface SeedResult {
  readonly seed: number;
  readonly runId: string;
  /** `A[i][j]` (%), 0-based, lower triangle, every row freshly evaluated. */
  readonly accuracyMatrix: AccuracyMatrix;
  /** ACC (%): mean of the last row. */
  readonly acc: number;
  /** BWT in percentage points (null with one task). */
  readonly bwt: number | null;
  /** CAP and density by the method's own accounting. */
  readonly capacity: CapacityReport;
  /** Wall time (s) and epochs run per task. */
  readonly taskSeconds: readonly number[];
  readonly taskEpochs: readonly number[];
  /** Method-specific numbers per task (WSN: reused/allocated weights, union density, ...). */
  readonly taskDetails: readonly Readonly<Record<string, number>>[];
  /** True when the whole result came from the cache (no training). */
  readonly cached: boolean;
  /** Tasks restored from a checkpoint instead of trained in this call. */
  readonly resumedTasks: number;
}
