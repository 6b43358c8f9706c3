/** Shared result and callback types of the TD / BU lifelong-pruning drivers (methods.md §2.5–2.6). */
import type { Mask } from '../pruning/mask';
import type { ProgressCallback } from '../train/progress';

/** What one task of a lifelong-pruning run produced. */
export interface LifelongTaskRecord {
  /** Tasks learned so far (1-based k). */
  readonly learnedTasks: number;
  /** Ticket density over conv weights after task k (0–1). */
  readonly density: number;
  /** SA (%): mean over learned tasks of test top-1 accuracy, logits over all seen classes. */
  readonly standardAccuracy: number;
  /** Test accuracy (%) of each learned task. */
  readonly perTask: readonly number[];
  /** Validation accuracy (%) over all seen classes after the task's full training. */
  readonly valAccuracy: number;
  /** Pruning rounds run on this task. */
  readonly pruneRounds: number;
  /** BU: mean val SA (%) of the dense reference after this task. */
  readonly denseValAccuracy?: number;
  /** BU: whether the ticket re-grew on this task. */
  readonly regrew?: boolean;
  /** BU: density right after re-growth, before pruning re-grown weights. */
  readonly regrownDensity?: number;
}

/** Progress hooks of the lifelong drivers. */
export interface LifelongCallbacks {
  /** Epoch and step events of every training phase. */
  readonly onProgress?: ProgressCallback;
  /** After each task, with that task's record and a copy-safe view of the mask. */
  readonly onTask?: (record: LifelongTaskRecord, mask: Mask) => void;
  /** Polled between steps; true ends training cleanly. */
  readonly shouldStop?: () => boolean;
}
