import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { _heapTensor, _hostKernels, _wasmHostKernels, LANEWISE_SPLIT_MIN_LENGTH, type HostKernels } from '../../src/backend/host-kernels/index';
import { _nativeBlas } from '../../src/backend/native-blas';
import { _heapPointer } from '../../src/backend/wasm-heap';
import { _signFloorKey } from '../../src/pruning/top-c-window';
import { Rng } from '../../src/random';

const binding = _nativeBlas();
const skip = binding?.adam === undefined ? 'native binding (with Adam) not built here' : false;

/** Float32 bits of x. */
const keyOf = (x: number): number => new Int32Array(Float32Array.of(x).buffer)[0] & 0x7fffffff;

/**
 * Seeded values with the cases the update must get exactly right: ±0, subnormals, values at
 * the top-c threshold and at the sign floor, large and tiny magnitudes.
 */
function awkward(n: number, seed: number, scale: number): Float32Array {
  const rng = new Rng(seed);
  const special = [0, -0, 1e-40, -1e-40, 2 ** -126, 0.25, -0.25, 2 ** -23, -(2 ** -23), 1e-30, 3e4];
  return Float32Array.from({ length: n }, () => (rng.next() < 0.15 ? special[rng.int(special.length)] : (rng.next() * 2 - 1) * scale));
}

/** Non-negative second moments, some 0 and some subnormal. */
function moments(n: number, seed: number): Float32Array {
  return awkward(n, seed, 1e-4).map(Math.abs);
}

/** Byte masks, a third frozen (0). */
function byteMask(n: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  return Uint8Array.from({ length: n }, () => (rng.next() < 1 / 3 ? 0 : 1));
}

/** Bits of every output equal; any NaN matches any NaN (payloads are not specified). */
function assertSameBits(actual: Float32Array, expected: Float32Array, label: string): void {
  assert.equal(actual.length, expected.length, label);
  const a = new Int32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Int32Array(expected.buffer, expected.byteOffset, expected.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== e[i] && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i]))) {
      assert.fail(`${label}: entry ${i} is ${actual[i]} (bits ${a[i]}), expected ${expected[i]} (bits ${e[i]})`);
    }
  }
}

const HYPER = [
  { decay: 0, wd: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 1, lr: 1e-3 },
  { decay: 1, wd: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, step: 7, lr: 0.01 },
];

/** Runs `update` with `kernels` into fresh outputs; returns them as arrays. */
function outputs(count: number, n: number, update: (out: number[]) => void): Float32Array[] {
  return tf.tidy(() => {
    const out = Array.from({ length: count }, () => _heapTensor([n]));
    update(out.map((t) => _heapPointer(t)));
    return out.map((t) => t.dataSync().slice() as Float32Array);
  });
}

test('native Adam is bit-identical to the wasm adam kernel: tails, masks, decay, subnormals, split passes', { skip }, async () => {
  await useTestBackend('wasm');
  const native = _hostKernels()!;
  const wasm = _wasmHostKernels()!;
  assert.notEqual(native.adam, wasm.adam, 'the native kernel replaces the wasm one');
  for (const n of [1, 7, 8, 9, 1029, LANEWISE_SPLIT_MIN_LENGTH + 1029]) {
    for (const h of HYPER) {
      for (const masked of [false, true]) {
        tf.tidy(() => {
          const w = tf.tensor(awkward(n, n + 1, 1));
          const g = tf.tensor(awkward(n, n + 2, 1e-2));
          const m = tf.tensor(awkward(n, n + 3, 1e-3));
          const v = tf.tensor(moments(n, n + 4));
          const mask = masked ? tf.tensor(byteMask(n, n + 5), [n], 'bool') : null;
          const run = (kernels: HostKernels) => outputs(3, n, ([outW, outM, outV]) => kernels.adam(
            _heapPointer(w), _heapPointer(g), _heapPointer(m), _heapPointer(v), outW, outM, outV, mask ? _heapPointer(mask) : 0, n,
            h.decay, h.wd, h.beta1, 1 - h.beta1, h.beta2, 1 - h.beta2, 1 / Math.sqrt(1 - h.beta2 ** h.step), h.epsilon, h.lr / (1 - h.beta1 ** h.step),
          ));
          const expected = run(wasm);
          run(native).forEach((out, i) => assertSameBits(out, expected[i], `n ${n}, decay ${h.decay}, masked ${masked}, output ${i}`));
        });
      }
    }
  }
});

