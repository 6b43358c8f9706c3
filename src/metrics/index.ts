// Public API of src/metrics: re-exports only.
export { AccuracyMatrixBuilder, validateAccuracyMatrix, type AccuracyMatrix } from './accuracy-matrix';
export { averageAccuracy, averageAccuracyCurve, finalAccuracies } from './average-accuracy';
export { backwardTransfer, type BackwardTransferOptions, type TransferUnit } from './backward-transfer';
export { forwardTransfer, type ForwardTransferOptions } from './forward-transfer';
export { averageForgetting, forgetting, type ForgettingOptions } from './forgetting';
export {
  maskDensity,
  unionMasks,
  validateHostMasks,
  validateTaskMasks,
  type DensityCount,
  type HostMasks,
  type MaskDensity,
} from './mask-density';
export { maskOverlap, type MaskOverlapOptions } from './mask-overlap';
export { maskReuse, type ReuseCount, type TaskReuse } from './mask-reuse';
export {
  canonicalCodes,
  huffmanCodeLengths,
  huffmanDecode,
  huffmanEncode,
  huffmanEncodedBits,
  type EncodedBitsOptions,
  type HuffmanStream,
  type SingleSymbolConvention,
} from './huffman';
export {
  decodeTaskMasks,
  encodeTaskMasks,
  packTaskSymbols,
  TASKS_PER_SYMBOL,
  type EncodedMaskBlock,
  type EncodedTaskMasks,
} from './mask-codec';
export { capPercent, denseCap, PAPER_ALPHA, stlCap, wsnCapacity, type CapInputs, type WsnCapacity } from './cap';
export {
  accuracyMatrixRows,
  RESULT_COLUMNS,
  resultsTable,
  runMetricRows,
  toCSV,
  type ResultRow,
  type RunInfo,
  type RunMetricOptions,
} from './results-table';
export {
  formatSummary,
  summarizeResults,
  type FormatSummaryOptions,
  type StdKind,
  type SummaryOptions,
} from './results-summary';
export { formatTextTable, type TextTableOptions } from './text-table';
