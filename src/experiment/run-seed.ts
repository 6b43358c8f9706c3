/**
 * One seed of an experiment, with the full protocol (methods.md §1.11, §1.12): learn task t,
 * then re-evaluate every task j ≤ t (never copied) into row t of the accuracy matrix. After
 * each task a checkpoint (learner state, accuracy matrix so far, RNG state, per-task times)
 * replaces the previous one in `<run dir>/checkpoint`; a rerun resumes after the last finished
 * task and gives the same numbers. A finished run is stored as `<run dir>/result.json` and a
 * rerun returns it without training.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { dispose } from '@tensorflow/tfjs-core';
import { CheckpointError, InterruptedError } from '../errors';
import { AccuracyMatrixBuilder, type AccuracyMatrix } from '../metrics/accuracy-matrix';
import { averageAccuracy } from '../metrics/average-accuracy';
import { backwardTransfer } from '../metrics/backward-transfer';
import { evaluateLearner } from '../methods/evaluate-learner';
import type { CapacityReport, ContinualMethod, LearnerState } from '../methods/types';
import { deriveSeed, Rng, type RngState } from '../random';
import { loadCheckpoint, saveCheckpoint, type JsonValue } from '../train/checkpoint';
import type { ResolvedBenchmark } from './benchmarks';
import type { EventSource, ExperimentEvent, SeedResult } from './experiment-types';
import { RUN_FORMAT_VERSION } from './run-id';

/** What {@link _runSeed} needs. Internal: runExperiment builds it. */
export interface _SeedSpec {
  readonly source: EventSource;
  readonly method: ContinualMethod<object>;
  readonly methodOptions: object;
  readonly resolved: ResolvedBenchmark;
  readonly dataDir?: string;
  /** The run's folder, or null without a cache. */
  readonly dir: string | null;
  readonly onProgress?: (event: ExperimentEvent) => void;
  readonly shouldStop?: () => boolean;
}

interface Progress {
  rows: number[][];
  taskSeconds: number[];
  taskEpochs: number[];
  taskDetails: Record<string, number>[];
}

const RESULT = 'result.json';
const CHECKPOINT = 'checkpoint';
const LEARNER = 'learner/';

async function readCached(dir: string): Promise<SeedResult | null> {
  try {
    const parsed = JSON.parse(await fs.readFile(path.join(dir, RESULT), 'utf8'));
    return parsed?.version === RUN_FORMAT_VERSION ? { ...(parsed.result as SeedResult), cached: true } : null;
  } catch {
    return null;
  }
}

async function hasCheckpoint(dir: string | null): Promise<boolean> {
  if (!dir) return false;
  return fs.stat(path.join(dir, CHECKPOINT, 'manifest.json')).then(() => true, () => false);
}

/** Runs (or resumes, or reads back) one seed. Internal. */
export async function _runSeed(spec: _SeedSpec): Promise<SeedResult> {
  const { source, dir, resolved } = spec;
  const emit = (event: ExperimentEvent): void => spec.onProgress?.(event);
  const started = Date.now();
  if (dir) {
    const cached = await readCached(dir);
    if (cached) {
      emit({ ...source, kind: 'run-start', resumedTasks: cached.accuracyMatrix.length, cached: true });
      emit({ ...source, kind: 'run-end', cached: true, acc: cached.acc, seconds: 0 });
      return cached;
    }
  }
  const scenario = await resolved.benchmark.scenario(resolved.options, source.seed, spec.dataDir);
  const learner = spec.method.create(
    { scenario, architecture: resolved.architecture, network: resolved.network, training: resolved.training, seed: source.seed },
    spec.methodOptions,
  );
  try {
    let rng = new Rng(deriveSeed(source.seed, 'run', spec.method.name));
    const done: Progress = { rows: [], taskSeconds: [], taskEpochs: [], taskDetails: [] };
    if (await hasCheckpoint(dir)) rng = await restore(path.join(dir!, CHECKPOINT), learner, done, source.runId);
    const resumedTasks = done.rows.length;
    const builder = new AccuracyMatrixBuilder(scenario.tasks.length);
    done.rows.forEach((row) => builder.recordTask(row));
    emit({ ...source, kind: 'run-start', resumedTasks, cached: false });
    for (let t = resumedTasks; t < scenario.tasks.length; t++) {
      const task = scenario.tasks[t];
      emit({ ...source, kind: 'task-start', task: t });
      const summary = await learner.learnTask(task, {
        seed: rng.nextUint32(),
        shouldStop: spec.shouldStop,
        onProgress: spec.onProgress ? (progress) => emit({ ...source, kind: 'train', task: t, progress }) : undefined,
      });
      if (summary.interrupted) {
        throw new InterruptedError(
          `runExperiment: stopped during task ${t + 1}/${scenario.tasks.length} of seed ${source.seed}` +
            (dir && t > 0 ? `; tasks 1..${t} are checkpointed in ${dir}, run again to resume.` : '.'),
        );
      }
      const row = await builder.evaluateTask((j) => evaluateLearner(learner, scenario.tasks[j], resolved.training.testBatchSize));
      done.rows.push([...row]);
      done.taskSeconds.push(summary.seconds);
      done.taskEpochs.push(summary.epochs);
      done.taskDetails.push({ ...(summary.details ?? {}) });
      if (dir) await checkpoint(path.join(dir, CHECKPOINT), t, learner.getState(), done, rng.getState(), source.runId);
      const mean = done.taskSeconds.slice(resumedTasks).reduce((a, b) => a + b, 0) / (t + 1 - resumedTasks);
      emit({ ...source, kind: 'task-end', task: t, accuracies: row, seconds: summary.seconds, etaSeconds: mean * (scenario.tasks.length - t - 1) });
    }
    const matrix = builder.toMatrix();
    const result = summarize(source, matrix, learner.capacity(), done, resumedTasks);
    if (dir) {
      await writeResult(dir, result);
      await fs.rm(path.join(dir, CHECKPOINT), { recursive: true, force: true });
    }
    emit({ ...source, kind: 'run-end', cached: false, acc: result.acc, seconds: (Date.now() - started) / 1000 });
    return result;
  } finally {
    learner.dispose();
  }
}

