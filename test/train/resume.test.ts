import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { loadCheckpoint, saveCheckpoint } from '../../src/train/checkpoint';
import { crossEntropy } from '../../src/train/cross-entropy';
import { evaluate, evaluateAccuracy } from '../../src/train/evaluate';
import { packOptimizerState, unpackOptimizerState } from '../../src/train/optimizer-checkpoint';
import type { Optimizer } from '../../src/train/optimizer';
import { restoreOptimizer } from '../../src/train/restore-optimizer';
import { sgd } from '../../src/train/sgd';
import { trainTask } from '../../src/train/train-task';
import { Rng } from '../../src/random';
import { tinyBatches, tinyMlp, tinyTask, type TinyNet } from './fixtures';

const TASKS = [0, 1, 2].map((t) => tinyTask(40 + t, 40, 2));

interface Run {
  net: TinyNet;
  optimizer: Optimizer;
  rng: Rng;
  matrix: number[][];
}

/** A fresh run: net, all heads, one SGD with momentum shared by every task (its state matters). */
function freshRun(netSeed: number): Run {
  const net = tinyMlp(netSeed);
  const rng = new Rng(77);
  for (let t = 0; t < TASKS.length; t++) net.addHead(2, rng);
  return { net, optimizer: sgd(net.params, { learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4 }), rng, matrix: [] };
}

/** Trains tasks `from..to` (inclusive), appending rows to the accuracy matrix. */
async function trainTasks(run: Run, from: number, to: number): Promise<void> {
  const { net, optimizer, rng } = run;
  for (let t = from; t <= to; t++) {
    const data = TASKS[t];
    await trainTask({
      task: t, variables: net.params, optimizer, epochs: 3, seed: rng.nextUint32(), select: 'val-loss',
      batches: ({ shuffleSeed }) => tinyBatches(data.train, 8, shuffleSeed),
      loss: (b) => crossEntropy(net.logits(b.x, t, { training: true }), b.y),
      validate: () => evaluate(net, t, (bs) => tinyBatches(data.val, bs)),
    });
    const row: number[] = [];
    for (let j = 0; j <= t; j++) row.push(await evaluateAccuracy(net, j, (bs) => tinyBatches(TASKS[j].test, bs)));
    run.matrix.push(row);
  }
}

test('a 3-task run killed after task 2 and resumed from its checkpoint gives the same accuracy matrix and weights', async () => {
  await useTestBackend('cpu');
  const whole = freshRun(5);
  await trainTasks(whole, 0, 2);

  // interrupted run: tasks 1-2, save, drop everything
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ticketlab-resume-'));
  const first = freshRun(5);
  await trainTasks(first, 0, 1);
  const opt = packOptimizerState('optimizer', first.optimizer.getState());
  await saveCheckpoint(dir, {
    taskIndex: 1, epoch: 3, accuracyMatrix: first.matrix, rng: { run: first.rng.getState() },
    extra: { optimizer: opt.json }, tensors: new Map<string, tf.Tensor>([...first.net.params, ...opt.tensors]),
  });
  tf.dispose([...opt.tensors.values()]);
  first.optimizer.dispose();
  first.net.dispose();

  // resume into a differently initialised net, so every weight must come from the checkpoint
  const ckpt = await loadCheckpoint(dir);
  const resumed = freshRun(999);
  resumed.optimizer.dispose();
  for (const [name, v] of resumed.net.params) v.assign(ckpt.tensors.get(name)!);
  resumed.optimizer = restoreOptimizer(resumed.net.params, unpackOptimizerState('optimizer', (ckpt.extra as { optimizer: never }).optimizer, ckpt.tensors));
  resumed.rng = Rng.fromState(ckpt.rng!.run);
  resumed.matrix = ckpt.accuracyMatrix.map((row) => [...row]);
  tf.dispose([...ckpt.tensors.values()]);
  await trainTasks(resumed, ckpt.taskIndex + 1, 2);

  assert.deepEqual(resumed.matrix, whole.matrix);
  assert.equal(whole.matrix.length, 3);
  assert.ok(whole.matrix[2].every((a) => a > 50), `accuracy matrix ${JSON.stringify(whole.matrix)}`);
  for (const [name, v] of whole.net.params) assert.deepEqual(resumed.net.params.get(name)!.dataSync(), v.dataSync(), name);

  for (const run of [whole, resumed]) {
    run.optimizer.dispose();
    run.net.dispose();
  }
  await fs.rm(dir, { recursive: true });
});
