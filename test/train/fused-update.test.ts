import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { _hostKernels, LANEWISE_SPLIT_MIN_LENGTH } from '../../src/backend/host-kernels/index';
import { adam, type AdamOptions } from '../../src/train/adam';
import { sgd, type SgdOptions } from '../../src/train/sgd';
import type { Optimizer } from '../../src/train/optimizer';
import { Rng } from '../../src/random';
import { _heapPointer } from '../../src/backend/wasm-heap';

/** A mask freezing every third entry. */
const thirds = (n: number) => Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : 1));

/**
 * Steps of one optimizer on one seeded problem (sizes around the 4-lane vector width, a frozen
 * third); returns the final weights and slots, and the frozen entries' initial values.
 */
async function train(backend: 'cpu' | 'wasm', make: (v: Map<string, tf.Variable>) => Optimizer, n: number, steps: number): Promise<Float32Array[]> {
  await useTestBackend(backend);
  const rng = new Rng(n);
  const w = tf.variable(tf.tensor(rng.fillNormal(new Float32Array(n))));
  const opt = make(new Map([['w', w]]));
  for (let s = 0; s < steps; s++) {
    if (s === 2) opt.setUpdateMask('w', tf.tensor(thirds(n), [n], 'int32'));
    tf.tidy(() => opt.applyGradients(new Map([['w', tf.tensor(rng.fillNormal(new Float32Array(n)))]])));
  }
  const state = opt.getState();
  const out = [w.dataSync().slice() as Float32Array, ...[...state.slots.values()].map((t) => t.dataSync().slice() as Float32Array)];
  tf.dispose([...state.slots.values()]);
  opt.dispose();
  w.dispose();
  return out;
}

const adamCases: AdamOptions[] = [{ learningRate: 1e-3 }, { learningRate: 0.01, weightDecay: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 }];
const sgdCases: SgdOptions[] = [{ learningRate: 0.1 }, { learningRate: 0.05, weightDecay: 5e-4 }, { learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4 }];

test('the fused wasm optimizer kernels are bit-identical to the tensor-op rules on cpu, masks and tails included', async () => {
  await useTestBackend('wasm');
  assert.ok(_hostKernels() !== null, 'fused kernels compiled on wasm');
  const makers = [
    ...adamCases.map((o) => (v: Map<string, tf.Variable>) => adam(v, o)),
    ...sgdCases.map((o) => (v: Map<string, tf.Variable>) => sgd(v, o)),
  ];
  for (const make of makers) {
    for (const n of [1, 3, 4, 7, 257]) {
      const onCpu = await train('cpu', make, n, 5);
      const onWasm = await train('wasm', make, n, 5);
      assert.deepEqual(onWasm, onCpu, `n = ${n}`);
    }
  }
});

test('long fused updates, split over the host threads, stay bit-identical to the tensor-op rules on cpu', async () => {
  const n = LANEWISE_SPLIT_MIN_LENGTH + 1029; // parts at 1024-entry boundaries, a 1-entry tail
  for (const make of [(v: Map<string, tf.Variable>) => adam(v, adamCases[1]), (v: Map<string, tf.Variable>) => sgd(v, sgdCases[2])]) {
    const onCpu = await train('cpu', make, n, 3);
    const onWasm = await train('wasm', make, n, 3);
    onCpu.forEach((expected, i) => assert.ok(Buffer.from(onWasm[i].buffer).equals(Buffer.from(expected.buffer)), `array ${i} differs`));
  }
});

test('a frozen entry keeps its exact bits under the fused kernel while the others move', async () => {
  await useTestBackend('wasm');
  const n = 10;
  const w = tf.variable(tf.tensor(new Rng(1).fillNormal(new Float32Array(n))));
  const opt = adam(new Map([['w', w]]), { learningRate: 0.01 });
  tf.tidy(() => opt.applyGradients(new Map([['w', tf.ones([n])]]))); // non-zero moments everywhere
  const before = w.dataSync().slice();
  opt.setUpdateMask('w', tf.tensor(thirds(n), [n], 'int32'));
  for (let s = 0; s < 3; s++) tf.tidy(() => opt.applyGradients(new Map([['w', tf.zeros([n])]])));
  const after = w.dataSync();
  thirds(n).forEach((trainable, i) => assert.equal(Object.is(after[i], before[i]), trainable === 0, `entry ${i}`));
  opt.dispose();
  w.dispose();
});

