import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { batches } from '../../src/data/batches';
import { offlineGrey } from '../../src/data/offline/offline-grey';
import { classSplit } from '../../src/data/scenarios/class-split';
import { permuted } from '../../src/data/scenarios/permuted';
import { taskSplit } from '../../src/data/scenarios/task-split';
import type { Scenario } from '../../src/data/types';
import { InvalidArgumentError } from '../../src/errors';
import { createNetwork } from '../../src/models/architectures';
import { clnp, type ClnpLearner } from '../../src/methods/clnp';
import { gracefulThreshold, thresholdCandidates } from '../../src/methods/graceful-threshold';
import { neuronActivity } from '../../src/methods/neuron-activity';
import { _pruneHook } from '../../src/methods/neuron-bookkeeping';
import { neuronLayers } from '../../src/methods/neuron-layers';
import { trainOnTask } from '../../src/methods/train-on-task';
import type { LearnerSetup, TrainingSettings } from '../../src/methods/types';
import { evaluate } from '../../src/train/evaluate';

const training: TrainingSettings = { epochs: 2, batchSize: 32, testBatchSize: 64, learningRate: 1e-3, lrMin: 1e-6, patience: 6, augment: false };
let scenario: Scenario;
const setupOf = (extra: Partial<LearnerSetup> = {}): LearnerSetup => ({ scenario, architecture: 'mlp', training, seed: 3, ...extra });

function paramsEqual(a: ClnpLearner, b: ClnpLearner): void {
  for (const [name, v] of a.network.params) {
    assert.deepEqual(Array.from(b.network.params.get(name)!.dataSync()), Array.from(v.dataSync()), name);
  }
}

before(async () => {
  await useTestBackend('wasm');
  scenario = permuted(offlineGrey({ seed: 1, trainCount: 400, testCount: 100 }), { numTasks: 3, seed: 2 });
});

test('bad options are refused with what to do', () => {
  assert.throws(() => clnp.resolveOptions({ marginPoints: -1 }), (e: unknown) => {
    assert.ok(e instanceof InvalidArgumentError);
    assert.match((e as Error).message, /clnp: marginPoints must be in \[0, 100\]; got -1\. The margin is/);
    return true;
  });
  assert.throws(() => clnp.resolveOptions({ l1Strength: -1e-5 }), /l1Strength must be in \[0, ∞\).*Use 0/);
  assert.throws(() => clnp.resolveOptions({ margin: 1 } as never), /unknown option "margin". Known options: l1Strength, marginPoints/);
  assert.deepEqual(clnp.resolveOptions(), { l1Strength: 1e-5, marginPoints: 1 });
  const cil = classSplit(offlineGrey({ seed: 1, trainCount: 100, testCount: 20 }), { numTasks: 2 });
  assert.throws(() => clnp.create(setupOf({ scenario: cil }), clnp.defaults), /supports task-il only/);
  const rgb = { ...scenario, inputShape: [32, 32, 3] as const };
  assert.throws(
    () => clnp.create(setupOf({ scenario: rgb, architecture: 'preact-resnet18' }), clnp.defaults),
    /"preact-resnet18" is neither a plain chain.*Use one of: alexnet, lenet, lenet-large, mlp, tinynet, resnet18-reduced/,
  );
});

test('tasks must come in order and predict only answers learned tasks', async () => {
  const learner = clnp.create(setupOf(), clnp.defaults) as ClnpLearner;
  try {
    assert.throws(() => learner.predict(tf.zeros([1, 28, 28, 1]) as tf.Tensor4D, 0), /no task learned yet; call learnTask first/);
    await assert.rejects(learner.learnTask(scenario.tasks[1], { seed: 1 }), /expected task 0, got 1/);
  } finally {
    learner.dispose();
  }
});

test('getState/setState round trip: same outputs, and both learners continue identically', async () => {
  const a = clnp.create(setupOf(), clnp.defaults) as ClnpLearner;
  const b = clnp.create(setupOf(), clnp.defaults) as ClnpLearner;
  try {
    await a.learnTask(scenario.tasks[0], { seed: 5 });
    // b is untrained: only the restored state can make it match and continue like a.
    assert.notDeepEqual(Array.from(b.network.params.get('fc1/kernel')!.dataSync()), Array.from(a.network.params.get('fc1/kernel')!.dataSync()));
    const state = a.getState();
    b.setState(state);
    tf.dispose([...state.tensors.values()]);
    paramsEqual(a, b);
    assert.deepEqual(b.neuronRows(), a.neuronRows());
    assert.deepEqual(b.capacity(), a.capacity());
    const sa = await a.learnTask(scenario.tasks[1], { seed: 6 });
    const sb = await b.learnTask(scenario.tasks[1], { seed: 6 });
    assert.deepEqual(sb.details, sa.details);
    paramsEqual(a, b);
    assert.throws(() => b.setState({ json: { method: 'wsn' }, tensors: new Map() }), /not saved by clnp/);
  } finally {
    a.dispose();
    b.dispose();
  }
});