test('native top-c Adam (W and s in one pass) is bit-identical to the wasm weight and score kernels', { skip }, async () => {
  await useTestBackend('wasm');
  const native = _hostKernels()!;
  const wasm = _wasmHostKernels()!;
  for (const n of [1, 7, 8, 9, 1029, LANEWISE_SPLIT_MIN_LENGTH + 1029]) {
    for (const h of HYPER) {
      for (const [maskW, maskS] of [[false, false], [true, false], [false, true], [true, true]]) {
        tf.tidy(() => {
          const dy = tf.tensor(awkward(n, n + 1, 1e-2));
          const s = tf.tensor(awkward(n, n + 2, 1));
          const w = tf.tensor(awkward(n, n + 3, 1));
          const slots = [awkward(n, n + 4, 1e-3), moments(n, n + 5), awkward(n, n + 6, 1e-3), moments(n, n + 7)].map((a) => tf.tensor(a));
          const masks = [maskW, maskS].map((on, i) => (on ? tf.tensor(byteMask(n, n + 8 + i), [n], 'bool') : null));
          const tauKey = keyOf(0.25); // entries at exactly ±0.25 are kept
          const [mW, vW, mS, vS] = slots.map((t) => _heapPointer(t));
          const [pMaskW, pMaskS] = masks.map((t) => (t ? _heapPointer(t) : 0));
          const run = (kernels: HostKernels) => outputs(6, n, ([outW, outMW, outVW, outS, outMS, outVS]) => kernels.adam_top_c(
            _heapPointer(dy), _heapPointer(s), _heapPointer(w), mW, vW, mS, vS, outW, outMW, outVW, outS, outMS, outVS,
            pMaskW, pMaskS, n, h.decay, tauKey, _signFloorKey('wasm'), h.wd, h.beta1, 1 - h.beta1, h.beta2, 1 - h.beta2, h.epsilon,
            1 / Math.sqrt(1 - h.beta2 ** h.step), h.lr / (1 - h.beta1 ** h.step), 1 / Math.sqrt(1 - h.beta2 ** (h.step + 2)), h.lr / (1 - h.beta1 ** (h.step + 2)),
          ));
          const expected = run(wasm);
          run(native).forEach((out, i) => assertSameBits(out, expected[i], `n ${n}, decay ${h.decay}, masks ${maskW}/${maskS}, output ${i}`));
        });
      }
    }
  }
});

test('native Adam refuses arrays outside the heap and malformed arguments, writing nothing', { skip }, async () => {
  await useTestBackend('wasm');
  const heap = new Uint8Array(1024);
  const args = (n: number, out: number) => Float64Array.of(0, 64, 128, 192, out, 320, 384, 0, n, 0, 1, 0, 0.9, 0.1, 0.999, 0.001, 1e-8, 1, 1e-3);
  binding!.adam!(heap, args(16, 256)); // fits: 16 floats at each offset
  assert.throws(() => binding!.adam!(heap, args(16, 1000)), /outW \(byte offset 1000, 16 entries\) lies outside the heap/);
  assert.throws(() => binding!.adam!(heap, args(16, 258)), /misaligned/);
  assert.throws(() => binding!.adam!(heap, args(-1, 256)), /non-negative integer/);
  assert.throws(() => binding!.adam!(heap, new Float64Array(3)), /expected 19 arguments/);
  assert.throws(() => binding!.adamTopC!(new Float32Array(4) as unknown as Uint8Array, new Float64Array(30)), /expected \(heap: Uint8Array/);
  const before = heap.slice();
  assert.throws(() => binding!.adam!(heap, args(300, 256)));
  assert.deepEqual(heap, before, 'a refused call writes nothing');
});

test('Adam and top-c Adam in place (outputs over their own inputs) give the bits of fresh outputs, native and wasm alike', async () => {
  await useTestBackend('wasm');
  const sets: [string, HostKernels][] = [['wasm', _wasmHostKernels()!]];
  if (!skip) sets.push(['native', _hostKernels()!]);
  const h = HYPER[1];
  const scalars = [h.wd, h.beta1, 1 - h.beta1, h.beta2, 1 - h.beta2] as const;
  for (const n of [9, 1029, LANEWISE_SPLIT_MIN_LENGTH + 1029]) {
    for (const [label, kernels] of sets) {
      tf.tidy(() => {
        const dy = tf.tensor(awkward(n, n + 1, 1e-2));
        const mask = tf.tensor(byteMask(n, n + 8), [n], 'bool');
        const fresh = () => [awkward(n, n + 3, 1), awkward(n, n + 4, 1e-3), moments(n, n + 5), awkward(n, n + 2, 1), awkward(n, n + 6, 1e-3), moments(n, n + 7)]
          .map((a) => tf.tensor(a)); // W, mW, vW, s, mS, vS
        const topC = (io: number[], out: number[]) => kernels.adam_top_c(
          _heapPointer(dy), io[3], io[0], io[1], io[2], io[4], io[5], out[0], out[1], out[2], out[3], out[4], out[5], _heapPointer(mask), 0, n,
          h.decay, keyOf(0.25), _signFloorKey('wasm'), ...scalars, h.epsilon, 1.5, 1e-2, 1.2, 2e-2,
        );
        const adamOnly = (io: number[], out: number[]) => kernels.adam(
          io[0], _heapPointer(dy), io[1], io[2], out[0], out[1], out[2], _heapPointer(mask), n, h.decay, ...scalars, 1.5, h.epsilon, 1e-2,
        );
        for (const [name, update, count] of [['adam_top_c', topC, 6], ['adam', adamOnly, 3]] as const) {
          const inputs = fresh();
          const pointers = inputs.map((t) => _heapPointer(t));
          const expected = outputs(count, n, (out) => update(pointers, [...out, ...pointers.slice(count)]));
          update(pointers, pointers);
          inputs.slice(0, count).forEach((t, i) => assertSameBits(t.dataSync() as Float32Array, expected[i], `${label} ${name} n ${n}, output ${i}`));
        }
      });
    }
  }
});