test('fused updates on wasm leak no tensors and do not change an earlier clone of the weights', async () => {
  await useTestBackend('wasm');
  const n = 257;
  const w = tf.variable(tf.ones([n]));
  const snapshot = tf.clone(w); // shares w's data: the update must write new memory
  const opt = adam(new Map([['w', w]]), { learningRate: 0.1 });
  tf.tidy(() => opt.applyGradients(new Map([['w', tf.ones([n])]])));
  const count = tf.memory().numTensors;
  for (let s = 0; s < 4; s++) tf.tidy(() => opt.applyGradients(new Map([['w', tf.ones([n])]])));
  assert.equal(tf.memory().numTensors, count);
  assert.deepEqual([...new Set(snapshot.dataSync())], [1]);
  assert.ok(w.dataSync()[0] < 0.6, `w moved: ${w.dataSync()[0]}`);
  // One fused call, not the tensor-op rule: no elementwise kernels run through the engine.
  const profile = await tf.profile(() => tf.tidy(() => opt.applyGradients(new Map([['w', tf.ones([n])]]))));
  const names = profile.kernelNames.filter((k) => k !== 'Fill');
  assert.deepEqual(names.filter((k) => ['Sqrt', 'Mul', 'Multiply', 'Add', 'RealDiv', 'Sub', 'Select'].includes(k)), []);
  tf.dispose([snapshot, w]);
  opt.dispose();
});

test('fused updates run in place while nothing else shares the buffers, and leave getState copies and clones untouched', async () => {
  await useTestBackend('wasm');
  const n = 257;
  const w = tf.variable(tf.ones([n]));
  const g = tf.fill([n], 0.5);
  const opt = adam(new Map([['w', w]]), { learningRate: 0.1 });
  const step = () => tf.tidy(() => opt.applyGradients(new Map([['w', g]])));
  /** Heap offsets of w and its slots (getState's copies share the slots' data until disposed). */
  const offsets = (): number[] => {
    const state = opt.getState();
    const out = [w, ...state.slots.values()].map((t) => _heapPointer(t));
    tf.dispose([...state.slots.values()]);
    return out;
  };
  step();
  const before = offsets();
  step();
  assert.deepEqual(offsets(), before, 'the second step wrote over the first one\'s buffers');
  const kept = opt.getState(); // shares the slots: the next step must write new memory
  const keptValues = [...kept.slots.values()].map((t) => t.dataSync().slice());
  const clone = tf.clone(w);
  const cloneValues = clone.dataSync().slice();
  step();
  assert.deepEqual([...kept.slots.values()].map((t) => t.dataSync()), keptValues);
  assert.deepEqual(clone.dataSync(), cloneValues);
  assert.ok(w.dataSync()[0] < cloneValues[0], 'w moved');
  assert.notDeepEqual(offsets(), before);
  tf.dispose([...kept.slots.values(), clone, g, w]);
  opt.dispose();
});

test('a moment or momentum decaying without gradient is flushed to +0, not left subnormal, on cpu and on wasm alike', async () => {
  // Unflushed float32 arithmetic: b ← 0.9·b from 1e-31 reaches the subnormals after ~150 steps
  // and sticks there (0.9·k·2^−149 rounds back to k·2^−149 for small k).
  let unflushed = Math.fround(1e-31);
  for (let s = 0; s < 300; s++) unflushed = Math.fround(unflushed * Math.fround(0.9));
  assert.ok(unflushed > 0 && unflushed < 2 ** -126, `plain float32 decay sticks subnormal (${unflushed})`);

  const n = 5; // one 4-lane vector and a 1-entry tail
  const makers = [
    (v: Map<string, tf.Variable>) => adam(v, { learningRate: 1e-3 }),
    (v: Map<string, tf.Variable>) => sgd(v, { learningRate: 0.1, momentum: 0.9 }),
  ];
  for (const backend of ['cpu', 'wasm'] as const) {
    await useTestBackend(backend);
    for (const make of makers) {
      const w = tf.variable(tf.ones([n]));
      const opt = make(new Map([['w', w]]));
      const slotsAfter = (): Float32Array[] => {
        const state = opt.getState();
        const out = [...state.slots.values()].map((t) => t.dataSync().slice() as Float32Array);
        tf.dispose([...state.slots.values()]);
        return out;
      };
      tf.tidy(() => opt.applyGradients(new Map([['w', tf.fill([n], 1e-30)]])));
      for (let s = 0; s < 100; s++) tf.tidy(() => opt.applyGradients(new Map([['w', tf.zeros([n])]])));
      const first = slotsAfter()[0]; // m or the momentum: ~1e-31 · 0.9^100, still normal
      assert.ok(first.every((x) => x >= 2 ** -126), `${backend} ${opt.kind}: still normal after 100 steps`);
      for (let s = 0; s < 200; s++) tf.tidy(() => opt.applyGradients(new Map([['w', tf.zeros([n])]])));
      for (const slot of slotsAfter()) {
        slot.forEach((x) => assert.ok(Object.is(x, 0), `${backend} ${opt.kind}: slot entry ${x} should be +0`));
      }
      assert.ok(w.dataSync().every((x) => Number.isFinite(x) && x <= 1));
      opt.dispose();
      w.dispose();
    }
  }
});
