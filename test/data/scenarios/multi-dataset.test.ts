import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fiveDatasets, multiDataset } from '../../../src/data/scenarios/multi-dataset';
import { renderRows } from '../../../src/data/render-rows';
import { normalizations } from '../../../src/data/normalizations';
import { tinySplits } from '../tiny-data';

const rgb = (name: string) => tinySplits(40, 10, 10, { size: 8, channels: 3, name });
const grey = (name: string) => tinySplits(40, 10, 10, { size: 4, channels: 1, name });

test('5-Datasets: fixed order, padding 2 for small grey sets, per-dataset statistics, 3 channels', () => {
  const s = fiveDatasets({ cifar10: rgb('cifar10'), mnist: grey('mnist'), svhn: rgb('svhn'), fashionMnist: grey('fmnist'), notMnist: grey('notmnist') });
  assert.deepEqual(s.tasks.map((t) => t.name), ['cifar10', 'mnist', 'svhn', 'fashion-mnist', 'notmnist']);
  assert.deepEqual(s.inputShape, [8, 8, 3]);
  assert.deepEqual(s.tasks.map((t) => t.transform.pad ?? 0), [0, 2, 0, 2, 2]);
  assert.equal(s.tasks[1].transform.normalization, normalizations['mnist-5datasets']);
  assert.equal(s.tasks[2].transform.normalization, normalizations['svhn-5datasets']);
  for (const t of s.tasks) {
    assert.equal(t.headWidth, 10);
    assert.deepEqual([t.train.count, t.val.count, t.test.count], [38, 2, 10]); // 5 % random validation
  }
  // A padded MNIST row: border = normalised zero, centre = the stored pixel, same in all channels.
  const x = renderRows(s.tasks[1].test, s.tasks[1].transform, [0]);
  const z = (0 - 0.1) / 0.2752;
  assert.ok(Math.abs(x[0] - z) < 1e-6);
  const centre = ((2 * 8 + 2) * 3);
  const v = (s.tasks[1].test.source.images[s.tasks[1].test.indices[0] * 16] / 255 - 0.1) / 0.2752;
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(x[centre + c] - v) < 1e-6);
});

test('sizes that cannot be padded evenly are rejected', () => {
  const odd = tinySplits(10, 5, 10, { size: 5, name: 'odd' });
  assert.throws(() => multiDataset([{ data: rgb('a'), normalization: 'cifar10-5datasets' }, { data: odd, normalization: 'mnist' }]), /"odd" is 5x5; the common size 8x8 needs equal, even padding/);
});
