// Public API of src/data: re-exports only.
export * from './types';
export * from './normalizations';
export { renderRows, checkTransform, type RowAugmentation } from './render-rows';
export { batches, countBatches, type AugmentOptions, type BatchOptions } from './batches';
export { cilStreamSplits, cilSteps, cilSubBatchSizes, type CilStep, type CilStreamOptions, type CilStreamSplits } from './cil-streams';
export * from './offline/index';
export * from './scenarios/index';
export * from './datasets/index';
