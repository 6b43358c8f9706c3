/**
 * Learning-rate schedules as small state machines driven once per epoch: constant, step
 * (multiply by γ at given epochs, methods.md §2.2) and the WSN plateau rule (§1.5, see
 * {@link plateauSchedule}). State is plain JSON so checkpoints can save it.
 */
import { expectInRange, expectPositiveInt, InvalidArgumentError } from '../errors';

/** Validation metrics of one epoch. `loss` is mean cross-entropy, `accuracy` in %. */
export interface EpochMetrics {
  readonly loss: number;
  readonly accuracy: number;
}

/** What a schedule decided at the end of an epoch. */
export interface ScheduleDecision {
  /** Learning rate for the next epoch. */
  readonly learningRate: number;
  /** True when the task should stop now (plateau rule: lr fell below lrMin). */
  readonly stop: boolean;
}

/** JSON-safe schedule state, for checkpoints. */
export type ScheduleState = Readonly<Record<string, number | null>>;

/** A learning-rate schedule. */
export interface LrSchedule {
  readonly kind: 'constant' | 'step' | 'plateau';
  /** Learning rate for the current epoch. */
  readonly learningRate: number;
  /** Feeds the end of epoch `epoch` (0-based) and its validation metrics, if any. */
  endEpoch(epoch: number, val?: EpochMetrics): ScheduleDecision;
  getState(): ScheduleState;
  /** @throws InvalidArgumentError for a state of another kind. */
  setState(state: ScheduleState): void;
}

function checkState(kind: string, state: ScheduleState, keys: readonly string[]): void {
  for (const key of keys) {
    if (!(key in state)) throw new InvalidArgumentError(`${kind}Schedule.setState: state lacks "${key}"; got ${JSON.stringify(state)}.`);
  }
}

/**
 * A constant learning rate.
 * @example
 * ```ts
 * const schedule = constantSchedule(1e-3);
 * ```
 */
export function constantSchedule(learningRate: number): LrSchedule {
  const lr = expectInRange('constantSchedule', 'learningRate', learningRate, { min: 0, minInclusive: false });
  return {
    kind: 'constant',
    learningRate: lr,
    endEpoch: () => ({ learningRate: lr, stop: false }),
    getState: () => ({}),
    setState: () => undefined,
  };
}

/** Options of {@link stepSchedule}. */
export interface StepScheduleOptions {
  readonly initial: number;
  /** Epochs (0-based) from which the next factor applies, increasing; e.g. [60, 80]. */
  readonly milestones: readonly number[];
  /** Factor per milestone. Default 0.1. */
  readonly gamma?: number;
}

/**
 * Step decay (PyTorch `MultiStepLR`): epoch e uses `initial · γ^(number of milestones ≤ e)`.
 * With milestones [60, 80] and γ 0.1, epochs 0–59 use lr, 60–79 lr/10, 80+ lr/100.
 * @throws InvalidArgumentError for a bad option.
 * @example
 * ```ts
 * const schedule = stepSchedule({ initial: 0.01, milestones: [60, 80], gamma: 0.1 });
 * ```
 */
export function stepSchedule(options: StepScheduleOptions): LrSchedule {
  const initial = expectInRange('stepSchedule', 'initial', options.initial, { min: 0, minInclusive: false });
  const gamma = expectInRange('stepSchedule', 'gamma', options.gamma ?? 0.1, { min: 0, minInclusive: false });
  const milestones = [...options.milestones];
  milestones.forEach((m, i) => {
    expectInRange('stepSchedule', `milestones[${i}]`, m, { min: i === 0 ? 1 : milestones[i - 1] + 1, integer: true, hint: 'Milestones must increase.' });
  });
  const at = (epoch: number): number => initial * gamma ** milestones.filter((m) => m <= epoch).length;
  let epoch = 0;
  return {
    kind: 'step',
    get learningRate() {
      return at(epoch);
    },
    endEpoch(done) {
      epoch = done + 1;
      return { learningRate: at(epoch), stop: false };
    },
    getState: () => ({ epoch }),
    setState(state) {
      checkState('step', state, ['epoch']);
      epoch = expectPositiveInt('stepSchedule.setState', 'epoch', state.epoch, 0);
    },
  };
}

/** Options of {@link plateauSchedule}; defaults are WSN's (methods.md §1.5). */
export interface PlateauScheduleOptions {
  readonly initial: number;
  /** Stop when the lr falls below this (per benchmark, methods.md §1.10), e.g. 1e-5. */
  readonly lrMin: number;
  /** Epochs without improvement before the lr is divided. Default 6. */
  readonly patience?: number;
  /** Divisor of the lr on exhausted patience. Default 2. */
  readonly factor?: number;
}

/**
 * The WSN / HAT plateau rule on validation loss (methods.md §1.5). After each epoch: if the
 * loss is below the best so far, record it and reset patience (the caller snapshots the
 * parameters); otherwise decrement patience, and when it reaches 0 divide the lr by `factor`,
 * stopping the task if it is now below `lrMin`, else resetting patience.
 * @throws InvalidArgumentError for a bad option, or when an epoch ends without validation loss.
 * @example
 * ```ts
 * const schedule = plateauSchedule({ initial: 1e-3, lrMin: 1e-5 }); // patience 6, factor 2
 * ```
 */
export function plateauSchedule(options: PlateauScheduleOptions): LrSchedule {
  const initial = expectInRange('plateauSchedule', 'initial', options.initial, { min: 0, minInclusive: false });
  const lrMin = expectInRange('plateauSchedule', 'lrMin', options.lrMin, { min: 0, max: initial, hint: 'lrMin must not exceed the initial lr.' });
  const patience = expectPositiveInt('plateauSchedule', 'patience', options.patience ?? 6);
  const factor = expectInRange('plateauSchedule', 'factor', options.factor ?? 2, { min: 1, minInclusive: false });
  let lr = initial;
  let left = patience;
  let best = Infinity;
  return {
    kind: 'plateau',
    get learningRate() {
      return lr;
    },
    endEpoch(epoch, val) {
      if (val === undefined || typeof val.loss !== 'number') {
        throw new InvalidArgumentError(`plateauSchedule: epoch ${epoch} ended without a validation loss. Pass validate to trainTask.`);
      }
      if (val.loss < best) {
        best = val.loss;
        left = patience;
        return { learningRate: lr, stop: false };
      }
      left -= 1;
      if (left > 0) return { learningRate: lr, stop: false };
      lr /= factor;
      if (lr < lrMin) return { learningRate: lr, stop: true };
      left = patience;
      return { learningRate: lr, stop: false };
    },
    getState: () => ({ learningRate: lr, patienceLeft: left, bestLoss: Number.isFinite(best) ? best : null }),
    setState(state) {
      checkState('plateau', state, ['learningRate', 'patienceLeft', 'bestLoss']);
      lr = expectInRange('plateauSchedule.setState', 'learningRate', state.learningRate, { min: 0, minInclusive: false });
      left = expectPositiveInt('plateauSchedule.setState', 'patienceLeft', state.patienceLeft, 0);
      best = state.bestLoss === null ? Infinity : expectInRange('plateauSchedule.setState', 'bestLoss', state.bestLoss, {});
    },
  };
}
