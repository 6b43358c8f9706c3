/**
 * Bottom-Up (BU) lifelong pruning (Chen et al., ICLR 2021), methods.md §2.6.
 * Task 1: train dense (val accuracy a₀), then iterative pruning without rewinding:
 *   {snapshot; prune(0.2); retrain; a = best val accuracy} while (a₀ − a < deacc) OR
 *   (sparsity < base), at most `maxRounds`; the ticket is the snapshot before the last prune.
 * Task k ≥ 2: train a dense reference (from the previous reference, teacher = previous
 *   reference) and the ticket (from the previous reference's weights ⊙ mask); compare mean val
 *   SA. If dense − sparse ≥ acceptDecay, re-grow: keep every ticket weight plus the 80 %
 *   largest-|w| pruned positions of the dense reference, load the reference's values, then
 *   {retrain; a; stop if (dense − a > deacc) AND (sparsity > base); snapshot; prune 20 % of the
 *   re-grown weights only}. Old ticket weights are never removed.
 * Deviation (P7): every decision reads validation accuracy, where the code used test accuracy.
 * When the round cap binds, the last retrained state is kept.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Scenario } from '../data/types';
import { expectInRange } from '../errors';
import type { Network } from '../models/types';
import { magnitudePrune } from '../pruning/magnitude-prune';
import { globalDensity, maskAnd, maskNot, maskOr, type Mask } from '../pruning/mask';
import { deriveSeed, expectSeed } from '../random';
import { disposeSnapshot, restoreSnapshot, takeSnapshot, type Snapshot } from '../train/snapshot';
import { trainCilTask, type CilTrainOptions } from './cil-train';
import { initialMask, pruneNetwork, type PruneOptions } from './imp';
import { lotteryTeacher } from './lottery-teaching';
import { applyMaskToNetwork, bindMask } from './masked-network';
import { evaluateSeen } from './seen-classes';
import { retrainDefaults, _seen } from './top-down';
import type { LifelongCallbacks, LifelongTaskRecord } from './lifelong-types';

/** Options of {@link bottomUpLifelong}; defaults are the code's (§2.6). */
export interface BottomUpOptions extends LifelongCallbacks {
  readonly seed: number;
  readonly train?: Partial<CilTrainOptions>;
  /** Retraining per round. Default 30 epochs, lr 1e-4, constant. */
  readonly retrain?: Partial<CilTrainOptions>;
  /** p of each prune round. Default 0.2. */
  readonly pruneFractionOfRemaining?: number;
  /** Re-grow when dense − sparse mean val SA ≥ this (points). Default 1 (`accept_decay`). */
  readonly acceptDecay?: number;
  /** Largest tolerated accuracy drop while pruning (points). Default 2 (`deacc`). */
  readonly maxAccuracyDrop?: number;
  /** Sparsity the search must reach before the drop may stop it (0–1). Default 0.9 (`base_sparsity`). */
  readonly minSparsity?: number;
  /** Cap on pruning rounds per task. Default 26. */
  readonly maxRounds?: number;
  /** Share of re-grow candidates kept (largest dense |w|). Default 0.8. */
  readonly regrowFraction?: number;
  readonly prune?: Omit<PruneOptions, 'pruneFractionOfRemaining' | 'candidates'>;
  readonly perExemplar?: number;
}

/** The ticket's weights and mask at one moment. */
interface _State {
  readonly weights: Snapshot;
  readonly mask: Mask;
}

function _vars(net: Network): Map<string, tf.Variable> {
  return new Map([...net.params, ...net.state]);
}

/** Copies every parameter and norm statistic of `from` into `to` (same architecture). */
export function copyNetworkWeights(from: Network, to: Network): void {
  while (to.headWidths.length < from.headWidths.length) to.addHead(from.headWidths[to.headWidths.length]);
  const snap = takeSnapshot(_vars(from));
  try {
    restoreSnapshot(_vars(to), snap);
  } finally {
    disposeSnapshot(snap);
  }
}

/**
 * Runs BU lifelong pruning. `dense` is the dense reference, `ticket` the sparse network (same
 * architecture, branches `main` and `random`); both end trained on every task. Returns one
 * record per task and the final mask.
 * @throws InvalidArgumentError for a bad option
 * @example
 * ```ts
 * const make = () => createNetwork('preact-resnet18', { seed: 0 });
 * const { records } = await bottomUpLifelong(make(), make(), cil, { seed: 1 });
 * ```
 */
