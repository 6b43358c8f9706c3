import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { InterruptedError, InvalidArgumentError, UnknownNameError } from '../../src/errors';
import { resolveBenchmark } from '../../src/experiment/benchmarks';
import type { ExperimentEvent } from '../../src/experiment/experiment-types';
import { runExperiment } from '../../src/experiment/run-experiment';

/** A tiny offline-permuted run: 3 tasks of 200 images, 1 epoch. */
const tiny = { numTasks: 3, trainCount: 200, testCount: 64, epochs: 1 };
const spec = { benchmark: 'offline-permuted', method: 'wsn', options: { keepFraction: 0.1 }, overrides: tiny } as const;

async function tmpDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'ticketlab-runs-'));
}

test('unknown names, bad options and an architecture that does not fit the input give clear errors', async () => {
  await assert.rejects(() => runExperiment({ ...spec, method: 'wsm' }), (e: Error) => e instanceof UnknownNameError && /Unknown method "wsm"\. Known methods: .*wsn/.test(e.message));
  await assert.rejects(
    () => runExperiment({ ...spec, benchmark: 'pmnits' }),
    (e: Error) => e instanceof UnknownNameError && /Unknown benchmark "pmnits"\. Known benchmarks: cifar100-split, cifar100-superclass, five-datasets, offline-permuted, offline-split, omniglot-rotation, pmnist, tinyimagenet\./.test(e.message),
  );
  await assert.rejects(() => runExperiment({ ...spec, options: { keepFraction: 1.5 } }), /^InvalidArgumentError: wsn: keepFraction must be in \(0, 1\]; got 1\.5\.$/);
  await assert.rejects(
    () => runExperiment({ ...spec, overrides: { architecture: 'tinynet' } }),
    (e: Error) => e instanceof InvalidArgumentError && /architecture "tinynet" takes inputs \[64,64,3\]; benchmark "offline-permuted" gives \[28,28,1\]\. Architectures that fit: mlp\./.test(e.message),
  );
  assert.throws(() => resolveBenchmark('offline-permuted', { epoks: 2 } as never), /Unknown offline-permuted option "epoks"\. Known offline-permuted options: .*epochs/);
  assert.throws(() => resolveBenchmark('offline-permuted', { epochs: '2' } as never), /option epochs must be a number/);
  assert.throws(() => resolveBenchmark('offline-split', { batchSize: 0 }), /batchSize must be a positive integer; got 0/);
  await assert.rejects(() => runExperiment({ ...spec, benchmark: 'pmnist', overrides: {} }), /pmnist: this benchmark reads real data; pass dataDir/);
  assert.equal(resolveBenchmark('cifar100-split').training.epochs, 200);
  assert.equal(resolveBenchmark('tinyimagenet').architecture, 'tinynet');
});

test('a finished run is cached: the second call trains nothing and returns the same numbers', async () => {
  await useTestBackend('wasm');
  const cacheDir = await tmpDir();
  const events: ExperimentEvent[] = [];
  const first = await runExperiment({ ...spec, seeds: [0, 1], cacheDir, onProgress: (e) => events.push(e) });
  assert.ok(events.some((e) => e.kind === 'train'));
  assert.deepEqual(events.filter((e) => e.kind === 'task-end').map((e) => e.kind === 'task-end' && e.task), [0, 1, 2, 0, 1, 2]);
  const again: ExperimentEvent[] = [];
  const second = await runExperiment({ ...spec, seeds: [0, 1], cacheDir, onProgress: (e) => again.push(e) });
  assert.ok(!again.some((e) => e.kind === 'train' || e.kind === 'task-start'), 'no training on a cache hit');
  assert.ok(second.seeds.every((s) => s.cached));
  assert.deepEqual(second.seeds.map((s) => s.accuracyMatrix), first.seeds.map((s) => s.accuracyMatrix));
  for (const s of first.seeds) {
    assert.equal(s.bwt, 0);
    assert.equal(s.accuracyMatrix.length, 3);
    assert.equal(s.taskSeconds.length, 3);
    assert.ok(s.capacity.capPercent < 100);
  }
  assert.notEqual(first.seeds[0].runId, first.seeds[1].runId);
  // a different option is a different run
  const other = await runExperiment({ ...spec, options: { keepFraction: 0.2 }, seeds: [0], cacheDir, overrides: { ...tiny, numTasks: 1 } });
  assert.equal(other.seeds[0].cached, false);
  assert.equal(other.label, 'wsn c=0.2');
  // tidy table and display bundle
  assert.deepEqual(first.table.columnNames(), ['run', 'seed', 'method', 'benchmark', 'trainedTask', 'evalTask', 'metric', 'value']);
  const bundle = (first as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for('Jupyter.display')]();
  assert.match(bundle['text/plain'], /wsn c=0\.1\s+offline-permuted\s+\d+\.\d\d ± \d+\.\d\d\s+0\.00 ± 0\.00/);
  assert.match(bundle['text/html'], /<table/);
  assert.match(String(first), /acc\s+bwt\s+cap/);
  await fs.rm(cacheDir, { recursive: true, force: true });
});

test('a run stopped during task 3 resumes from its checkpoint and gives the uninterrupted accuracy matrix', async () => {
  await useTestBackend('wasm');
  const numTensors = tf.memory().numTensors;
  const whole = await runExperiment({ ...spec, method: 'wsn', cacheDir: null, seeds: [5] });
  assert.equal(tf.memory().numTensors, numTensors, 'no tensors leak from a run');
  const cacheDir = await tmpDir();
  let stop = false;
  await assert.rejects(
    () => runExperiment({ ...spec, seeds: [5], cacheDir, shouldStop: () => stop, onProgress: (e) => (stop ||= e.kind === 'task-start' && e.task === 2) }),
    (e: Error) => e instanceof InterruptedError && /stopped during task 3\/3 of seed 5; tasks 1\.\.2 are checkpointed/.test(e.message),
  );
  const events: ExperimentEvent[] = [];
  const resumed = await runExperiment({ ...spec, seeds: [5], cacheDir, onProgress: (e) => events.push(e) });
  assert.equal(resumed.seeds[0].resumedTasks, 2);
  assert.deepEqual(events.filter((e) => e.kind === 'task-start').map((e) => e.kind === 'task-start' && e.task), [2]);
  assert.deepEqual(resumed.seeds[0].accuracyMatrix, whole.seeds[0].accuracyMatrix);
  assert.deepEqual(resumed.seeds[0].capacity, whole.seeds[0].capacity);
  assert.equal(tf.memory().numTensors, numTensors);
  await fs.rm(cacheDir, { recursive: true, force: true });
});
