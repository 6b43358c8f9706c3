/**
 * Top-Down (TD) lifelong pruning (Chen et al., ICLR 2021), methods.md §2.5. Per task k:
 * 1. train the (sparse) network on task k with the §2.2 objective (lottery teaching from the
 *    current best model, §2.3);
 * 2. from those weights, n_k − 1 × {prune(p); retrain (30 epochs, lr 1e-4, constant)}, then one
 *    final prune(p), so density after task k = Π(1 − p) = 0.8^(n_1+…+n_k) for p = 0.2;
 * 3. rewind the surviving conv weights to θ(0) (BN and heads keep their trained values);
 * after the last task, train the rewound ticket on task T once more: the final TD ticket.
 * Reported per task: the density after step 2 and the SA of the pruned model before rewinding
 * (the last task: SA of the retrained final ticket). Deviation: pruning starts from the
 * best-validation weights, not the last epoch's.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Scenario } from '../data/types';
import { expectInRange, expectOneOf, expectThat } from '../errors';
import type { Network } from '../models/types';
import { globalDensity, type Mask } from '../pruning/mask';
import { deriveSeed, expectSeed } from '../random';
import { disposeSnapshot, takeSnapshot } from '../train/snapshot';
import { trainCilTask, type CilTrainOptions, type TeacherLogits } from './cil-train';
import { initialMask, pruneNetwork, rewindSurvivors, type PruneOptions } from './imp';
import { lotteryTeacher } from './lottery-teaching';
import { bindMask } from './masked-network';
import { evaluateSeen } from './seen-classes';
import type { LifelongCallbacks, LifelongTaskRecord } from './lifelong-types';

/** Per task, the prune fraction of every round (n_k rounds). */
export type TopDownSchedule = readonly (readonly number[])[];

/** n_k rounds of fraction p per task: `roundsSchedule([1, 1, 2])` → [[.2], [.2], [.2, .2]]. */
export function roundsSchedule(rounds: readonly number[], p = 0.2): TopDownSchedule {
  return rounds.map((n) => Array.from({ length: expectInRange('roundsSchedule', 'rounds', n, { min: 0, integer: true }) }, () => p));
}

/**
 * Named schedules: the code's default `code` n = (1, 1, 2, 3, 5) → 6.87 %; Figure 4's
 * CIFAR-10 n = (1, 1, 3, 4, 5) → 80, 64, 32.77, 13.42, 4.40 %; Figure 4's CIFAR-100 one 20 %
 * round per task plus an extra 10 % at task 10 → … 13.42, 9.66 % [methods.md §2.5, derived].
 */
export const topDownSchedules = Object.freeze({
  code: roundsSchedule([1, 1, 2, 3, 5]),
  'cifar10-figure4': roundsSchedule([1, 1, 3, 4, 5]),
  'cifar100-figure4': [...roundsSchedule(Array(9).fill(1)), [0.2, 0.1]] as TopDownSchedule,
});

/** A key of {@link topDownSchedules}. */
export type TopDownScheduleName = keyof typeof topDownSchedules;

/** Options of {@link topDownLifelong}. */
export interface TopDownOptions extends LifelongCallbacks {
  readonly seed: number;
  /** Schedule by name or explicit; default `cifar10-figure4` for 5 tasks, `cifar100-figure4` for 10, else one 20 % round per task. */
  readonly schedule?: TopDownSchedule | TopDownScheduleName;
  /** Full-recipe training of each task (§2.2). */
  readonly train?: Partial<CilTrainOptions>;
  /** Retraining between prune rounds. Default 30 epochs, lr 1e-4, constant. */
  readonly retrain?: Partial<CilTrainOptions>;
  /** Scope / criterion of each prune (global magnitude by default). */
  readonly prune?: Omit<PruneOptions, 'pruneFractionOfRemaining' | 'candidates'>;
  /** Pool images per exemplar for lottery teaching. Default 50. */
  readonly perExemplar?: number;
}

/** Retraining rounds of TD and BU (§2.5, §2.6). */
export const retrainDefaults: Partial<CilTrainOptions> = Object.freeze({ epochs: 30, learningRate: 1e-4, schedule: 'constant' });

