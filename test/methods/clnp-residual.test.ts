import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { batches } from '../../src/data/batches';
import { offlineRgb } from '../../src/data/offline/offline-rgb';
import { taskSplit } from '../../src/data/scenarios/task-split';
import { createNetwork } from '../../src/models/architectures';
import { clnp, type ClnpLearner } from '../../src/methods/clnp';
import { neuronLayers } from '../../src/methods/neuron-layers';
import type { TrainingSettings } from '../../src/methods/types';

const training: TrainingSettings = { epochs: 4, batchSize: 16, testBatchSize: 32, learningRate: 1e-2, lrMin: 1e-6, patience: 6, augment: false };

before(async () => {
  await useTestBackend('wasm');
});

test('resnet18-reduced: identity shortcuts tie channels into groups, 1×1 shortcuts start new ones, inner convs stand alone', () => {
  const net = createNetwork('resnet18-reduced', { seed: 0, nf: 2, heads: [2] });
  try {
    const layers = neuronLayers(net);
    const groupOf = (name: string): string => layers[layers[layers.findIndex((l) => l.layer === name)].group].layer;
    for (const name of ['conv1', 'layer1.0.conv2', 'layer1.1.conv2']) assert.equal(groupOf(name), 'conv1', name);
    for (const s of [2, 3, 4]) {
      for (const name of [`layer${s}.0.conv2`, `layer${s}.0.shortcut`, `layer${s}.1.conv2`]) assert.equal(groupOf(name), `layer${s}.0.conv2`, name);
      for (const b of [0, 1]) assert.equal(groupOf(`layer${s}.${b}.conv1`), `layer${s}.${b}.conv1`);
    }
    const byName = new Map(layers.map((l) => [l.layer, l]));
    assert.equal(layers[byName.get('layer2.0.shortcut')!.below].layer, 'layer1.1.conv2', 'the shortcut reads the block input');
    assert.equal(layers[byName.get('layer2.0.conv2')!.below].layer, 'layer2.0.conv1');
    assert.equal(byName.get('layer2.0.shortcut')!.activation, 'layer2.0');
    assert.equal(byName.get('layer2.0.conv1')!.activation, 'layer2.0.conv1');
  } finally {
    net.dispose();
  }
});

test('CLNP on a tiny resnet18-reduced: old-task logits stay bit-identical after the next task, tied channels freeze together', async () => {
  const data = offlineRgb({ seed: 1, trainCount: 240, testCount: 40, numSuperclasses: 2, classesPerSuperclass: 2 });
  const scenario = taskSplit(data, { numTasks: 2, labels: 'local', seed: 2, validation: { kind: 'random-fraction', fraction: 0.25 } });
  const learner = clnp.create(
    { scenario, architecture: 'resnet18-reduced', network: { nf: 3 }, training, seed: 3 },
    clnp.resolveOptions({ marginPoints: 5 }),
  ) as ClnpLearner;
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(w.message);
  process.on('warning', onWarning);
  try {
    const first = await learner.learnTask(scenario.tasks[0], { seed: 5 });
    const density = first.details!.density;
    assert.ok(density > 0 && density < 1, `task 0 should keep some neurons and free others (density ${density})`);
    const [batch] = [...batches(scenario.tasks[0].test, scenario.tasks[0].transform, { batchSize: 32 })];
    const before0 = Array.from(learner.predict(batch.x, 0).dataSync());
    const state0 = learner.getState();
    tf.dispose([...state0.tensors.values()]);
    const active0 = (state0.json as { active: number[][] }).active;
    const params0 = new Map([...learner.network.params].map(([n, v]) => [n, Float32Array.from(v.dataSync())]));
    await learner.learnTask(scenario.tasks[1], { seed: 6 });
    const after0 = learner.predict(batch.x, 0);
    assert.deepEqual(Array.from(after0.dataSync()), before0, 'task 0 logits are bit-identical after task 1');
    tf.dispose([after0, batch.x, batch.y]);
    const rows = learner.neuronRows().filter((r) => r.task === 0);
    assert.deepEqual(rows.map((r) => r.layer).slice(0, 5), ['conv1', 'layer1.0.conv1', 'layer1.1.conv1', 'layer2.0.conv1', 'layer2.0.conv2'], 'one row per neuron set');
    assert.equal(rows.length, 1 + 8 + 3, 'stem group, eight inner convs, three stage groups');
    // Channel c of every layer in a tied group has one status, and keeps its incoming weights when active.
    const layers = neuronLayers(learner.network);
    const stemGroup = layers.flatMap((l, i) => (l.group === 0 ? [i] : []));
    assert.deepEqual(stemGroup.map((i) => layers[i].layer), ['conv1', 'layer1.0.conv2', 'layer1.1.conv2']);
    let frozen = 0;
    layers.forEach((l, i) => {
      assert.deepEqual(active0[i], active0[l.group], `${l.layer} shares its group's status`);
      const was = params0.get(l.kernel.name)!;
      const now = learner.network.params.get(l.kernel.name)!.dataSync();
      for (let e = 0; e < was.length; e++) {
        if (active0[i][e % l.neurons] !== 1) continue;
        assert.equal(now[e], was[e], `${l.layer} entry ${e} into an active channel is frozen`);
        frozen++;
      }
    });
    assert.ok(frozen > 0, 'task 0 kept some neurons');
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    assert.ok(!warnings.some((m) => /should agree exactly/.test(m)), 'pruning hook and consolidation agree: ' + warnings.join('\n'));
  } finally {
    process.off('warning', onWarning);
    learner.dispose();
  }
});
