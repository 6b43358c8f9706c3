import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { createNetwork, type ParamInfo } from '../../src/models';
import { useTestBackend } from '../helpers/backend';

describe('weight hook, activations and memory', () => {
  before(() => useTestBackend('wasm')); // wasm training kernels from src/backend

  it('the weight hook is consulted for every parameter use, heads included', () => {
    const net = createNetwork('mlp', { seed: 1, heads: [10, 10], headBias: true });
    const used: string[] = [];
    const weight = (info: ParamInfo, v: tf.Variable) => (used.push(info.name), v);
    tf.tidy(() => net.logits(tf.zeros([2, 28, 28, 1]) as tf.Tensor4D, 1, { training: false, weight }));
    assert.deepEqual(used, ['fc1/kernel', 'fc2/kernel', 'head/main/1/kernel', 'head/main/1/bias']);
    net.dispose();
  });

  it('zeroing a body kernel through the hook changes the output accordingly', () => {
    const net = createNetwork('mlp', { seed: 1, heads: [10] });
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    tf.tidy(() => {
      const zeroFc2 = (info: ParamInfo, v: tf.Variable) => (info.name === 'fc2/kernel' ? tf.zerosLike(v) : v);
      const plain = net.logits(x, 0, { training: false });
      const zeroed = net.logits(x, 0, { training: false, weight: zeroFc2 });
      assert.ok(plain.dataSync().some((v) => v !== 0));
      assert.ok(zeroed.dataSync().every((v) => v === 0)); // ReLU(0) features, bias-free head
    });
    // Zeroing one output channel of conv1 zeroes exactly that channel of conv1's activation.
    const conv = createNetwork('lenet', { seed: 2, heads: [4] });
    const img = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
    tf.tidy(() => {
      const mask = tf.oneHot(tf.tensor1d([7], 'int32'), 20).reshape([1, 1, 1, 20]).sub(1).neg(); // 0 at channel 7
      const weight = (info: ParamInfo, v: tf.Variable) => (info.name === 'conv1/kernel' ? tf.mul(v, mask) : v);
      let act: tf.Tensor | undefined;
      conv.features(img, { training: false, weight, onActivation: (l, a) => l === 'conv1' && (act = a) });
      const perChannel = tf.sum(act!, [0, 1, 2]).dataSync();
      assert.equal(perChannel[7], 0);
      assert.ok(perChannel.filter((v, i) => i !== 7 && v > 0).length > 10);
    });
    [net, conv].forEach((n) => n.dispose());
  });

  it('onActivation tensors reduced in the hook survive the caller’s tidy scope only if kept', () => {
    const net = createNetwork('mlp', { seed: 1, heads: [10] });
    const kept = tf.tidy(() => {
      let mean: tf.Tensor | undefined;
      net.logits(tf.ones([2, 28, 28, 1]) as tf.Tensor4D, 0, {
        training: false,
        onActivation: (l, a) => l === 'fc1' && (mean = tf.keep(tf.mean(a, 0))),
      });
      return mean!;
    });
    assert.deepEqual(kept.shape, [100]);
    assert.ok(kept.dataSync().every((v) => v >= 0)); // post-ReLU
    kept.dispose();
    net.dispose();
  });

  for (const name of ['mlp', 'resnet18-reduced'] as const) {
    it(`${name}: a forward+backward+update loop keeps the tensor count flat`, () => {
      const net = createNetwork(name, name === 'mlp' ? { seed: 1, heads: [4] } : { seed: 1, heads: [4], nf: 2 });
      const [h, w, c] = net.inputShape;
      const x = tf.randomUniform([4, h, w, c], 0, 1, 'float32', 1) as tf.Tensor4D;
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 4);
      const vars = [...net.params.values()];
      const step = (seed: number) =>
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => {
            const logits = net.logits(x, 0, { training: true, dropoutSeed: seed });
            return tf.mean(tf.sum(tf.mul(y, tf.neg(tf.logSoftmax(logits))), 1)) as tf.Scalar;
          }, vars);
          for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name], 0.01)));
          return value.dataSync()[0];
        });
      const first = step(0);
      const count = tf.memory().numTensors;
      let last = first;
      for (let i = 1; i < 4; i++) last = step(i);
      assert.equal(tf.memory().numTensors, count);
      assert.ok(last < first, `loss ${first} → ${last}`);
      net.dispose();
    });
  }

  it('preact-resnet18-style running statistics update inside a gradient step without leaking', () => {
    // A reduced-width check would need another architecture; use the real one at batch 2, one step.
    const net = createNetwork('preact-resnet18', { seed: 3, heads: [2] });
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(net.logits(x, 0, { training: true })) as tf.Scalar);
      assert.ok('layer1.0.bn1/gamma' in grads || Object.keys(grads).some((k) => k.endsWith('layer1.0.bn1/gamma')));
      assert.ok(!Object.keys(grads).some((k) => k.includes('moving')));
    });
    assert.equal(tf.memory().numTensors, before);
    assert.ok(net.state.get('layer1.0.bn1/movingMean')!.dataSync().some((v) => v !== 0));
    net.dispose();
  });
});
