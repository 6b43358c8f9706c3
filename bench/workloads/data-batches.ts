/**
 * Dataset batch throughput, the path every training epoch takes (bench/data-throughput.ts
 * measures the loaders and memory in depth): CIFAR-size offline RGB images (32×32×3) in a
 * CIFAR-100-Split-style task, one epoch of `batches()` at batch 64 with a seeded shuffle, random
 * crop (pad 4) + horizontal flip, normalisation and one tf.tensor4d per batch on the active
 * backend. The images are generated once, untimed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { batches } from '../../src/data/batches';
import { offlineRgb } from '../../src/data/offline/offline-rgb';
import { taskSplit } from '../../src/data/scenarios/task-split';
import type { Prepared, Workload, WorkloadSettings } from './types';

const BATCH = 64;

/** The batch-throughput workload (images/s). */
export const dataBatches: Workload = {
  name: 'data-cifar',
  title: 'batches(): 32×32×3, batch 64, shuffle + crop + flip + normalise → tensor',
  unit: 'samples/s',
  batch: BATCH,
  async prepare(settings: WorkloadSettings): Promise<Prepared> {
    const trainCount = settings.quick ? 3200 : 12800;
    const data = offlineRgb({ seed: 1, trainCount, testCount: 100, numSuperclasses: 2, classesPerSuperclass: 5 });
    const task = taskSplit(data, { numTasks: 1, validation: { kind: 'none' }, normalization: 'cifar100-split' }).tasks[0];
    let epoch = 0;
    return {
      async rep() {
        epoch += 1;
        let n = 0;
        const t0 = performance.now();
        for (const b of batches(task.train, task.transform, { batchSize: BATCH, shuffleSeed: epoch, augment: { seed: epoch } })) {
          n += b.rows.length;
          tf.dispose([b.x, b.y]);
        }
        return { samples: n, ms: performance.now() - t0 };
      },
      dispose() {},
    };
  },
};
