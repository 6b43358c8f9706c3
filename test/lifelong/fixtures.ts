/** Tiny seeded class-incremental benchmark for the lifelong-tickets tests: 3 tasks × 2 classes. */
import { offlineRgb } from '../../src/data/offline/offline-rgb';
import { lifelongCil } from '../../src/data/scenarios/lifelong-cil';
import type { Scenario } from '../../src/data/types';
import { createNetwork } from '../../src/models/architectures';
import type { Network } from '../../src/models/types';

/** 6 offline-RGB classes in 3 tasks, 90 train / 10 val images per class, 5 exemplars, a 120-image pool. */
export function tinyCil(seed = 0, trainCount = 600): Scenario {
  const data = offlineRgb({ seed, numSuperclasses: 3, classesPerSuperclass: 2, trainCount, testCount: 120 });
  const pool = offlineRgb({ seed: seed + 99, numSuperclasses: 3, classesPerSuperclass: 2, trainCount: 120, testCount: 0 }).train;
  return lifelongCil(data, { numTasks: 3, exemplarsPerClass: 5, unlabeled: pool, seed, classOrder: 'seeded' });
}

/** A small conv net with both head branches and head bias, as the lifelong-tickets learner needs. */
export function tinyNet(seed = 1): Network {
  return createNetwork('resnet18-reduced', { seed, nf: 2, branches: ['main', 'random'], headBias: true });
}
