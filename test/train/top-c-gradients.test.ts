import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { LANEWISE_SPLIT_MIN_LENGTH } from '../../src/backend/host-kernels/index';
import { createNetwork } from '../../src/models/architectures';
import { topCDerivedWeights, topCMaskedWeight } from '../../src/pruning';
import { Rng } from '../../src/random';
import { _heapPointer } from '../../src/backend/wasm-heap';
import { adam, type AdamOptions } from '../../src/train/adam';
import { crossEntropy } from '../../src/train/cross-entropy';
import type { Optimizer } from '../../src/train/optimizer';
import { sgd } from '../../src/train/sgd';
import { trainTask } from '../../src/train/train-task';
import { InvalidArgumentError, ShapeMismatchError } from '../../src/errors';

type Backend = 'cpu' | 'wasm';
const every = <T>(f: (b: Backend) => T): [Backend, T][] => (['cpu', 'wasm'] as const).map((b) => [b, f(b)]);

/**
 * A few WSN updates of one weight/score pair from seeded gradients of W ⊙ m, either through
 * applyTopCGradients or through applyGradients with topCMaskedWeight's own backward; returns
 * the weight, score and every optimizer slot.
 */
async function run(backend: Backend, n: number, make: (v: Map<string, tf.Variable>) => Optimizer, fused: boolean): Promise<Float32Array[]> {
  await useTestBackend(backend);
  const rng = new Rng(n + 5);
  const w = tf.variable(tf.tensor(rng.fillNormal(new Float32Array(n))));
  const s = tf.variable(tf.tensor(rng.fillUniform(new Float32Array(n), -0.1, 0.1)));
  const vars = new Map([['w', w], ['s', s]]);
  const opt = make(vars);
  opt.setUpdateMask('w', tf.tensor(Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : 1)), [n], 'int32'));
  if (n > 100) opt.setUpdateMask('s', tf.tensor(Int32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : 1)), [n], 'int32'));
  for (let step = 0; step < 4; step++) {
    const dy = tf.tensor(rng.fillNormal(new Float32Array(n)));
    tf.tidy(() => {
      if (fused) {
        const masked = topCDerivedWeights([{ weight: 'w', score: 's' }], vars, 0.4);
        const [eff] = masked.compute().values();
        assert.equal(eff.size, n);
        masked.update(new Map([['w', dy]]), opt);
      } else {
        const { grads } = tf.variableGrads(() => tf.sum(tf.mul(topCMaskedWeight(w, s, 0.4), dy)) as tf.Scalar, [w, s]);
        opt.applyGradients(new Map([['w', grads[w.name]], ['s', grads[s.name]]]));
      }
    });
    dy.dispose();
  }
  const state = opt.getState();
  const out = [w, s, ...state.slots.values()].map((t) => t.dataSync().slice() as Float32Array);
  tf.dispose([w, s, ...state.slots.values()]);
  opt.dispose();
  return out;
}

const adams: AdamOptions[] = [{ learningRate: 1e-3 }, { learningRate: 0.01, weightDecay: 0.01, beta1: 0.8, beta2: 0.99 }];

test('applyTopCGradients equals applyGradients with the top-c backward, bit for bit (Adam fused on wasm, SGD, masks, tails, split)', async () => {
  const makers = [...adams.map((o) => (v: Map<string, tf.Variable>) => adam(v, o)), (v: Map<string, tf.Variable>) => sgd(v, { learningRate: 0.05, momentum: 0.9 })];
  for (const make of makers) {
    for (const n of [1, 6, 257, LANEWISE_SPLIT_MIN_LENGTH + 1029]) {
      for (const [backend] of every(() => 0)) {
        const want = await run(backend, n, make, false);
        const got = await run(backend, n, make, true);
        want.forEach((expected, i) => assert.ok(Buffer.from(got[i].buffer).equals(Buffer.from(expected.buffer)), `${backend} n=${n}: array ${i} differs`));
      }
    }
  }
});

