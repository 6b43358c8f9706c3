import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { tinyCil, tinyNet } from './fixtures';
import { topDownLifelong } from '../../src/lifelong/top-down';
import { bottomUpLifelong } from '../../src/lifelong/bottom-up';
import { captureTicket, disposeTicket, loadTicket, saveTicket } from '../../src/lifelong/ticket';
import { globalDensity, type Mask } from '../../src/pruning/mask';

const fast = { train: { epochs: 1 }, retrain: { epochs: 1 }, perExemplar: 5 };

test('top-down densities follow 0.8^(n_1+…+n_k) exactly and the ticket saves and loads bit for bit', async () => {
  await useTestBackend('wasm');
  const cil = tinyCil(0, 300);
  const net = tinyNet(1);
  const before = tf.memory().numTensors;
  const schedule = [[0.2], [0.2, 0.2], [0.2]];
  const { records, mask } = await topDownLifelong(net, cil, { seed: 3, schedule, ...fast });
  const total = globalDensity(mask).total;
  let kept = total;
  let rounds = 0;
  records.forEach((r, t) => {
    for (const p of schedule[t]) kept -= Math.round(p * kept);
    rounds += schedule[t].length;
    assert.equal(Math.round(r.density * total), kept, `task ${t + 1}`);
    assert.ok(Math.abs(r.density - 0.8 ** rounds) < 1 / total);
    assert.ok(r.standardAccuracy >= 0 && r.standardAccuracy <= 100);
  });
  assert.equal(records.length, 3);
  // Heads were added during the run: 3 tasks × 2 branches × (kernel + bias).
  assert.equal(tf.memory().numTensors, before + 12, 'no tensor leaks');

  const dir = mkdtempSync(join(tmpdir(), 'ticket-'));
  try {
    const ticket = captureTicket(net, mask, { architecture: net.architecture, task: 3, strategy: 'top-down', seed: 3, schedule });
    await saveTicket(dir, ticket);
    const back = await loadTicket(dir);
    assert.deepEqual(back.meta, ticket.meta);
    assert.deepEqual(back.mask, ticket.mask);
    for (const [name, w] of ticket.weights) assert.deepEqual(back.weights.get(name)!.dataSync(), w.dataSync(), name);
    disposeTicket(ticket);
    disposeTicket(back);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(tf.memory().numTensors, before + 12);
  net.dispose();
});

test('bottom-up keeps every old ticket weight when it re-grows and only removes re-grown ones', async () => {
  await useTestBackend('wasm');
  const cil = tinyCil(0, 300);
  const dense = tinyNet(1);
  const ticket = tinyNet(1);
  const masks: Mask[] = [];
  const { records } = await bottomUpLifelong(dense, ticket, cil, {
    seed: 5, ...fast, maxRounds: 1, acceptDecay: -1000, maxAccuracyDrop: 1000, // force re-growth, never stop early
    onTask: (_, m) => masks.push(m),
  });
  assert.equal(records.length, 3);
  const total = globalDensity(masks[0]).total;
  assert.equal(Math.round(records[0].density * total), total - Math.round(0.2 * total), 'task 1: one 20 % round');
  for (let k = 1; k < 3; k++) {
    assert.equal(records[k].regrew, true);
    for (const [n, bits] of Object.entries(masks[k - 1])) bits.forEach((b, i) => b && assert.equal(masks[k][n][i], 1, `old ticket weight ${n}[${i}] removed`));
    const oldKept = globalDensity(masks[k - 1]).kept;
    const regrown = Math.round(records[k].regrownDensity! * total) - oldKept;
    const pruned = total - oldKept;
    assert.equal(regrown, pruned - Math.round(0.2 * pruned), 're-grow keeps 80 % of the candidates');
    assert.equal(globalDensity(masks[k]).kept, oldKept + regrown - Math.round(0.2 * regrown), 'one prune of the re-grown weights only');
  }
  const w = ticket.params.get(Object.keys(masks[2])[0])!.dataSync();
  masks[2][Object.keys(masks[2])[0]].forEach((b, i) => b || assert.ok(w[i] === 0));
  dense.dispose();
  ticket.dispose();
});
