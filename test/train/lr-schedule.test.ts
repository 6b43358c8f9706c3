import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { constantSchedule, plateauSchedule, stepSchedule } from '../../src/train/lr-schedule';
import { disposeSnapshot, restoreSnapshot, takeSnapshot } from '../../src/train/snapshot';
import { InvalidArgumentError } from '../../src/errors';

test('step schedule multiplies by gamma at epochs 60 and 80', () => {
  const s = stepSchedule({ initial: 0.01, milestones: [60, 80], gamma: 0.1 });
  const lrs: number[] = [];
  for (let e = 0; e < 100; e++) {
    lrs.push(s.learningRate);
    s.endEpoch(e);
  }
  assert.equal(lrs[0], 0.01);
  assert.equal(lrs[59], 0.01);
  assert.ok(Math.abs(lrs[60] - 0.001) < 1e-12 && Math.abs(lrs[79] - 0.001) < 1e-12);
  assert.ok(Math.abs(lrs[80] - 0.0001) < 1e-12 && Math.abs(lrs[99] - 0.0001) < 1e-12);
  assert.throws(() => stepSchedule({ initial: 0.01, milestones: [80, 60] }), InvalidArgumentError);
});

test('constant schedule never changes or stops', () => {
  const s = constantSchedule(0.5);
  assert.deepEqual(s.endEpoch(0), { learningRate: 0.5, stop: false });
});

test('plateau rule halves the lr after 6 epochs without improvement and stops below lrMin', () => {
  const s = plateauSchedule({ initial: 1e-3, lrMin: 2e-4 });
  const losses = [1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.8];
  const decisions = losses.map((loss, e) => s.endEpoch(e, { loss, accuracy: 0 }));
  // improvement at 0, 1; six misses at 2..7 → lr 5e-4 after epoch 7; improvement at 8
  assert.deepEqual(decisions.slice(0, 7).map((d) => d.learningRate), Array(7).fill(1e-3));
  assert.equal(decisions[7].learningRate, 5e-4);
  assert.equal(decisions[7].stop, false);
  assert.equal(s.getState().patienceLeft, 6);
  // six more misses: 2.5e-4 (still ≥ lrMin), six more: 1.25e-4 < lrMin → stop
  const more = Array.from({ length: 12 }, (_, i) => s.endEpoch(9 + i, { loss: 0.85, accuracy: 0 }));
  assert.equal(more[5].learningRate, 2.5e-4);
  assert.equal(more[5].stop, false);
  assert.equal(more[11].stop, true);
  assert.equal(more.filter((d) => d.stop).length, 1);
  assert.throws(() => s.endEpoch(30), /without a validation loss/);
});

test('plateau state round-trips through JSON', () => {
  const a = plateauSchedule({ initial: 1e-3, lrMin: 1e-6, patience: 2 });
  [1, 2, 3, 0.5, 0.7].forEach((loss, e) => a.endEpoch(e, { loss, accuracy: 0 }));
  const b = plateauSchedule({ initial: 1e-3, lrMin: 1e-6, patience: 2 });
  b.setState(JSON.parse(JSON.stringify(a.getState())));
  for (let e = 5; e < 12; e++) assert.deepEqual(b.endEpoch(e, { loss: 0.6, accuracy: 0 }), a.endEpoch(e, { loss: 0.6, accuracy: 0 }));
});

test('a snapshot is restored exactly after further changes', async () => {
  await useTestBackend('cpu');
  const v = tf.variable(tf.tensor([0.1, 0.2, 0.3]));
  const vars = new Map([['w', v]]);
  const snap = takeSnapshot(vars);
  const before = v.dataSync().slice();
  v.assign(tf.tidy(() => tf.mul(v, 3)));
  restoreSnapshot(vars, snap);
  assert.deepEqual(v.dataSync(), before);
  disposeSnapshot(snap);
  assert.deepEqual(v.dataSync(), before, 'the variable survives disposing the snapshot');
  assert.throws(() => restoreSnapshot(new Map(), takeSnapshot(vars)), /no variable has that name/);
  v.dispose();
});
