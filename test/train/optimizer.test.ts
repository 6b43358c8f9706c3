import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { adam } from '../../src/train/adam';
import { sgd } from '../../src/train/sgd';
import { maskGradients } from '../../src/train/mask-gradients';
import { restoreOptimizer } from '../../src/train/restore-optimizer';
import type { Optimizer } from '../../src/train/optimizer';
import { InvalidArgumentError, ShapeMismatchError } from '../../src/errors';
import { Rng } from '../../src/random';

const shape = [6, 5];

function makeVars(seed: number): Map<string, tf.Variable> {
  const rng = new Rng(seed);
  return new Map([
    ['a/kernel', tf.variable(tf.tensor(rng.fillNormal(new Float32Array(30)), shape))],
    ['b/bias', tf.variable(tf.tensor(rng.fillNormal(new Float32Array(5)), [5]))],
  ]);
}

/** Runs `n` steps with seeded random gradients; `i0` offsets the gradient stream. */
function run(opt: Optimizer, n: number, seed: number, i0 = 0): void {
  for (let i = i0; i < i0 + n; i++) {
    const rng = new Rng(seed + i);
    tf.tidy(() => {
      const grads = new Map<string, tf.Tensor>();
      for (const [name, v] of opt.variables) grads.set(name, tf.tensor(rng.fillNormal(new Float32Array(v.size)), v.shape));
      opt.applyGradients(grads);
    });
  }
}

let frozenMask: tf.Tensor;

test.before(async () => {
  await useTestBackend('cpu');
  frozenMask = tf.tensor(Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 0 : 1)), shape, 'int32');
});

for (const [label, make] of [
  ['Adam', (v: Map<string, tf.Variable>) => adam(v, { learningRate: 0.01 })],
  ['SGD with momentum and weight decay', (v: Map<string, tf.Variable>) => sgd(v, { learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4 })],
] as const) {
  test(`${label}: an update mask keeps frozen weights bit-identical despite stale moments`, async () => {
    await useTestBackend('cpu');
    const vars = makeVars(1);
    const opt = make(vars);
    run(opt, 5, 100); // builds non-zero momentum / moments everywhere
    const before = vars.get('a/kernel')!.dataSync().slice();
    opt.setUpdateMask('a/kernel', frozenMask);
    // zero gradients on frozen entries too, as WSN does: stale state alone would move them
    for (let i = 0; i < 5; i++) {
      tf.tidy(() => {
        const grads = new Map<string, tf.Tensor>([['a/kernel', tf.ones(shape)]]);
        opt.applyGradients(maskGradients(grads, new Map([['a/kernel', frozenMask]])));
      });
    }
    const after = vars.get('a/kernel')!.dataSync();
    const mask = frozenMask.dataSync();
    let moved = 0;
    for (let i = 0; i < 30; i++) {
      if (mask[i] === 0) assert.equal(Object.is(after[i], before[i]), true, `frozen entry ${i} moved`);
      else if (after[i] !== before[i]) moved++;
    }
    assert.equal(moved, 20, 'every trainable entry moves');
    opt.dispose();
    vars.forEach((v) => v.dispose());
  });
}

test('gradient masking alone lets stale Adam moments move a zero-gradient weight (pitfall P1)', async () => {
  await useTestBackend('cpu');
  const vars = makeVars(2);
  const opt = adam(vars, { learningRate: 0.01 });
  run(opt, 3, 7);
  const before = vars.get('a/kernel')!.dataSync().slice();
  tf.tidy(() => opt.applyGradients(maskGradients(new Map([['a/kernel', tf.ones(shape)]]), new Map([['a/kernel', tf.zeros(shape)]]))));
  const after = vars.get('a/kernel')!.dataSync();
  assert.ok(after.some((x, i) => x !== before[i]));
  opt.dispose();
  vars.forEach((v) => v.dispose());
});

test('maskGradients zero-ones mode zeroes where the mask is 1', async () => {
  await useTestBackend('cpu');
  const out = tf.tidy(() => {
    const g = maskGradients(new Map([['w', tf.tensor([1, 2, 3])]]), new Map([['w', tf.tensor([1, 0, 1], [3], 'bool')]]), { mode: 'zero-ones' });
    return g.get('w')!.arraySync();
  });
  assert.deepEqual(out, [0, 2, 0]);
  assert.throws(() => maskGradients(new Map([['w', tf.zeros([3])]]), new Map([['w', tf.zeros([2])]])), ShapeMismatchError);
});

