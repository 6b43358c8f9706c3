// Offline (procedurally generated) benchmarks. Re-exports only.
export { offlineGrey, type OfflineGreyOptions } from './offline-grey';
export { offlineRgb, type OfflineRgbOptions } from './offline-rgb';
export * from './registry';
