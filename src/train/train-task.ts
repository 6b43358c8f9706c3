/**
 * The epoch loop shared by every method: seeded shuffles, a caller-given loss, gradients over
 * chosen variables, optional gradient transforms (masking), the optimizer step, per-epoch
 * validation for the schedule and model selection (best snapshot, methods.md §1.5 and §2.2),
 * a cooperative stop check between steps, and progress events.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/types';
import { expectOneOf, expectPositiveInt, InvalidArgumentError } from '../errors';
import { deriveSeed, expectSeed } from '../random';
import { countCorrect } from './cross-entropy';
import { _epochTotals } from './_epoch-totals';
import { constantSchedule, type EpochMetrics, type LrSchedule } from './lr-schedule';
import type { Optimizer } from './optimizer';
import type { ProgressCallback } from './progress';
import { disposeSnapshot, restoreSnapshot, takeSnapshot, type Snapshot } from './snapshot';

/** Where a step is: passed to the loss function, e.g. for a per-step dropout seed. */
export interface StepContext {
  readonly task: number;
  readonly epoch: number;
  /** 0-based step within the epoch. */
  readonly step: number;
  /** A seed unique to (seed, task, epoch, step), for dropout or augmentation. */
  readonly seed: number;
}

/** What a loss function returns: the scalar, or the scalar and logits for training accuracy. */
export type LossOutput = tf.Scalar | { readonly loss: tf.Scalar; readonly logits?: tf.Tensor2D };

/**
 * Weights a step computes from its variables before the gradient tape, e.g. WSN's masked
 * weights W ⊙ top-c(s) (`topCDerivedWeights`). The loss reads them through its weight hook;
 * they are differentiated as tensors of their own, and their gradients go to `update` (which
 * updates the variables they come from) instead of the optimizer's applyGradients. This lets a
 * method fuse the backward of the derivation into the optimizer step.
 */
export interface DerivedWeights {
  /** This step's weights by name; runs inside the step's tidy scope, before the tape. */
  compute(): ReadonlyMap<string, tf.Tensor>;
  /** The step from their gradients (keys as `compute`'s; inside the tidy), e.g. `optimizer.applyTopCGradients`. */
  update(grads: ReadonlyMap<string, tf.Tensor>, optimizer: Optimizer): void;
}

/** Model selection: keep the last epoch, or the epoch with the best validation loss / accuracy. */
export type Selection = 'last' | 'val-loss' | 'val-accuracy';

/** Options of {@link trainTask}. */
export interface TrainTaskOptions {
  /** Task index (0-based): labels events and derives shuffle seeds. */
  readonly task: number;
  /** Variables to differentiate and update, by name (keys match the optimizer's). */
  readonly variables: ReadonlyMap<string, tf.Variable>;
  readonly optimizer: Optimizer;
  /** Loss of one batch; runs inside the step's tidy scope and gradient tape. */
  readonly loss: (batch: Batch, context: StepContext) => LossOutput;
  /**
   * One epoch of training batches, shuffled with `shuffleSeed` (derived from `seed`, task and
   * epoch). Called once per epoch; trainTask disposes every batch it receives.
   */
  readonly batches: (epoch: { readonly epoch: number; readonly shuffleSeed: number }) => Iterable<Batch>;
  /** Maximum number of epochs (a schedule may stop earlier). */
  readonly epochs: number;
  /** Seed of shuffles and step seeds, an integer in [0, 2^32). */
  readonly seed: number;
  /** Default: constant at the optimizer's learning rate. */
  readonly schedule?: LrSchedule;
  /** Validation after each epoch (inference mode), for the schedule and selection. */
  readonly validate?: (epoch: number) => EpochMetrics | Promise<EpochMetrics>;
  /** Default `'last'`; the others need `validate`. */
  readonly select?: Selection;
  /** Variables the best snapshot copies and restores. Default `variables`. */
  readonly snapshotVariables?: ReadonlyMap<string, tf.Variable>;
  /** Weights derived from the variables before each step's tape, updated through their own gradients. */
  readonly derivedWeights?: DerivedWeights;
  /** Rewrites gradients before the step (e.g. {@link maskGradients}); runs inside the tidy. */
  readonly transformGradients?: (grads: ReadonlyMap<string, tf.Tensor>) => ReadonlyMap<string, tf.Tensor>;
  /** Checked before every step; true ends the task cleanly after the current step. */
  readonly shouldStop?: () => boolean;
  readonly onProgress?: ProgressCallback;
  /** Steps between `step` progress events (each reads back the loss). Default 10. */
  readonly reportEvery?: number;
  /** Steps per epoch, for ETA in the first epoch. Default: learned after the first epoch. */
  readonly stepsPerEpoch?: number;
}

