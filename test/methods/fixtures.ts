/**
 * Test fixtures for src/methods: a tiny permuted sequence from the offline grey generator
 * (8×8 images, 4 classes), the benchmark-like training settings the methods run with, and a
 * runner that learns every task and fills the accuracy matrix.
 */
import * as tf from '@tensorflow/tfjs-core';
import { batches } from '../../src/data/batches';
import type { Batch } from '../../src/data/types';
import { offlineGrey } from '../../src/data/offline/offline-grey';
import { permuted } from '../../src/data/scenarios/permuted';
import type { Scenario } from '../../src/data/types';
import { evaluateLearner } from '../../src/methods/evaluate-learner';
import type { Learner, LearnerSetup, TrainingSettings } from '../../src/methods/types';

/**
 * A tiny permuted scenario: `numTasks` tasks of 4 classes on 8×8 grey glyphs, easy enough
 * (low jitter and noise) that an MLP fits a task in a few epochs and visibly forgets it.
 */
export function tinyPermuted(numTasks = 3, seed = 5, trainCount = 960): Scenario {
  const data = offlineGrey({ seed, trainCount, testCount: 160, numClasses: 4, size: 8, jitter: 0.3, noise: 0.05 });
  return permuted(data, { numTasks, seed, validation: { kind: 'first-fraction', fraction: 0.1 } });
}

/**
 * Short training settings (plateau rule on, a few epochs). With `{ learningRate: 1e-2 }` and
 * the default tiny sequence, Finetune forgets task 1 by ~25 points (measured: BWT −27).
 */
export function tinyTraining(overrides: Partial<TrainingSettings> = {}): TrainingSettings {
  return { epochs: 2, batchSize: 16, testBatchSize: 64, learningRate: 1e-3, lrMin: 1e-6, patience: 6, augment: false, ...overrides };
}

/** A setup on the 784-less MLP (input 8×8×1, hidden 100-100). */
export function tinySetup(scenario: Scenario = tinyPermuted(), training: TrainingSettings = tinyTraining(), seed = 5): LearnerSetup {
  return { scenario, architecture: 'mlp', training, seed };
}

/** Learns every task in order; returns the accuracy matrix A[i][j] (%), j ≤ i. */
export async function learnAll(learner: Learner, scenario: Scenario, seed = 11): Promise<number[][]> {
  const matrix: number[][] = [];
  for (const task of scenario.tasks) {
    await learner.learnTask(task, { seed: seed + task.index });
    matrix.push(scenario.tasks.slice(0, task.index + 1).map((t) => evaluateLearner(learner, t)));
  }
  return matrix;
}

/** Backward transfer in points: mean over i < T of A[T][i] − A[i][i]. */
export function bwt(matrix: readonly number[][]): number {
  const T = matrix.length;
  let sum = 0;
  for (let i = 0; i < T - 1; i++) sum += matrix[T - 1][i] - matrix[i][i];
  return sum / (T - 1);
}

/** Logits of `learner` on the first test batch (64 rows) of `task`, as a flat host copy. */
export function probeLogits(learner: Learner, scenario: Scenario, taskIndex: number): Float32Array {
  const task = scenario.tasks[taskIndex];
  const first = batches(task.test, task.transform, { batchSize: 64 })[Symbol.iterator]().next().value as Batch;
  const logits = learner.predict(first.x, taskIndex);
  const out = logits.dataSync() as Float32Array;
  tf.dispose([logits, first.x, first.y]);
  return Float32Array.from(out);
}

/** Host copies of the given variables. */
export function hostCopies(vars: ReadonlyMap<string, tf.Variable>): Map<string, Float32Array> {
  return new Map([...vars].map(([k, v]) => [k, Float32Array.from(v.dataSync() as Float32Array)]));
}
