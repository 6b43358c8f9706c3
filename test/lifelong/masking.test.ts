import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { tinyCil, tinyNet } from './fixtures';
import { trainCilTask } from '../../src/lifelong/cil-train';
import { initialMask, pruneNetwork, rewindSurvivors } from '../../src/lifelong/imp';
import { globalDensity, layerDensities } from '../../src/pruning/mask';
import { disposeSnapshot, takeSnapshot } from '../../src/train/snapshot';

test('pruned weights stay exactly zero through retraining with momentum and weight decay; rewinding restores θ(0) exactly', async () => {
  await useTestBackend('wasm');
  const cil = tinyCil(0);
  const net = tinyNet(1);
  net.addHead(2);
  const before = tf.memory().numTensors;
  const theta0 = takeSnapshot(net.params);
  let mask = initialMask(net);
  mask = pruneNetwork(net, mask, { pruneFractionOfRemaining: 0.5 });
  const total = globalDensity(mask).total;
  assert.equal(globalDensity(mask).kept, total - Math.round(0.5 * total));
  const result = await trainCilTask(net, cil, 0, { seed: 2, mask, captureAtStep: 1 }, { epochs: 1, learningRate: 0.1, select: 'last' });
  let moved = 0;
  for (const [name, bits] of Object.entries(mask)) {
    const w = net.params.get(name)!.dataSync();
    const w0 = theta0.get(name)!.dataSync();
    const wk = result.captured!.get(name)!.dataSync();
    for (let i = 0; i < bits.length; i++) {
      if (!bits[i]) {
        assert.ok(w[i] === 0 && wk[i] === 0, `${name}[${i}] regrew to ${w[i]}`); // ±0 both count as zero
      } else if (w[i] !== w0[i]) moved++;
    }
  }
  assert.ok(moved > 0.9 * globalDensity(mask).kept, 'kept weights train');
  // θ(1) is a real intermediate point: it differs from θ(0).
  const name = Object.keys(mask)[0];
  assert.notDeepEqual(Array.from(result.captured!.get(name)!.dataSync()), Array.from(theta0.get(name)!.dataSync()));
  rewindSurvivors(net, mask, { to: 'init', weights: theta0 });
  for (const [n, bits] of Object.entries(mask)) {
    const w = net.params.get(n)!.dataSync();
    const w0 = theta0.get(n)!.dataSync();
    for (let i = 0; i < bits.length; i++) assert.ok(bits[i] ? w[i] === w0[i] : w[i] === 0, `${n}[${i}]`);
  }
  disposeSnapshot(result.captured!);
  disposeSnapshot(theta0);
  assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
  net.dispose();
});

test('random, per-layer and candidate-restricted pruning remove exact counts from the right places', async () => {
  await useTestBackend('wasm');
  const net = tinyNet(3);
  const full = initialMask(net);
  const perLayer = pruneNetwork(net, full, { scope: 'per-layer', pruneFractionOfRemaining: 0.2 });
  for (const [n, c] of Object.entries(layerDensities(perLayer))) assert.equal(c.kept, full[n].length - Math.round(0.2 * full[n].length), n);
  const random = pruneNetwork(net, perLayer, { criterion: 'random', seed: 4, pruneFractionOfRemaining: 0.5 });
  const kept = globalDensity(perLayer).kept;
  assert.equal(globalDensity(random).kept, kept - Math.round(0.5 * kept));
  // Candidates = the first layer only: every other layer is untouched.
  const [first] = Object.keys(full);
  const candidates = Object.fromEntries(Object.entries(random).map(([n, b]) => [n, n === first ? b : new Uint8Array(b.length)]));
  const only = pruneNetwork(net, random, { candidates, pruneFractionOfRemaining: 0.5 });
  for (const n of Object.keys(full)) {
    if (n === first) assert.ok(globalDensity(only, [n]).kept < globalDensity(random, [n]).kept);
    else assert.deepEqual(only[n], random[n]);
  }
  assert.throws(() => pruneNetwork(net, full, { criterion: 'random' }), /seed/);
  assert.throws(() => pruneNetwork(net, full, { pruneFractionOfRemaining: 1.5 }), /pruneFractionOfRemaining/);
  net.dispose();
});
