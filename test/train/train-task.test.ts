import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { adam } from '../../src/train/adam';
import { sgd } from '../../src/train/sgd';
import { crossEntropy } from '../../src/train/cross-entropy';
import { evaluate, evaluateAccuracy } from '../../src/train/evaluate';
import { trainTask, type TrainTaskOptions } from '../../src/train/train-task';
import { plateauSchedule, stepSchedule } from '../../src/train/lr-schedule';
import type { ProgressEvent } from '../../src/train/progress';
import { formatProgress } from '../../src/train/progress';
import { InvalidArgumentError } from '../../src/errors';
import { Rng } from '../../src/random';
import { tinyBatches, tinyMlp, tinyTask, type TinyNet } from './fixtures';

function setup(seed: number): { net: TinyNet; data: ReturnType<typeof tinyTask> } {
  const net = tinyMlp(seed);
  net.addHead(2, new Rng(seed + 1));
  return { net, data: tinyTask(seed + 2) };
}

function options(net: TinyNet, data: ReturnType<typeof tinyTask>, extra: Partial<TrainTaskOptions> = {}): TrainTaskOptions {
  return {
    task: 0,
    variables: net.params,
    optimizer: extra.optimizer ?? adam(net.params, { learningRate: 0.01 }),
    epochs: 4,
    seed: 11,
    batches: ({ shuffleSeed }) => tinyBatches(data.train, 16, shuffleSeed),
    loss: (b) => {
      const logits = net.logits(b.x, 0, { training: true });
      return { loss: crossEntropy(logits, b.y), logits };
    },
    validate: () => evaluate(net, 0, (bs) => tinyBatches(data.val, bs)),
    ...extra,
  };
}

test('training lowers the loss and reaches high accuracy on a separable task', async () => {
  await useTestBackend('cpu');
  const { net, data } = setup(1);
  const before = await evaluateAccuracy(net, 0, (bs) => tinyBatches(data.test, bs));
  const opts = options(net, data, { epochs: 15 });
  const result = await trainTask(opts);
  const after = await evaluateAccuracy(net, 0, (bs) => tinyBatches(data.test, bs));
  assert.equal(result.stopped, 'completed');
  assert.equal(result.history.length, 15);
  assert.ok(result.history[14].loss < result.history[0].loss);
  assert.ok(after >= 85 && after >= before, `accuracy ${before} → ${after}`);
  opts.optimizer.dispose();
  net.dispose();
});

test('the same seed gives bit-identical weights; shuffles are seeded per epoch', async () => {
  await useTestBackend('cpu');
  const runs = [];
  const seeds: number[][] = [];
  for (let i = 0; i < 2; i++) {
    const { net, data } = setup(2);
    const opts = options(net, data, { epochs: 3 });
    const s: number[] = [];
    await trainTask({ ...opts, batches: (e) => (s.push(e.shuffleSeed), opts.batches(e)) });
    runs.push(net.params.get('fc1/kernel')!.dataSync().slice());
    seeds.push(s);
    opts.optimizer.dispose();
    net.dispose();
  }
  assert.deepEqual(runs[0], runs[1]);
  assert.deepEqual(seeds[0], seeds[1]);
  assert.equal(new Set(seeds[0]).size, 3);
});

test('best-snapshot selection on val accuracy restores the best epoch exactly', async () => {
  await useTestBackend('cpu');
  const { net, data } = setup(3);
  let kept: Float32Array | null = null;
  let bestAcc = -1;
  const opts = options(net, data, { epochs: 8, select: 'val-accuracy' });
  const result = await trainTask({
    ...opts,
    validate: async (epoch) => {
      const m = await evaluate(net, 0, (bs) => tinyBatches(data.val, bs));
      if (epoch < 2 && m.accuracy > bestAcc) {
        bestAcc = m.accuracy;
        kept = Float32Array.from(net.params.get('fc1/kernel')!.dataSync());
      }
      // force later epochs to look worse so the restore is observable
      return epoch >= 2 ? { loss: m.loss, accuracy: -epoch } : m;
    },
  });
  assert.ok(result.bestEpoch !== null && result.bestEpoch <= 1);
  assert.deepEqual(net.params.get('fc1/kernel')!.dataSync(), kept);
  assert.equal(result.history.length, 8);
  opts.optimizer.dispose();
  net.dispose();
});

test('a step schedule sets the optimizer lr each epoch', async () => {
  await useTestBackend('cpu');
  const { net, data } = setup(4);
  const opt = sgd(net.params, { learningRate: 0.1, momentum: 0.9, weightDecay: 5e-4 });
  const result = await trainTask(options(net, data, { optimizer: opt, epochs: 4, schedule: stepSchedule({ initial: 0.1, milestones: [2, 3] }) }));
  assert.deepEqual(result.history.map((h) => +h.learningRate.toPrecision(6)), [0.1, 0.1, 0.01, 0.001]);
  opt.dispose();
  net.dispose();
});

