/**
 * The contract of a benchmark workload: set up once, run a warm-up, then time repetitions.
 * A repetition reports how many samples (images, or weights for top-c) it processed and how
 * long it took; the runner turns that into samples/s or ms per step.
 */

/** Settings every workload receives from the command line. */
export interface WorkloadSettings {
  /** Timed repetitions. */
  readonly reps: number;
  /** Untimed warm-up repetitions before them. */
  readonly warmup: number;
  /** Short mode (`--quick`): fewer steps per repetition. */
  readonly quick: boolean;
}

/** What one repetition did. */
export interface RepResult {
  /** Samples processed (images; for top-c, weights). */
  readonly samples: number;
  readonly ms: number;
  /** Optional breakdown of the repetition, milliseconds by part name. */
  readonly parts?: Readonly<Record<string, number>>;
}

/** One prepared workload: call `rep()` repeatedly, then `dispose()`. */
export interface Prepared {
  /** Runs one repetition; resolves to the samples processed and the milliseconds taken. */
  rep(): Promise<RepResult>;
  /** Runs exactly one training step (for kernel profiles); absent for non-training workloads. */
  profileStep?(): Promise<void>;
  /** Frees every tensor the workload made. */
  dispose(): void;
}

/** How results of a workload are read. */
export type WorkloadUnit = 'samples/s' | 'ms/step';

/** A named benchmark workload. */
export interface Workload {
  /** Registry key, e.g. `alexnet`, `alexnet-wsn`, `top-c-omniglot`. */
  readonly name: string;
  /** One-line description for the table. */
  readonly title: string;
  /** What the headline number is: throughput (training, data) or time per step (top-c). */
  readonly unit: WorkloadUnit;
  /** Batch size, for training workloads. */
  readonly batch?: number;
  /** The PyTorch reference's workload of the same computation, if any. */
  readonly torch?: string;
  /** For a masked (WSN) workload: the unmasked workload it is compared with. */
  readonly unmaskedOf?: string;
  prepare(settings: WorkloadSettings): Promise<Prepared>;
}
