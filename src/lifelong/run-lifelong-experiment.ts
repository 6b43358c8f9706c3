/**
 * One-call lifelong-tickets experiments (methods.md §2.5–2.6, Figure 4 in §5.3): build the
 * offline CIFAR-like benchmark (or take a scenario), run Top-Down or Bottom-Up pruning, and
 * return per-task density and standard accuracy as an Arquero table.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { offlineRgb, type OfflineRgbOptions } from '../data/offline/offline-rgb';
import { lifelongCil, type LifelongCilOptions } from '../data/scenarios/lifelong-cil';
import type { Scenario } from '../data/types';
import { expectOneOf } from '../errors';
import { createNetwork, type ArchitectureName } from '../models/architectures';
import type { Network } from '../models/types';
import type { Mask } from '../pruning/mask';
import { deriveSeed, expectSeed } from '../random';
import { bottomUpLifelong, type BottomUpOptions } from './bottom-up';
import type { LifelongCallbacks, LifelongTaskRecord } from './lifelong-types';
import { captureTicket, type Ticket } from './ticket';
import { topDownLifelong, type TopDownOptions } from './top-down';

/** Offline benchmark: generator options, scenario options and pool size. */
export interface OfflineLifelongConfig {
  readonly data?: OfflineRgbOptions;
  readonly scenario?: Omit<LifelongCilOptions, 'unlabeled' | 'seed'>;
  /** Unlabeled pool images (a second offline-RGB draw). Default 2 000; 0 for none. */
  readonly poolSize?: number;
}

/** Options of {@link runLifelongExperiment}. */
export interface LifelongExperimentOptions extends LifelongCallbacks {
  readonly strategy: 'top-down' | 'bottom-up';
  /** A class-incremental scenario (lifelongCil); default: the offline benchmark of `offline`. */
  readonly scenario?: Scenario;
  readonly offline?: OfflineLifelongConfig;
  /** Default `preact-resnet18`. */
  readonly architecture?: ArchitectureName;
  /** Extra architecture options (e.g. `{ nf: 8 }` for resnet18-reduced). */
  readonly networkOptions?: Readonly<Record<string, unknown>>;
  readonly seed: number;
  /** Strategy options (training, retraining, schedule, tolerances). */
  readonly topDown?: Omit<TopDownOptions, 'seed' | keyof LifelongCallbacks>;
  readonly bottomUp?: Omit<BottomUpOptions, 'seed' | keyof LifelongCallbacks>;
}

/** What {@link runLifelongExperiment} returns. */
export interface LifelongExperimentResult {
  /** Columns: strategy, seed, learnedTasks, density, standardAccuracy, valAccuracy, pruneRounds. */
  readonly table: ColumnTable;
  readonly records: readonly LifelongTaskRecord[];
  /** The final ticket (its current weights); caller disposes with disposeTicket. */
  readonly ticket: Ticket;
  readonly scenario: Scenario;
}

/**
 * Builds the offline lifelong benchmark: offline-RGB classes cut by lifelongCil with an
 * unlabeled pool drawn from an independent offline-RGB stream.
 * @example
 * ```ts
 * const cil = offlineLifelongScenario({ data: { numSuperclasses: 5, classesPerSuperclass: 2, trainCount: 5000 } }, 0);
 * ```
 */
export function offlineLifelongScenario(config: OfflineLifelongConfig, seed: number): Scenario {
  const data = offlineRgb({ numSuperclasses: 5, classesPerSuperclass: 2, trainCount: 5000, testCount: 1000, ...config.data, seed: deriveSeed(seed, 'data') });
  const poolSize = config.poolSize ?? 2000;
  const pool = poolSize > 0 ? offlineRgb({ ...config.data, numSuperclasses: 5, classesPerSuperclass: 2, ...config.data, trainCount: poolSize, testCount: 0, seed: deriveSeed(seed, 'pool') }).train : undefined;
  return lifelongCil(data, { classOrder: 'seeded', ...config.scenario, ...(pool ? { unlabeled: pool } : {}), seed });
}

/**
 * Runs TD or BU lifelong pruning end to end and tabulates density and SA per learned task.
 * @throws InvalidArgumentError / UnknownNameError for a bad strategy, architecture or option
 * @example
 * ```ts
 * const { table } = await runLifelongExperiment({ strategy: 'top-down', seed: 0, architecture: 'resnet18-reduced',
 *   networkOptions: { nf: 8 }, topDown: { train: { epochs: 10 }, retrain: { epochs: 2 } } });
 * table.print();
 * ```
 */
export async function runLifelongExperiment(options: LifelongExperimentOptions): Promise<LifelongExperimentResult> {
  const seed = expectSeed('runLifelongExperiment', options.seed);
  const strategy = expectOneOf('lifelong strategy', options.strategy, ['top-down', 'bottom-up'] as const);
  const scenario = options.scenario ?? offlineLifelongScenario(options.offline ?? {}, seed);
  const architecture = options.architecture ?? 'preact-resnet18';
  const make = (): Network => createNetwork(architecture, { branches: ['main', 'random'], headBias: true, ...options.networkOptions, seed: deriveSeed(seed, 'init') } as never);
  const callbacks: LifelongCallbacks = { onProgress: options.onProgress, onTask: options.onTask, shouldStop: options.shouldStop };
  const nets: Network[] = [make()];
  try {
    let out: { records: LifelongTaskRecord[]; mask: Mask };
    if (strategy === 'top-down') out = await topDownLifelong(nets[0], scenario, { ...options.topDown, ...callbacks, seed });
    else {
      nets.push(make());
      out = await bottomUpLifelong(nets[1], nets[0], scenario, { ...options.bottomUp, ...callbacks, seed });
    }
    const table = aq.from(out.records.map((r) => ({
      strategy, seed, learnedTasks: r.learnedTasks, density: r.density, standardAccuracy: r.standardAccuracy, valAccuracy: r.valAccuracy, pruneRounds: r.pruneRounds,
    })));
    const ticket = captureTicket(nets[0], out.mask, {
      architecture, task: out.records.length, strategy, seed,
      schedule: strategy === 'top-down' ? ((options.topDown?.schedule ?? null) as never) : null,
    });
    return { table, records: out.records, ticket, scenario };
  } finally {
    nets.forEach((n) => n.dispose());
  }
}
