// Public API of src/lifelong (lifelong tickets, Chen et al. ICLR 2021; methods.md §2): re-exports only.
export * from './kd-loss';
export * from './seen-classes';
export { bindMask, applyMaskToNetwork, rewindWeights, reinitWeights, type MaskBinding } from './masked-network';
export * from './cil-train';
export { initialMask, pruneNetwork, rewindSurvivors, iterativePruning, prunableNames, type PruneOptions, type Rewind, type IterativePruningOptions } from './imp';
export * from './lottery-teaching';
export * from './nearest-query';
export type { LifelongTaskRecord, LifelongCallbacks } from './lifelong-types';
export { topDownLifelong, topDownSchedules, roundsSchedule, resolveTopDownSchedule, retrainDefaults, type TopDownOptions, type TopDownSchedule, type TopDownScheduleName } from './top-down';
export { bottomUpLifelong, copyNetworkWeights, type BottomUpOptions } from './bottom-up';
export * from './ticket';
export * from './run-lifelong-experiment';
