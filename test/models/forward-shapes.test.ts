import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { createNetwork, type ArchitectureName } from '../../src/models';
import { InvalidArgumentError, ShapeMismatchError, UnknownNameError } from '../../src/errors';
import { useTestBackend } from '../helpers/backend';

// Forward passes only (no gradients), so the fast wasm backend serves.
const cases: { name: ArchitectureName; features: number; activations: string[] }[] = [
  { name: 'mlp', features: 100, activations: ['fc1', 'fc2'] },
  { name: 'alexnet', features: 2048, activations: ['conv1', 'conv2', 'conv3', 'fc1', 'fc2'] },
  { name: 'lenet', features: 500, activations: ['conv1', 'conv2', 'fc1', 'fc2'] },
  { name: 'lenet-large', features: 1500, activations: ['conv1', 'conv2', 'fc1', 'fc2'] },
  { name: 'tinynet', features: 640, activations: ['conv1', 'conv2', 'conv3', 'conv4', 'fc1', 'fc2'] },
  { name: 'resnet18-reduced', features: 640, activations: ['conv1', 'layer1.0.conv1', 'layer1.0', 'layer4.1'] },
  { name: 'preact-resnet18', features: 512, activations: ['layer1.0.bn1', 'layer1.0.bn2', 'layer4.1.bn2'] },
];

describe('forward shapes', () => {
  before(() => useTestBackend('wasm'));

  for (const { name, features, activations } of cases) {
    it(`${name} maps a batch of 2 to features and per-task logits`, () => {
      const net = createNetwork(name, { seed: 5, heads: [3, 4] });
      const start = tf.memory().numTensors;
      try {
        const [h, w, c] = net.inputShape;
        tf.tidy(() => {
          const x = tf.randomUniform([2, h, w, c], 0, 1, 'float32', 1) as tf.Tensor4D;
          const seen = new Map<string, number[]>();
          const f = net.features(x, { training: true, dropoutSeed: 9, onActivation: (l, a) => seen.set(l, a.shape) });
          assert.deepEqual(f.shape, [2, features]);
          assert.equal(net.featureSize, features);
          for (const layer of activations) assert.ok(seen.has(layer), `${layer} reported; got ${[...seen.keys()]}`);
          assert.deepEqual(net.logits(x, 0, { training: false }).shape, [2, 3]);
          assert.deepEqual(net.logits(x, 1, { training: false }).shape, [2, 4]);
          assert.deepEqual(net.logits(x, 1, { training: false, concatUpTo: true }).shape, [2, 7]);
          assert.ok(f.dataSync().every(Number.isFinite));
        });
        assert.equal(tf.memory().numTensors, start);
      } finally {
        net.dispose();
      }
    });
  }

  it('alexnet and lenet report the paper spatial sizes', () => {
    for (const [name, sizes] of [['alexnet', { conv1: 29, conv2: 12, conv3: 5 }], ['lenet', { conv1: 32, conv2: 16 }], ['tinynet', { conv1: 32, conv4: 4 }]] as const) {
      const net = createNetwork(name, { seed: 1 });
      const [h, w, c] = net.inputShape;
      const seen: Record<string, number> = {};
      tf.tidy(() => net.features(tf.zeros([2, h, w, c]) as tf.Tensor4D, { training: false, onActivation: (l, a) => (seen[l] = a.shape[1]!) }));
      for (const [layer, size] of Object.entries(sizes)) assert.equal(seen[layer], size, `${name} ${layer}`);
      net.dispose();
    }
  });

  it('a training pass of preact-resnet18 moves its running averages; updateNormStats false and eval do not', () => {
    const net = createNetwork('preact-resnet18', { seed: 2, heads: [2] });
    const mean = net.state.get('layer1.0.bn1/movingMean')!;
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    tf.tidy(() => net.features(x, { training: false }));
    tf.tidy(() => net.features(x, { training: true, updateNormStats: false }));
    assert.ok(mean.dataSync().every((v) => v === 0));
    tf.tidy(() => net.features(x, { training: true }));
    assert.ok(mean.dataSync().some((v) => v !== 0));
    net.dispose();
  });

  it('addHead grows every branch and concatUpTo concatenates heads 0..task', () => {
    const net = createNetwork('mlp', { seed: 1, heads: [2], branches: ['main', 'random'] });
    assert.equal(net.addHead(5), 1);
    assert.deepEqual(net.headWidths, [2, 5]);
    tf.tidy(() => {
      const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
      const all = net.logits(x, 1, { training: false, branch: 'random', concatUpTo: true });
      assert.deepEqual(all.shape, [3, 7]);
      const first = net.logits(x, 0, { training: false, branch: 'random' });
      const second = net.logits(x, 1, { training: false, branch: 'random' });
      assert.deepEqual(all.arraySync(), tf.concat([first, second], 1).arraySync());
      const main = net.logits(x, 1, { training: false });
      assert.notDeepEqual(main.arraySync(), second.arraySync());
    });
    net.dispose();
  });

  it('bad inputs fail with messages that say what to do', () => {
    const net = createNetwork('alexnet', { seed: 1, heads: [10] });
    assert.throws(() => net.features(tf.zeros([2, 28, 28, 3]) as tf.Tensor4D, { training: false }), ShapeMismatchError);
    assert.throws(() => net.logits(tf.zeros([2, 32, 32, 3]) as tf.Tensor4D, 1, { training: false }), InvalidArgumentError);
    assert.throws(() => net.logits(tf.zeros([2, 32, 32, 3]) as tf.Tensor4D, 0, { training: false, branch: 'random' }), UnknownNameError);
    assert.throws(() => net.features(tf.zeros([2, 32, 32, 3]) as tf.Tensor4D, { training: true }), /dropoutSeed/);
    assert.throws(() => net.addHead(0), InvalidArgumentError);
    net.dispose();
    assert.throws(() => createNetwork('mlp', { seed: -1 }), InvalidArgumentError);
    assert.throws(() => createNetwork('mlp', { seed: 1, branches: ['main', 'main'] }), InvalidArgumentError);
  });
});
