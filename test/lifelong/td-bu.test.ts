import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { tinyCil } from './fixtures';
import { runLifelongExperiment } from '../../src/lifelong/run-lifelong-experiment';
import { disposeTicket, loadTicket, saveTicket } from '../../src/lifelong/ticket';
import { globalDensity, type Mask } from '../../src/pruning/mask';

const fast = { train: { epochs: 1 }, retrain: { epochs: 1 }, perExemplar: 5 };
const tiny = { architecture: 'resnet18-reduced', networkOptions: { nf: 2 } } as const;
const columns = ['strategy', 'seed', 'learnedTasks', 'density', 'standardAccuracy', 'valAccuracy', 'pruneRounds'];

test('runLifelongExperiment runs top-down end to end: the table has per-task density and SA, densities follow 0.8^(n_1+…+n_k) exactly, and the ticket saves and loads bit for bit', async () => {
  await useTestBackend('wasm');
  const scenario = tinyCil(0, 300);
  const before = tf.memory().numTensors;
  const schedule = [[0.2], [0.2, 0.2], [0.2]];
  const { table, records, ticket } = await runLifelongExperiment({ strategy: 'top-down', scenario, ...tiny, seed: 3, topDown: { schedule, ...fast } });
  assert.deepEqual(table.columnNames(), columns);
  assert.equal(table.numRows(), 3);
  assert.deepEqual(table.array('learnedTasks'), [1, 2, 3]);
  assert.deepEqual(table.array('density'), records.map((r) => r.density));
  const sa = table.array('standardAccuracy') as number[];
  sa.forEach((a) => assert.ok(a >= 0 && a <= 100, `SA ${a}`));
  const total = globalDensity(ticket.mask).total;
  let kept = total;
  let rounds = 0;
  records.forEach((r, t) => {
    for (const p of schedule[t]) kept -= Math.round(p * kept);
    rounds += schedule[t].length;
    assert.equal(Math.round(r.density * total), kept, `task ${t + 1}`);
    assert.ok(Math.abs(r.density - 0.8 ** rounds) < 1 / total);
    if (t > 0) assert.ok(r.density < records[t - 1].density, 'densities decrease');
  });
  assert.equal(ticket.meta.density, records[2].density);

  const dir = mkdtempSync(join(tmpdir(), 'ticket-'));
  try {
    await saveTicket(dir, ticket);
    const back = await loadTicket(dir);
    assert.deepEqual(back.meta, ticket.meta);
    assert.deepEqual(back.mask, ticket.mask);
    for (const [name, w] of ticket.weights) assert.deepEqual(back.weights.get(name)!.dataSync(), w.dataSync(), name);
    disposeTicket(back);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  disposeTicket(ticket);
  assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
});

test('runLifelongExperiment runs bottom-up end to end: task 1 stops by its rule, re-growth keeps every old ticket weight and only re-grown ones are pruned', async () => {
  await useTestBackend('wasm');
  const scenario = tinyCil(0, 300);
  const masks: Mask[] = [];
  const maxRounds = 1;
  const { table, records, ticket } = await runLifelongExperiment({
    strategy: 'bottom-up', scenario, ...tiny, seed: 5,
    bottomUp: { ...fast, maxRounds, acceptDecay: -1000, maxAccuracyDrop: 1000 }, // force re-growth, never stop early
    onTask: (_, m) => masks.push(m),
  });
  assert.deepEqual(table.columnNames(), columns);
  assert.deepEqual(table.array('strategy'), ['bottom-up', 'bottom-up', 'bottom-up']);
  assert.deepEqual(table.array('density'), records.map((r) => r.density));
  const total = globalDensity(masks[0]).total;
  // Stopping rule: the cap binds (R rounds, density 0.8^R) or the next prune would pass minSparsity.
  const r1 = records[0].pruneRounds;
  assert.ok(r1 === maxRounds || 1 - 0.8 ** (r1 + 1) >= 0.9);
  assert.ok(records[0].density <= 0.8 ** r1 + 1 / total);
  assert.equal(Math.round(records[0].density * total), total - Math.round(0.2 * total), 'task 1: one 20 % round');
  for (let k = 1; k < 3; k++) {
    assert.equal(records[k].regrew, true);
    assert.ok(records[k].density >= records[k - 1].density, 'BU density never falls');
    for (const [n, bits] of Object.entries(masks[k - 1])) bits.forEach((b, i) => b && assert.equal(masks[k][n][i], 1, `old ticket weight ${n}[${i}] removed`));
    const oldKept = globalDensity(masks[k - 1]).kept;
    const regrown = Math.round(records[k].regrownDensity! * total) - oldKept;
    const pruned = total - oldKept;
    assert.equal(regrown, pruned - Math.round(0.2 * pruned), 're-grow keeps 80 % of the candidates');
    assert.equal(globalDensity(masks[k]).kept, oldKept + regrown - Math.round(0.2 * regrown), 'one prune of the re-grown weights only');
  }
  assert.deepEqual(ticket.mask, masks[2]);
  const [first] = Object.keys(masks[2]);
  const w = ticket.weights.get(first)!.dataSync();
  masks[2][first].forEach((b, i) => b || assert.ok(w[i] === 0));
  disposeTicket(ticket);
});