test('SGD matches a hand computation: momentum buffer starts at the first gradient', async () => {
  await useTestBackend('cpu');
  const w = tf.variable(tf.tensor([1, -2]));
  const opt = sgd(new Map([['w', w]]), { learningRate: 0.1, momentum: 0.5, weightDecay: 0.1 });
  tf.tidy(() => opt.applyGradients(new Map([['w', tf.tensor([1, 1])]])));
  // g = 1 + 0.1·w = [1.1, 0.8]; b = g; w = w − 0.1·b = [0.89, −2.08]
  // g = 1 + 0.1·w = [1.089, 0.792]; b = 0.5·b + g = [1.639, 1.192]; w = [0.7261, −2.1992]
  tf.tidy(() => opt.applyGradients(new Map([['w', tf.tensor([1, 1])]])));
  const got = w.dataSync();
  assert.ok(Math.abs(got[0] - 0.7261) < 1e-6 && Math.abs(got[1] + 2.1992) < 1e-6, `${got}`);
  opt.dispose();
  w.dispose();
});

test('Adam matches a hand computation of the first step: W moves by lr·sign(g)', async () => {
  await useTestBackend('cpu');
  const w = tf.variable(tf.tensor([0.5, 0.5]));
  const opt = adam(new Map([['w', w]]), { learningRate: 0.01 });
  tf.tidy(() => opt.applyGradients(new Map([['w', tf.tensor([3, -0.2])]])));
  const got = w.dataSync();
  assert.ok(Math.abs(got[0] - 0.49) < 1e-6 && Math.abs(got[1] - 0.51) < 1e-6, `${got}`);
  opt.dispose();
  w.dispose();
});

test('optimizer state round-trips: a restored optimizer continues bit-identically', async () => {
  await useTestBackend('cpu');
  for (const make of [(v: Map<string, tf.Variable>) => adam(v, { learningRate: 0.003 }), (v: Map<string, tf.Variable>) => sgd(v, { learningRate: 0.02, momentum: 0.9 })]) {
    const varsA = makeVars(3);
    const varsB = makeVars(3);
    const a = make(varsA);
    const b = make(varsB);
    run(a, 4, 50);
    run(b, 4, 50);
    const state = b.getState();
    b.dispose();
    const b2 = restoreOptimizer(varsB, state);
    tf.dispose([...state.slots.values()]);
    run(a, 3, 50, 4);
    run(b2, 3, 50, 4);
    for (const name of varsA.keys()) assert.deepEqual(varsB.get(name)!.dataSync(), varsA.get(name)!.dataSync());
    a.dispose();
    b2.dispose();
    [...varsA.values(), ...varsB.values()].forEach((v) => v.dispose());
  }
});

test('optimizers validate options, names and state kinds', async () => {
  await useTestBackend('cpu');
  const vars = makeVars(4);
  assert.throws(() => adam(vars, { learningRate: 0 }), /adam: learningRate must be in \(0, ∞\); got 0/);
  assert.throws(() => sgd(vars, { learningRate: 0.1, momentum: 1 }), InvalidArgumentError);
  const opt = sgd(vars, { learningRate: 0.1 });
  assert.throws(() => opt.setUpdateMask('nope', frozenMask), /no parameter named "nope"/);
  assert.throws(() => opt.setUpdateMask('b/bias', frozenMask), ShapeMismatchError);
  const state = adam(vars, { learningRate: 0.1 }).getState();
  assert.throws(() => opt.setState(state), /state is for "adam"/);
  opt.dispose();
  vars.forEach((v) => v.dispose());
});

test('optimizer steps leak no tensors', async () => {
  await useTestBackend('cpu');
  const vars = makeVars(5);
  const opt = adam(vars, { learningRate: 0.01 });
  opt.setUpdateMask('a/kernel', frozenMask);
  run(opt, 2, 9);
  const n = tf.memory().numTensors;
  run(opt, 5, 9, 2);
  assert.equal(tf.memory().numTensors, n);
  opt.dispose();
  vars.forEach((v) => v.dispose());
});