/** One epoch's record. */
export interface EpochRecord {
  readonly epoch: number;
  readonly learningRate: number;
  readonly loss: number;
  /** Training accuracy (%), null without logits. */
  readonly accuracy: number | null;
  readonly val?: EpochMetrics;
}

/** What {@link trainTask} did. */
export interface TrainTaskResult {
  /** `completed`: all epochs; `schedule`: the schedule stopped it; `interrupted`: shouldStop. */
  readonly stopped: 'completed' | 'schedule' | 'interrupted';
  readonly history: readonly EpochRecord[];
  readonly steps: number;
  /** Epoch whose snapshot was restored (selection other than `last`), else null. */
  readonly bestEpoch: number | null;
  /** The learning rate the schedule ended with. */
  readonly learningRate: number;
}

const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/**
 * Trains one task. Every step runs in `tf.tidy`; batches are disposed; the model stays usable
 * when interrupted (weights as after the last completed step; the best snapshot is not
 * restored then). At the end, with a selection other than `last`, the best snapshot is restored.
 * @throws InvalidArgumentError for bad options (selection without validation, bad seed, ...).
 * @example
 * ```ts
 * const opt = adam(net.params, { learningRate: 1e-3 });
 * const result = await trainTask({
 *   task: 0, variables: net.params, optimizer: opt, epochs: 5, seed: 1,
 *   batches: ({ shuffleSeed }) => batches(task.train, task.transform, { batchSize: 64, shuffleSeed }),
 *   loss: (b) => crossEntropy(net.logits(b.x, 0, { training: true }), b.y),
 * });
 * opt.dispose();
 * ```
 */