function summarize(source: EventSource, matrix: AccuracyMatrix, capacity: CapacityReport, done: Progress, resumedTasks: number): SeedResult {
  return {
    seed: source.seed,
    runId: source.runId,
    accuracyMatrix: matrix,
    acc: averageAccuracy(matrix),
    bwt: matrix.length >= 2 ? backwardTransfer(matrix, { unit: 'percent' }) : null,
    capacity,
    taskSeconds: done.taskSeconds,
    taskEpochs: done.taskEpochs,
    taskDetails: done.taskDetails,
    cached: false,
    resumedTasks,
  };
}

async function writeResult(dir: string, result: SeedResult): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `${RESULT}.${process.pid}.tmp`);
  await fs.writeFile(tmp, JSON.stringify({ version: RUN_FORMAT_VERSION, result }, null, 1));
  await fs.rename(tmp, path.join(dir, RESULT));
}

async function checkpoint(dir: string, task: number, state: LearnerState, done: Progress, rng: RngState, runId: string): Promise<void> {
  const tensors = new Map<string, tf.Tensor>();
  for (const [name, t] of state.tensors) tensors.set(LEARNER + name, t);
  try {
    const extra = { learner: state.json, taskSeconds: done.taskSeconds, taskEpochs: done.taskEpochs, taskDetails: done.taskDetails };
    await saveCheckpoint(dir, {
      taskIndex: task, epoch: 0, accuracyMatrix: done.rows, rng: { run: rng }, options: { runId },
      extra: extra as unknown as JsonValue, tensors,
    });
  } finally {
    dispose([...state.tensors.values()]);
  }
}

async function restore(dir: string, learner: { setState(state: LearnerState): void }, done: Progress, runId: string): Promise<Rng> {
  const ckpt = await loadCheckpoint(dir);
  try {
    const options = ckpt.options as { runId?: string } | null;
    if (options?.runId !== runId) {
      throw new CheckpointError(`${dir}: the checkpoint belongs to run ${JSON.stringify(options?.runId)}, not ${runId}. Delete the folder to start over.`);
    }
    const extra = ckpt.extra as unknown as { learner: JsonValue } & Omit<Progress, 'rows'>;
    const tensors = new Map<string, tf.Tensor>();
    for (const [name, t] of ckpt.tensors) if (name.startsWith(LEARNER)) tensors.set(name.slice(LEARNER.length), t);
    learner.setState({ json: extra.learner, tensors });
    done.rows = ckpt.accuracyMatrix.map((row) => [...row]);
    done.taskSeconds = [...extra.taskSeconds];
    done.taskEpochs = [...extra.taskEpochs];
    done.taskDetails = extra.taskDetails.map((d) => ({ ...d }));
    return Rng.fromState(ckpt.rng!.run);
  } finally {
    dispose([...ckpt.tensors.values()]);
  }
}
