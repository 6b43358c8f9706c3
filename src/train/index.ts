// Public API of src/train: the training engine, optimizers, schedules, evaluation, checkpoints.
export type { Optimizer, OptimizerKind, OptimizerState } from './optimizer';
export { sgd, type SgdOptions } from './sgd';
export { adam, type AdamOptions } from './adam';
export { restoreOptimizer } from './restore-optimizer';
export { maskGradients, type MaskGradientsOptions } from './mask-gradients';
export {
  constantSchedule,
  stepSchedule,
  plateauSchedule,
  type EpochMetrics,
  type LrSchedule,
  type PlateauScheduleOptions,
  type ScheduleDecision,
  type ScheduleState,
  type StepScheduleOptions,
} from './lr-schedule';
export { takeSnapshot, restoreSnapshot, disposeSnapshot, type Snapshot } from './snapshot';
export { crossEntropy, countCorrect } from './cross-entropy';
export { evaluate, evaluateAccuracy, type EvaluateOptions, type Evaluation } from './evaluate';
export { formatProgress, type ProgressCallback, type ProgressEvent } from './progress';
export {
  trainTask,
  type EpochRecord,
  type LossOutput,
  type Selection,
  type StepContext,
  type TrainTaskOptions,
  type TrainTaskResult,
} from './train-task';
export {
  saveCheckpoint,
  loadCheckpoint,
  readCheckpointManifest,
  latestCheckpoint,
  checkpointDir,
  type CheckpointManifest,
  type CheckpointState,
  type JsonValue,
  type LoadedCheckpoint,
  type TensorIndexEntry,
} from './checkpoint';
export { packOptimizerState, unpackOptimizerState } from './optimizer-checkpoint';
