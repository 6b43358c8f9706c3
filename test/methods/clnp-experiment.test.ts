import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { useTestBackend } from '../helpers/backend';
import { resolveBenchmark } from '../../src/experiment/benchmarks';
import { runExperiment } from '../../src/experiment/run-experiment';

before(async () => {
  await useTestBackend('wasm');
});

test('benchmark options hidden (mlp widths) and nf (resnet base width) size the network, and are checked', () => {
  assert.deepEqual(resolveBenchmark('offline-permuted').network, { hidden: [100, 100] });
  assert.deepEqual(resolveBenchmark('offline-permuted', { hidden: '2000, 2000' }).network, { hidden: [2000, 2000] });
  assert.deepEqual(resolveBenchmark('five-datasets', { nf: 4 }).network, { nf: 4 });
  assert.deepEqual(resolveBenchmark('five-datasets', { architecture: 'alexnet' }).network, {}, 'nf at its default is ignored for another architecture');
  assert.throws(() => resolveBenchmark('offline-permuted', { hidden: '2000,x' }), /hidden must list positive integer widths separated by commas, e.g. "2000,2000"; got "2000,x"/);
  assert.throws(() => resolveBenchmark('five-datasets', { nf: 0 }), /nf must be a positive integer; got 0/);
  assert.throws(() => resolveBenchmark('five-datasets', { architecture: 'alexnet', nf: 8 }), /option nf sizes resnet18-reduced but the architecture is "alexnet"; drop nf or set architecture=resnet18-reduced/);
});

test('runExperiment runs clnp on offline-permuted with a wider MLP and on offline-split with LeNet, both with BWT exactly 0', async () => {
  const permutedRun = await runExperiment({
    benchmark: 'offline-permuted',
    method: 'clnp',
    seeds: [0],
    cacheDir: null,
    overrides: { numTasks: 3, trainCount: 200, testCount: 64, epochs: 1, hidden: '160,160' },
  });
  const [p] = permutedRun.seeds;
  assert.equal(p.bwt, 0);
  assert.equal(p.accuracyMatrix.length, 3);
  const first = p.taskDetails[0];
  const free = first['free/fc1'] + first['free/fc2'];
  assert.ok(free > 0 && free <= 320, `task 0 frees some of the 2 × 160 neurons (${free})`);
  assert.ok(Math.abs(first.density * 320 - (320 - free)) < 1e-6, `density ${first.density} counts 320 neurons: hidden 160,160 was built`);
  const splitRun = await runExperiment({
    benchmark: 'offline-split',
    method: 'clnp',
    seeds: [0],
    cacheDir: null,
    overrides: { numTasks: 2, trainCount: 200, testCount: 60, epochs: 1 },
  });
  const [s] = splitRun.seeds;
  assert.equal(s.bwt, 0);
  assert.equal(s.accuracyMatrix.length, 2);
  assert.ok(s.taskDetails[0]['free/conv1'] <= 20, 'LeNet conv1 has 20 filters');
});
