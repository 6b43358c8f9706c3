/** Test helper: tiny hand-made ImageSets whose pixels identify image, position and channel. */
import type { DatasetSplits, ImageSet } from '../../src/data/types';

/**
 * `count` images of `size`×`size`×`channels`, label = i % numClasses (or `labels`), pixel
 * value = (7·i + 3·p + c) mod 256 at position p, channel c.
 */
export function tinySet(options: {
  count: number;
  numClasses: number;
  size?: number;
  width?: number;
  channels?: number;
  name?: string;
  labels?: Int32Array;
  coarse?: (label: number) => number;
}): ImageSet {
  const h = options.size ?? 4;
  const w = options.width ?? h;
  const c = options.channels ?? 1;
  const images = new Uint8Array(options.count * h * w * c);
  for (let i = 0; i < options.count; i++) {
    for (let p = 0; p < h * w; p++) for (let k = 0; k < c; k++) images[(i * h * w + p) * c + k] = (7 * i + 3 * p + k) % 256;
  }
  const labels = options.labels ?? Int32Array.from({ length: options.count }, (_, i) => i % options.numClasses);
  return {
    name: options.name ?? 'tiny',
    images,
    labels,
    count: options.count,
    height: h,
    width: w,
    channels: c,
    numClasses: options.numClasses,
    ...(options.coarse ? { coarseLabels: Int32Array.from(labels, options.coarse) } : {}),
  };
}

/** Train/test pair of {@link tinySet}s. */
export function tinySplits(trainCount: number, testCount: number, numClasses: number, extra: Partial<Parameters<typeof tinySet>[0]> = {}): DatasetSplits {
  return {
    train: tinySet({ count: trainCount, numClasses, ...extra }),
    test: tinySet({ count: testCount, numClasses, ...extra }),
  };
}