export async function bottomUpLifelong(dense: Network, ticket: Network, scenario: Scenario, options: BottomUpOptions): Promise<{ records: LifelongTaskRecord[]; mask: Mask }> {
  const fn = 'bottomUpLifelong';
  const seed = expectSeed(fn, options.seed);
  const p = expectInRange(fn, 'pruneFractionOfRemaining', options.pruneFractionOfRemaining ?? 0.2, { min: 0, max: 1, minInclusive: false, maxInclusive: false });
  const accept = expectInRange(fn, 'acceptDecay', options.acceptDecay ?? 1, {});
  const deacc = expectInRange(fn, 'maxAccuracyDrop', options.maxAccuracyDrop ?? 2, {});
  const base = expectInRange(fn, 'minSparsity', options.minSparsity ?? 0.9, { min: 0, max: 1 });
  const maxRounds = expectInRange(fn, 'maxRounds', options.maxRounds ?? 26, { min: 0, integer: true });
  const regrow = expectInRange(fn, 'regrowFraction', options.regrowFraction ?? 0.8, { min: 0, max: 1 });
  const retrain = { ...retrainDefaults, ...options.retrain };
  const records: LifelongTaskRecord[] = [];
  const ctx = (t: number, label: string | number, mask?: Mask, teacher?: Awaited<ReturnType<typeof lotteryTeacher>>) => ({
    seed: deriveSeed(seed, 'bu', t, label), mask, teacher: teacher ?? undefined, onProgress: options.onProgress, shouldStop: options.shouldStop,
  });
  const valMean = async (net: Network, k: number, mask?: Mask) => {
    const bound = mask ? bindMask(net, mask) : null;
    try {
      return (await evaluateSeen(net, scenario, k, { split: 'val', weight: bound?.weight })).mean;
    } finally {
      bound?.dispose();
    }
  };
  const save = (mask: Mask): _State => ({ weights: takeSnapshot(_vars(ticket)), mask });
  const load = (s: _State): Mask => (restoreSnapshot(_vars(ticket), s.weights), s.mask);
  const drop = (s: _State | null) => s && disposeSnapshot(s.weights);
  const pruneOpts = (t: number, r: number, candidates?: Mask) => ({ ...options.prune, pruneFractionOfRemaining: p, candidates, seed: deriveSeed(seed, 'bu-prune', t, r) });

  let mask = initialMask(ticket);
  for (let t = 0; t < scenario.tasks.length; t++) {
    const k = t + 1;
    let rounds = 0;
    let regrew = false;
    let regrownDensity: number | undefined;
    let denseVal: number;
    if (t === 0) {
      await trainCilTask(dense, scenario, 0, ctx(0, 'dense'), options.train);
      denseVal = await valMean(dense, 1);
      copyNetworkWeights(dense, ticket);
      let last: _State | null = null;
      try {
        for (; rounds < maxRounds; rounds++) {
          drop(last);
          last = save(mask);
          mask = pruneNetwork(ticket, mask, pruneOpts(0, rounds));
          const a = (await trainCilTask(ticket, scenario, 0, ctx(0, `retrain-${rounds}`, mask), retrain)).valAccuracy;
          if (denseVal - a >= deacc && 1 - globalDensity(mask).density >= base) {
            mask = load(last);
            break;
          }
        }
      } finally {
        drop(last);
      }
    } else {
      const teacher = await lotteryTeacher(dense, scenario, t, { seed: deriveSeed(seed, 'bu', t, 'teacher'), perExemplar: options.perExemplar });
      try {
        copyNetworkWeights(dense, ticket);
        await trainCilTask(dense, scenario, t, ctx(t, 'dense', undefined, teacher), options.train);
        await trainCilTask(ticket, scenario, t, ctx(t, 'ticket', mask, teacher), options.train);
        denseVal = await valMean(dense, k);
        const sparseVal = await valMean(ticket, k, mask);
        if (denseVal - sparseVal >= accept) {
          regrew = true;
          const old = mask;
          const pruned = maskNot(old); // re-grow candidates: the currently pruned positions
          const values = new Map(Object.keys(old).map((n) => [n, dense.params.get(n)!.dataSync() as Float32Array]));
          const regrown = maskAnd(magnitudePrune(values, pruned, { pruneFractionOfRemaining: 1 - regrow, scope: options.prune?.scope }), pruned);
          mask = maskOr(old, regrown);
          regrownDensity = globalDensity(mask).density;
          copyNetworkWeights(dense, ticket);
          applyMaskToNetwork(ticket, mask);
          let last: _State | null = null;
          try {
            for (; rounds <= maxRounds; rounds++) {
              const a = (await trainCilTask(ticket, scenario, t, ctx(t, `retrain-${rounds}`, mask, teacher), retrain)).valAccuracy;
              if (denseVal - a > deacc && 1 - globalDensity(mask).density > base) {
                if (last) mask = load(last);
                break;
              }
              drop(last);
              last = save(mask);
              if (rounds === maxRounds) break;
              // Prune only the newly re-grown weights: old ticket weights are never candidates.
              mask = pruneNetwork(ticket, mask, pruneOpts(t, rounds, maskAnd(mask, maskNot(old))));
            }
          } finally {
            drop(last);
          }
        }
      } finally {
        if (teacher) tf.dispose([teacher.main, teacher.random]);
      }
    }
    const sa = await _seen(ticket, scenario, k, mask);
    const record: LifelongTaskRecord = {
      learnedTasks: k, density: globalDensity(mask).density, standardAccuracy: sa.mean, perTask: sa.perTask,
      valAccuracy: await valMean(ticket, k, mask), pruneRounds: rounds, denseValAccuracy: denseVal, regrew,
      ...(regrownDensity !== undefined ? { regrownDensity } : {}),
    };
    records.push(record);
    options.onTask?.(record, mask);
  }
  return { records, mask };
}