/** An MLP trained a few steps the WSN way: with derived weights, or with the hook alone. */
async function trainMlp(backend: Backend, derived: boolean): Promise<{ arrays: Float32Array[]; tensors: number[]; offsets: string[] }> {
  await useTestBackend(backend);
  const network = createNetwork('mlp', { seed: 3, heads: [4], hidden: [16, 16] } as never);
  const variables = new Map(network.params);
  const maskable = network.paramInfo.filter((p) => p.maskable);
  for (const p of maskable) variables.set(`score:${p.name}`, tf.variable(tf.randomUniform([...p.shape], -0.1, 0.1, 'float32', 9)));
  const optimizer = adam(variables, { learningRate: 0.01 });
  const masked = topCDerivedWeights(maskable.map((p) => ({ weight: p.name, score: `score:${p.name}` })), variables, 0.3);
  const rng = new Rng(4);
  const [h, w, c] = network.inputShape;
  const x = tf.tensor4d(rng.fillUniform(new Float32Array(8 * h * w * c), -1, 1), [8, h, w, c]);
  const y = tf.tensor1d(Int32Array.from({ length: 8 }, () => rng.int(4)), 'int32');
  const tensors: number[] = [];
  const offsets: string[] = []; // heap offsets of the variables per epoch (wasm)
  await trainTask({
    task: 0, variables, optimizer, epochs: 4, seed: 1,
    derivedWeights: derived ? masked : undefined,
    batches: () => {
      tensors.push(tf.memory().numTensors);
      if (backend === 'wasm') offsets.push([...variables.values()].map((v) => _heapPointer(v)).join(','));
      return [0, 1, 2].map(() => ({ x: tf.clone(x), y: tf.clone(y), rows: Int32Array.of(0) }));
    },
    loss: (b) => {
      const weight = (info: { name: string; maskable: boolean }, v: tf.Variable) =>
        info.maskable ? (derived ? masked.weight(info as never, v) : topCMaskedWeight(v, variables.get(`score:${info.name}`)!, 0.3)) : v;
      const logits = network.logits(b.x, 0, { training: true, weight: weight as never });
      return { loss: crossEntropy(logits, b.y), logits };
    },
  });
  const arrays = [...variables.values()].map((v) => v.dataSync().slice() as Float32Array);
  optimizer.dispose();
  tf.dispose([x, y, ...variables.values()]);
  return { arrays, tensors, offsets };
}

test('trainTask with WSN derived weights trains exactly as the topCMaskedWeight hook, with a flat tensor count', async () => {
  for (const [backend] of every(() => 0)) {
    const hook = await trainMlp(backend, false);
    const derived = await trainMlp(backend, true);
    hook.arrays.forEach((expected, i) => assert.ok(Buffer.from(derived.arrays[i].buffer).equals(Buffer.from(expected.buffer)), `${backend}: variable ${i} differs`));
    assert.ok(hook.arrays.some((a, i) => i > 0 && a.some((v) => v !== 0)), 'something trained');
    // The optimizer's slots appear in the first epoch; from then on nothing accumulates.
    assert.equal(new Set(derived.tensors.slice(1)).size, 1, `${backend}: tensors per epoch ${derived.tensors}`);
    // On wasm an update writes over a variable's own buffer once nothing else shares it (the
    // scores share their initial tensors, which this test never frees, until the first step).
    if (backend === 'wasm') {
      assert.equal(new Set(derived.offsets.slice(1)).size, 1, `variables moved: ${derived.offsets.join(' / ')}`);
      assert.notEqual(derived.offsets[0], derived.offsets[1], 'the shared scores were written to new memory');
    }
  }
});

test('topCDerivedWeights and applyTopCGradients refuse unknown names and mismatched shapes, naming them', async () => {
  await useTestBackend('cpu');
  const w = tf.variable(tf.zeros([3, 2]));
  const s = tf.variable(tf.zeros([2, 3]));
  const vars = new Map([['w', w], ['s', s]]);
  assert.throws(() => topCDerivedWeights([{ weight: 'w', score: 'nope' }], vars, 0.5), (e) => e instanceof InvalidArgumentError && /"nope"/.test(e.message));
  assert.throws(() => topCDerivedWeights([{ weight: 'w', score: 's' }], vars, 0.5), (e) => e instanceof ShapeMismatchError && /\[2,3\]/.test(e.message));
  assert.throws(() => topCDerivedWeights([], vars, 1.5), /keepFraction/);
  const opt = adam(vars, { learningRate: 0.1 });
  const g = tf.zeros([3, 2]);
  assert.throws(() => opt.applyTopCGradients([{ weight: 'w', score: 'x', grad: g, threshold: 0 }]), /"x"/);
  assert.throws(() => opt.applyTopCGradients([{ weight: 'w', score: 's', grad: g, threshold: 0 }]), ShapeMismatchError);
  assert.throws(() => opt.applyTopCGradients([{ weight: 'w', score: 'w', grad: g, threshold: 0 }]), (e) => e instanceof InvalidArgumentError && /"w" is given as both/.test(e.message));
  const ok = topCDerivedWeights([], vars, 0.5);
  assert.throws(() => ok.update(new Map([['w', g]]), opt), /not a weight computed/);
  opt.dispose();
  tf.dispose([w, s, g]);
});