/** Resolves a TD schedule for `numTasks` tasks. @throws InvalidArgumentError when its length differs */
export function resolveTopDownSchedule(schedule: TopDownSchedule | TopDownScheduleName | undefined, numTasks: number): TopDownSchedule {
  const s =
    typeof schedule === 'string'
      ? topDownSchedules[expectOneOf('top-down schedule', schedule, Object.keys(topDownSchedules) as TopDownScheduleName[])]
      : schedule ?? (numTasks === 5 ? topDownSchedules['cifar10-figure4'] : numTasks === 10 ? topDownSchedules['cifar100-figure4'] : roundsSchedule(Array(numTasks).fill(1)));
  expectThat(s.length === numTasks, `topDownLifelong: the schedule has ${s.length} tasks; the scenario has ${numTasks}. Pass one entry (list of prune fractions) per task.`);
  s.forEach((rounds) => rounds.forEach((p) => expectInRange('topDownLifelong', 'schedule fraction', p, { min: 0, max: 1, maxInclusive: false })));
  return s;
}

/**
 * Runs TD lifelong pruning over every task of a class-incremental scenario on `network`
 * (branches `main` and `random`). Returns one record per task and the final mask; the network
 * ends as the final TD ticket.
 * @throws InvalidArgumentError for a bad schedule or scenario
 * @example
 * ```ts
 * const net = createNetwork('preact-resnet18', { seed: 0 });
 * const { records } = await topDownLifelong(net, cil, { seed: 1, schedule: 'code' });
 * ```
 */
export async function topDownLifelong(network: Network, scenario: Scenario, options: TopDownOptions): Promise<{ records: LifelongTaskRecord[]; mask: Mask }> {
  const seed = expectSeed('topDownLifelong', options.seed);
  const schedule = resolveTopDownSchedule(options.schedule, scenario.tasks.length);
  const retrain = { ...retrainDefaults, ...options.retrain };
  const theta0 = takeSnapshot(network.params); // θ(0), before any training (§2.5 step 3)
  let mask = initialMask(network);
  let teacher: TeacherLogits | null = null;
  const records: LifelongTaskRecord[] = [];
  const T = scenario.tasks.length;
  try {
    for (let t = 0; t < T; t++) {
      const ctx = (label: string | number) => ({ seed: deriveSeed(seed, 'td', t, label), mask, teacher: teacher ?? undefined, onProgress: options.onProgress, shouldStop: options.shouldStop });
      const trained = await trainCilTask(network, scenario, t, ctx('train'), options.train);
      const next = await _teacherFromMasked(network, scenario, t + 1, mask, deriveSeed(seed, 'td', t, 'teacher'), options.perExemplar, t + 1 < T);
      const rounds = schedule[t];
      for (let r = 0; r < rounds.length; r++) {
        mask = pruneNetwork(network, mask, { ...options.prune, pruneFractionOfRemaining: rounds[r], seed: deriveSeed(seed, 'td-prune', t, r) });
        if (r < rounds.length - 1) await trainCilTask(network, scenario, t, ctx(`retrain-${r}`), retrain);
      }
      const sa = await _seen(network, scenario, t + 1, mask);
      rewindSurvivors(network, mask, { to: 'init', weights: theta0 });
      let final = sa;
      if (t === T - 1) {
        await trainCilTask(network, scenario, t, ctx('final'), options.train);
        final = await _seen(network, scenario, t + 1, mask);
      }
      if (teacher) tf.dispose([teacher.main, teacher.random]);
      teacher = next;
      const record: LifelongTaskRecord = { learnedTasks: t + 1, density: globalDensity(mask).density, standardAccuracy: final.mean, perTask: final.perTask, valAccuracy: trained.valAccuracy, pruneRounds: rounds.length };
      records.push(record);
      options.onTask?.(record, mask);
    }
    return { records, mask };
  } finally {
    disposeSnapshot(theta0);
    if (teacher) tf.dispose([teacher.main, teacher.random]);
  }
}

/** Lottery-teaching targets of the masked current model, or null (last task, or no pool). */
export async function _teacherFromMasked(network: Network, scenario: Scenario, learned: number, mask: Mask, seed: number, perExemplar: number | undefined, needed: boolean): Promise<TeacherLogits | null> {
  if (!needed) return null;
  const bound = bindMask(network, mask);
  try {
    return await lotteryTeacher(network, scenario, learned, { seed, perExemplar, weight: bound.weight });
  } finally {
    bound.dispose();
  }
}

/** Test SA of the masked network over the first `learned` tasks. */
export async function _seen(network: Network, scenario: Scenario, learned: number, mask: Mask) {
  const bound = bindMask(network, mask);
  try {
    return await evaluateSeen(network, scenario, learned, { split: 'test', weight: bound.weight });
  } finally {
    bound.dispose();
  }
}
