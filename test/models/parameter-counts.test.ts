import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { architectures, countParameters, createNetwork, type ArchitectureName } from '../../src/models';
import { UnknownNameError } from '../../src/errors';
import { useTestBackend } from '../helpers/backend';

const expected: Record<ArchitectureName, number> = {
  mlp: 88_400,
  alexnet: 6_499_328,
  'resnet18-reduced': 1_090_140,
  lenet: 2_986_500,
  'lenet-large': 24_436_400,
  tinynet: 2_743_520,
  'preact-resnet18': 11_159_232,
};

describe('parameter counts', () => {
  before(() => useTestBackend('cpu'));

  for (const name of Object.keys(expected) as ArchitectureName[]) {
    it(`${name} has the paper's ${expected[name]} maskable weights`, () => {
      const net = createNetwork(name, { seed: 3 });
      try {
        assert.equal(countParameters(net), expected[name]);
        for (const info of net.paramInfo) {
          assert.equal(info.maskable, info.kind === 'conv' || info.kind === 'dense', info.name);
          assert.equal(net.params.get(info.name)!.shape.join(','), info.shape.join(','));
        }
      } finally {
        net.dispose();
      }
    });
  }

  it('the registry lists every architecture, frozen', () => {
    assert.deepEqual(Object.keys(architectures).sort(), Object.keys(expected).sort());
    assert.ok(Object.isFrozen(architectures));
    assert.throws(() => createNetwork('alexnett' as ArchitectureName, { seed: 1 }), UnknownNameError);
  });

  it('WSN networks are bias-free, heads included', () => {
    for (const name of ['mlp', 'alexnet', 'resnet18-reduced', 'lenet', 'tinynet'] as const) {
      const net = createNetwork(name, { seed: 1, heads: [10, 10] });
      assert.ok(net.paramInfo.every((p) => p.role === 'kernel'), name);
      assert.equal(net.state.size, 0);
      assert.equal(net.paramInfo.filter((p) => p.kind === 'head').length, 2);
      net.dispose();
    }
  });

  it('preact-resnet18 has affine BN with running state and two branches of heads with bias', () => {
    const net = createNetwork('preact-resnet18', { seed: 1, heads: [2, 2] });
    try {
      assert.deepEqual(net.branches, ['main', 'random']);
      const heads = net.paramInfo.filter((p) => p.kind === 'head');
      assert.deepEqual(
        heads.map((p) => p.name),
        ['head/main/0/kernel', 'head/main/0/bias', 'head/random/0/kernel', 'head/random/0/bias',
          'head/main/1/kernel', 'head/main/1/bias', 'head/random/1/kernel', 'head/random/1/bias'],
      );
      const norms = net.paramInfo.filter((p) => p.kind === 'norm');
      assert.equal(norms.length, 2 * 16); // gamma and beta of 2 BNs × 8 blocks
      assert.equal(net.state.size, 2 * 16);
      assert.ok([...net.state.values()].every((v) => !v.trainable));
      assert.deepEqual(Array.from(net.params.get('layer1.0.bn1/gamma')!.dataSync()), Array(64).fill(1));
      assert.deepEqual(Array.from(net.state.get('layer4.1.bn2/movingVariance')!.dataSync()), Array(512).fill(1));
      const bias = net.params.get('head/main/0/bias')!.dataSync();
      assert.ok(bias.every((b) => Math.abs(b) <= 1 / Math.sqrt(512)));
    } finally {
      net.dispose();
    }
  });

  it('disposing a network frees every variable', () => {
    const before = tf.memory().numTensors;
    createNetwork('resnet18-reduced', { seed: 1, heads: [10] }).dispose();
    createNetwork('preact-resnet18', { seed: 1, heads: [10] }).dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});
