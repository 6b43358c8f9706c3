/**
 * Offline benchmark generators by name: one line per shape. Keys are what `ImageSet.name`
 * reports for the generated data.
 *
 * @example
 * ```ts
 * const data = offlineDatasets['offline-grey']({ seed: 3, trainCount: 1000, testCount: 200 });
 * ```
 */
import { offlineGrey } from './offline-grey';
import { offlineRgb } from './offline-rgb';

/** Offline generators: `offline-grey` (MNIST-like), `offline-rgb` (CIFAR-100-like with superclasses). */
export const offlineDatasets = Object.freeze({
  'offline-grey': offlineGrey,
  'offline-rgb': offlineRgb,
});

/** A key of {@link offlineDatasets}. */
export type OfflineDatasetName = keyof typeof offlineDatasets;