export async function trainTask(options: TrainTaskOptions): Promise<TrainTaskResult> {
  const fn = 'trainTask';
  const task = expectPositiveInt(fn, 'task', options.task, 0);
  const epochs = expectPositiveInt(fn, 'epochs', options.epochs);
  const seed = expectSeed(fn, options.seed);
  const reportEvery = expectPositiveInt(fn, 'reportEvery', options.reportEvery ?? 10);
  const select = expectOneOf('selection', options.select ?? 'last', ['last', 'val-loss', 'val-accuracy'] as const);
  if (select !== 'last' && !options.validate) {
    throw new InvalidArgumentError(`${fn}: select "${select}" needs a validate function. Pass validate, or select "last".`);
  }
  const { optimizer, variables } = options;
  for (const name of variables.keys()) {
    if (optimizer.variables.get(name) !== variables.get(name)) {
      throw new InvalidArgumentError(`${fn}: variable "${name}" is not the optimizer's variable of that name. Create the optimizer over the same map.`);
    }
  }
  const schedule = options.schedule ?? constantSchedule(optimizer.learningRate);
  const snapshotVars = options.snapshotVariables ?? variables;
  const varList = [...variables.values()].filter((v) => v.trainable);
  const nameOf = new Map([...variables].map(([name, v]) => [v.name, name]));

  let stepsPerEpoch = options.stepsPerEpoch ?? null;
  const history: EpochRecord[] = [];
  let best: { epoch: number; metrics: EpochMetrics; snapshot: Snapshot } | null = null;
  let stopped: TrainTaskResult['stopped'] = 'completed';
  let totalSteps = 0;
  let totalSamples = 0;
  let trainMs = 0;
  const totals = _epochTotals();

  const readSums = async (): Promise<{ loss: number; accuracy: number | null; samples: number }> => {
    const { loss, correct, scored } = await totals.read();
    return { loss, accuracy: scored > 0 ? (100 * correct) / scored : null, samples: scored };
  };

  try {
    for (let epoch = 0; epoch < epochs && stopped === 'completed'; epoch++) {
      optimizer.learningRate = schedule.learningRate;
      totals.reset();
      let step = 0;
      let samples = 0;
      const emitStep = async (): Promise<void> => {
        const now = await readSums();
        const perStep = totalSteps > 0 ? trainMs / totalSteps : 0;
        const left = stepsPerEpoch === null ? null : (epochs - epoch) * stepsPerEpoch - step;
        options.onProgress?.({
          kind: 'step', task, epoch, epochs, step, stepsPerEpoch,
          loss: now.loss / samples, accuracy: now.accuracy, learningRate: optimizer.learningRate,
          samplesPerSecond: trainMs > 0 ? (1000 * totalSamples) / trainMs : 0,
          etaSeconds: left === null ? null : (Math.max(0, left) * perStep) / 1000,
        });
      };
      const shuffleSeed = deriveSeed(seed, 'shuffle', task, epoch);
      for (const batch of options.batches({ epoch, shuffleSeed })) {
        try {
          if (options.shouldStop?.()) {
            stopped = 'interrupted';
            break;
          }
          const started = performance.now();
          const context: StepContext = { task, epoch, step, seed: deriveSeed(seed, 'step', task, epoch, step) };
          const size = batch.x.shape[0];
          tf.tidy(() => {
            const held: { correct: tf.Tensor | null } = { correct: null };
            const derived = options.derivedWeights?.compute() ?? new Map<string, tf.Tensor>();
            const { value, grads } = tf.engine().gradients(() => {
              const out = options.loss(batch, context);
              const loss = out instanceof tf.Tensor ? out : out.loss;
              if (!(out instanceof tf.Tensor) && out.logits) held.correct = tf.keep(countCorrect(out.logits, batch.y));
              if (loss.rank !== 0) throw new InvalidArgumentError(`${fn}: the loss must be a scalar; got shape [${loss.shape.join(', ')}].`);
              return loss;
            }, [...varList, ...derived.values()], undefined, true);
            if (grads.every((g) => g == null)) {
              throw new InvalidArgumentError(`${fn}: the loss does not depend on any variable being trained (${[...variables.keys()].slice(0, 4).join(', ')}…). Build the loss from the network's forward pass inside the loss function.`);
            }
            const named = new Map<string, tf.Tensor>();
            varList.forEach((v, i) => {
              if (grads[i]) named.set(nameOf.get(v.name)!, grads[i]);
            });
            optimizer.applyGradients(options.transformGradients ? options.transformGradients(named) : named);
            if (derived.size > 0) {
              const derivedGrads = new Map<string, tf.Tensor>();
              [...derived.keys()].forEach((name, i) => {
                if (grads[varList.length + i]) derivedGrads.set(name, grads[varList.length + i]);
              });
              options.derivedWeights!.update(derivedGrads, optimizer);
            }
            totals.add(value, held.correct, size);
            tf.dispose(held.correct ?? []);
          });
          step += 1;
          samples += size;
          totalSteps += 1;
          totalSamples += size;
          trainMs += performance.now() - started;
        } finally {
          tf.dispose([batch.x, batch.y]);
        }
        if (options.onProgress && step % reportEvery === 0) await emitStep();
        await yieldToEventLoop();
      }
      if (stopped === 'interrupted' || step === 0) {
        if (step === 0 && stopped !== 'interrupted') {
          throw new InvalidArgumentError(`${fn}: the batch factory yielded no batches for task ${task}, epoch ${epoch}. Check the training split.`);
        }
        break;
      }
      stepsPerEpoch ??= step;
      const now = await readSums();
      const val = options.validate ? await options.validate(epoch) : undefined;
      const record: EpochRecord = { epoch, learningRate: optimizer.learningRate, loss: now.loss / samples, accuracy: now.accuracy, val };
      history.push(record);
      if (val && select !== 'last') {
        const improved = best === null || (select === 'val-loss' ? val.loss < best.metrics.loss : val.accuracy > best.metrics.accuracy);
        if (improved) {
          if (best) disposeSnapshot(best.snapshot);
          best = { epoch, metrics: val, snapshot: takeSnapshot(snapshotVars) };
        }
      }
      const decision = schedule.endEpoch(epoch, val);
      if (options.onProgress) {
        const perStep = trainMs / totalSteps;
        options.onProgress({
          kind: 'epoch', task, epoch, epochs, step, stepsPerEpoch, loss: record.loss, accuracy: record.accuracy,
          learningRate: record.learningRate, samplesPerSecond: (1000 * totalSamples) / trainMs,
          etaSeconds: decision.stop ? 0 : ((epochs - epoch - 1) * stepsPerEpoch * perStep) / 1000, val,
        });
      }
      if (decision.stop) stopped = 'schedule';
    }
    const restored = stopped !== 'interrupted' && best !== null;
    if (restored) restoreSnapshot(snapshotVars, best!.snapshot);
    return { stopped, history, steps: totalSteps, bestEpoch: restored ? best!.epoch : null, learningRate: schedule.learningRate };
  } finally {
    totals.dispose();
    if (best) disposeSnapshot(best.snapshot);
  }
}