test('a layer without free neurons warns what to do, and old tasks stay intact', async () => {
  const learner = clnp.create(setupOf(), clnp.defaults) as ClnpLearner;
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(w.message);
  process.on('warning', onWarning);
  try {
    await learner.learnTask(scenario.tasks[0], { seed: 5 });
    const [batch] = [...batches(scenario.tasks[0].test, scenario.tasks[0].transform, { batchSize: 100 })];
    const before0 = learner.predict(batch.x, 0);
    // Mark every neuron active: task 1 can only train its head on frozen features.
    const state = learner.getState();
    const json = state.json as { active: number[][] };
    learner.setState({ json: { ...json, active: json.active.map((a) => a.map(() => 1)) }, tensors: state.tensors });
    tf.dispose([...state.tensors.values()]);
    const summary = await learner.learnTask(scenario.tasks[1], { seed: 6 });
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    assert.equal(summary.details!['free/fc1'], 0);
    assert.equal(summary.details!.prunedNeurons, 0);
    assert.ok(warnings.some((m) => /layer "fc1" has no free neurons left after task 1 with 1 task\(s\) to go.*Widen the layer/.test(m)), warnings.join('\n'));
    const after0 = learner.predict(batch.x, 0);
    assert.deepEqual(Array.from(after0.dataSync()), Array.from(before0.dataSync()));
    tf.dispose([before0, after0, batch.x, batch.y]);
  } finally {
    process.off('warning', onWarning);
    learner.dispose();
  }
});

test('on a small trained net the θ bisection finds the largest θ within the margin, as an exhaustive search does', async () => {
  // Two-class task, 8-6 MLP: 9 distinct activity values. Its accuracy profile over the
  // candidates is monotone (checked below), the precondition the bisection documents.
  const data = offlineGrey({ seed: 1, trainCount: 1000, testCount: 100 });
  const task = taskSplit(data, { numTasks: 5, validation: { kind: 'random-fraction', fraction: 0.2 }, seed: 2 }).tasks[0];
  const net = createNetwork('mlp', { seed: 4, heads: [2], hidden: [8, 6], inputShape: [28, 28, 1] });
  try {
    await trainOnTask({ network: net, task, training: { ...training, epochs: 3, learningRate: 3e-3 }, context: { seed: 1 } });
    const layers = neuronLayers(net);
    const activity = await neuronActivity(net, task, { layers: layers.map((l) => l.layer) });
    const scores = layers.map((l) => activity.get(l.layer)!);
    const accuracyAt = async (theta: number): Promise<number> => {
      const hook = _pruneHook(layers, scores.map((s) => Uint8Array.from(s, (a) => (a < theta ? 1 : 0))));
      try {
        return (await evaluate(net, 0, (bs) => batches(task.val, task.transform, { batchSize: bs }), { weight: hook.weight })).accuracy;
      } finally {
        hook.dispose();
      }
    };
    const all = scores.flatMap((s) => Array.from(s));
    const thetas = thresholdCandidates(all);
    const profile: number[] = [];
    for (const theta of thetas) profile.push(await accuracyAt(theta));
    const shown = profile.map((p) => p.toFixed(1)).join(' ');
    assert.ok(profile.every((p, i) => i === 0 || p <= profile[i - 1]), `monotone profile expected: ${shown}`);
    const found = new Set<number>();
    for (const margin of [0, 5, 10, 25]) {
      const choice = await gracefulThreshold(all, accuracyAt, { marginPoints: margin });
      let k = 0;
      profile.forEach((acc, i) => {
        if (acc >= profile[0] - margin) k = i;
      });
      assert.equal(choice.theta, thetas[k], `margin ${margin}: profile ${shown}`);
      assert.equal(choice.accuracy, profile[k]);
      assert.ok(choice.evaluations <= 2 + Math.ceil(Math.log2(thetas.length)));
      found.add(k);
    }
    assert.ok(found.size >= 2, `the margins should pick different thresholds: ${shown}`);
  } finally {
    net.dispose();
  }
});

test('conv filters are neurons: on LeNet old-task outputs stay bit-identical and filters freeze', async () => {
  const grey32 = offlineGrey({ seed: 1, trainCount: 120, testCount: 40, size: 32 });
  const small = permuted(grey32, { numTasks: 2, seed: 2 });
  const learner = clnp.create(
    { scenario: small, architecture: 'lenet', training: { ...training, epochs: 1 }, seed: 3 },
    clnp.resolveOptions({ marginPoints: 5 }),
  ) as ClnpLearner;
  try {
    await learner.learnTask(small.tasks[0], { seed: 5 });
    const [batch] = [...batches(small.tasks[0].test, small.tasks[0].transform, { batchSize: 40 })];
    const before0 = learner.predict(batch.x, 0);
    const conv2 = Float32Array.from(learner.network.params.get('conv2/kernel')!.dataSync()); // [5,5,20,50]
    const active = learner.neuronRows().find((r) => r.layer === 'conv2')!.active;
    await learner.learnTask(small.tasks[1], { seed: 6 });
    const after0 = learner.predict(batch.x, 0);
    assert.deepEqual(Array.from(after0.dataSync()), Array.from(before0.dataSync()));
    const now = learner.network.params.get('conv2/kernel')!.dataSync();
    let unchangedFilters = 0;
    for (let f = 0; f < 50; f++) {
      let same = true;
      for (let i = f; i < now.length && same; i += 50) same = now[i] === conv2[i];
      if (same) unchangedFilters++;
    }
    assert.equal(unchangedFilters, active, 'exactly the active conv2 filters kept their weights');
    assert.deepEqual(learner.neuronRows().map((r) => r.layer), ['conv1', 'conv2', 'fc1', 'fc2', 'conv1', 'conv2', 'fc1', 'fc2']);
    tf.dispose([before0, after0, batch.x, batch.y]);
  } finally {
    learner.dispose();
  }
});