test('shouldStop ends cleanly between steps and leaves a usable model', async () => {
  await useTestBackend('cpu');
  const { net, data } = setup(5);
  let steps = 0;
  const opts = options(net, data, { epochs: 10, loss: (b) => (steps++, crossEntropy(net.logits(b.x, 0, { training: true }), b.y)), shouldStop: () => steps >= 5 });
  const n = tf.memory().numTensors;
  const result = await trainTask(opts);
  opts.optimizer.dispose();
  assert.equal(result.stopped, 'interrupted');
  assert.equal(result.steps, 5);
  assert.equal(tf.memory().numTensors, n, 'no tensors left behind');
  const acc = await evaluateAccuracy(net, 0, (bs) => tinyBatches(data.test, bs));
  assert.ok(Number.isFinite(acc));
  net.dispose();
});

test('progress events carry task, epoch, step, loss, accuracy, throughput and ETA', async () => {
  await useTestBackend('cpu');
  const { net, data } = setup(6);
  const events: ProgressEvent[] = [];
  const opts = options(net, data, { epochs: 2, reportEvery: 1, onProgress: (e) => events.push(e) });
  await trainTask(opts);
  const steps = events.filter((e) => e.kind === 'step');
  const epochs = events.filter((e) => e.kind === 'epoch');
  assert.equal(steps.length, 6); // 48 samples / 16 per batch × 2 epochs
  assert.equal(epochs.length, 2);
  assert.equal(steps[0].stepsPerEpoch, null, 'unknown before the first epoch ends');
  assert.equal(steps[3].stepsPerEpoch, 3);
  assert.ok(steps[3].etaSeconds !== null && steps[3].etaSeconds >= 0);
  assert.ok(steps.every((e) => e.samplesPerSecond > 0 && Number.isFinite(e.loss) && e.accuracy !== null));
  assert.ok(epochs[1].val !== undefined && epochs[1].etaSeconds === 0);
  assert.match(formatProgress(epochs[1]), /^task 1 epoch 2\/2 step 3\/3 loss \d\.\d{4} acc [\d.]+% val loss/);
  opts.optimizer.dispose();
  net.dispose();
});

test('tensor count stays flat across epochs and across tasks', async () => {
  await useTestBackend('cpu');
  const net = tinyMlp(7);
  const rng = new Rng(8);
  const counts: number[] = [];
  for (let task = 0; task < 3; task++) {
    net.addHead(2, rng);
    const data = tinyTask(20 + task);
    const opt = adam(net.params, { learningRate: 0.01 });
    const perEpoch: number[] = [];
    await trainTask({
      ...options(net, data, { optimizer: opt, task, select: 'val-loss', epochs: 3 }),
      loss: (b) => ({ loss: crossEntropy(net.logits(b.x, task, { training: true }), b.y), logits: net.logits(b.x, task, { training: true }) }),
      validate: async () => {
        perEpoch.push(tf.memory().numTensors);
        return evaluate(net, task, (bs) => tinyBatches(data.val, bs));
      },
    });
    opt.dispose();
    // the snapshot taken after the first epoch stays alive, so compare from epoch 1 on
    assert.equal(new Set(perEpoch.slice(1)).size, 1, `per-epoch counts ${perEpoch}`);
    counts.push(tf.memory().numTensors - net.params.size);
  }
  assert.equal(new Set(counts).size, 1, `per-task counts ${counts}`);
  net.dispose();
});

test('trainTask validates its options', async () => {
  await useTestBackend('cpu');
  const { net, data } = setup(9);
  const opts = options(net, data);
  await assert.rejects(trainTask({ ...opts, validate: undefined, select: 'val-loss' }), /needs a validate function/);
  await assert.rejects(trainTask({ ...opts, epochs: 0 }), InvalidArgumentError);
  await assert.rejects(trainTask({ ...opts, batches: () => [] }), /yielded no batches/);
  opts.optimizer.dispose();
  net.dispose();
});

test('the plateau rule stops the task and the best val-loss snapshot is restored', async () => {
  await useTestBackend('cpu');
  const { net, data } = setup(10);
  let atBest: Float32Array | null = null;
  const losses = [0.5, 0.4, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1];
  const opts = options(net, data, {
    epochs: 8,
    select: 'val-loss',
    schedule: plateauSchedule({ initial: 0.01, lrMin: 0.004, patience: 2 }),
    validate: (epoch) => {
      if (epoch === 1) atBest = Float32Array.from(net.params.get('fc1/kernel')!.dataSync());
      return { loss: losses[epoch], accuracy: 0 };
    },
  });
  const result = await trainTask(opts);
  // misses at epochs 2, 3 → lr 0.005; misses at 4, 5 → lr 0.0025 < 0.004 → stop after epoch 5
  assert.equal(result.stopped, 'schedule');
  assert.equal(result.history.length, 6);
  assert.deepEqual(result.history.map((h) => h.learningRate), [0.01, 0.01, 0.01, 0.01, 0.005, 0.005]);
  assert.equal(result.bestEpoch, 1);
  assert.deepEqual(net.params.get('fc1/kernel')!.dataSync(), atBest);
  opts.optimizer.dispose();
  net.dispose();
});
