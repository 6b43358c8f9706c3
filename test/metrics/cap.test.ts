import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  capPercent,
  decodeTaskMasks,
  denseCap,
  encodeTaskMasks,
  packTaskSymbols,
  PAPER_ALPHA,
  stlCap,
  wsnCapacity,
  type HostMasks,
} from '../../src/metrics/index';
import { Rng } from '../../src/random';

const u8 = (...v: number[]): Uint8Array => Uint8Array.from(v);
const close = (a: number, b: number, tol = 1e-9): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

function randomTaskMasks(seed: number, numTasks: number, sizes: Record<string, number>, keep: number): HostMasks[] {
  const rng = new Rng(seed);
  return Array.from({ length: numTasks }, () => {
    const masks: Record<string, Uint8Array> = {};
    for (const [name, n] of Object.entries(sizes)) masks[name] = Uint8Array.from({ length: n }, () => (rng.next() < keep ? 1 : 0));
    return masks;
  });
}

test('CAP matches the PMNIST c = 0.03 reading aid: 13.0 % union density, α = 0.78, T = 10 → 19.875', () => {
  close(capPercent({ sparsity: 0.87, alpha: PAPER_ALPHA, numTasks: 10 }), 19.875);
  // TinyImageNet c = 0.5: 64.5 % density, T = 40 → 64.5 + 27.5 = 92.0
  close(capPercent({ sparsity: 0.355, alpha: 0.78, numTasks: 40 }), 92);
  assert.throws(() => capPercent({ sparsity: 1.2, alpha: 0.78, numTasks: 10 }), /sparsity must be in \[0, 1\]; got 1.2/);
  assert.throws(() => capPercent({ sparsity: 0.5, alpha: NaN, numTasks: 10 }), /alpha.*NaN/);
  assert.throws(() => capPercent({ sparsity: 0.5, alpha: 0.78, numTasks: 0 }), /numTasks/);
});

test('baseline CAPs: STL is T·100, dense methods 100', () => {
  assert.equal(stlCap(10), 1000);
  assert.equal(stlCap(100), 10000);
  assert.equal(denseCap(), 100);
  assert.throws(() => stlCap(2.5), /numTasks/);
});

test('task bits are packed with bit b = task 7g + b', () => {
  const masks = Array.from({ length: 9 }, (_, t) => u8(t % 2, 1, t === 8 ? 1 : 0));
  // group 0 = tasks 0..6: weight 0 has tasks 1,3,5 → 2+8+32 = 42; weight 1 all seven → 127; weight 2 none
  assert.deepEqual([...packTaskSymbols(masks, 0)], [42, 127, 0]);
  // group 1 = tasks 7, 8: weight 0 has task 7 → bit 0; weight 1 both → 3; weight 2 task 8 → bit 1
  assert.deepEqual([...packTaskSymbols(masks, 1)], [1, 3, 2]);
  assert.throws(() => packTaskSymbols(masks, 2), /group must be an integer in \[0, 1\]/);
});

test('α by hand: two tasks, one tensor of four weights', () => {
  // symbols 3, 2, 0, 0 → histogram {0: 2, 2: 1, 3: 1} → lengths 1, 2, 2 → 6 bits; raw 7·4 = 28
  const enc = encodeTaskMasks([{ fc1: u8(1, 0, 0, 0) }, { fc1: u8(1, 1, 0, 0) }]);
  assert.equal(enc.encodedBits, 6);
  assert.equal(enc.rawBits, 28);
  close(enc.alpha, 1 - 6 / 28);
});

test('raw size charges 7 bits per weight per group, even for a partial last group', () => {
  const masks = randomTaskMasks(1, 8, { a: 10, b: 5 }, 0.3); // groups: 7 tasks + 1 task
  const enc = encodeTaskMasks(masks);
  assert.equal(enc.rawBits, 7 * 15 * 2);
  assert.equal(enc.blocks.length, 4); // 2 tensors × 2 groups
  assert.deepEqual(enc.blocks.map((b) => [b.name, b.group]), [['a', 0], ['a', 1], ['b', 0], ['b', 1]]);
});

test('a tensor whose symbols are all equal costs 1 bit per weight, or 0 under the official convention', () => {
  const masks = [{ a: u8(1, 1, 1, 1) }, { a: u8(0, 0, 0, 0) }];
  assert.equal(encodeTaskMasks(masks).encodedBits, 4);
  assert.equal(encodeTaskMasks(masks, { singleSymbol: 'zero-bit' }).encodedBits, 0);
  assert.equal(encodeTaskMasks(masks, { singleSymbol: 'zero-bit' }).alpha, 1);
  assert.deepEqual(decodeTaskMasks(encodeTaskMasks(masks, { singleSymbol: 'zero-bit' })), masks);
});

test('per-task masks decode losslessly: random, sparse structured, and 16 tasks (3 groups)', () => {
  for (const [seed, T, keep] of [[5, 3, 0.5], [6, 10, 0.03], [7, 16, 0.1]] as const) {
    const masks = randomTaskMasks(seed, T, { 'fc1/kernel': 784, 'fc2/kernel': 300, 'conv/kernel': 27 }, keep);
    assert.deepEqual(decodeTaskMasks(encodeTaskMasks(masks)), masks, `seed ${seed}`);
  }
});

test('wsnCapacity reports union sparsity, measured α and CAP with measured and paper α', () => {
  const masks = randomTaskMasks(9, 10, { w1: 2000, w2: 1000 }, 0.03);
  const cap = wsnCapacity(masks);
  let kept = 0;
  for (let k = 0; k < 2000; k++) kept += masks.some((m) => m.w1[k]) ? 1 : 0;
  for (let k = 0; k < 1000; k++) kept += masks.some((m) => m.w2[k]) ? 1 : 0;
  close(cap.unionDensity, kept / 3000);
  close(cap.unionSparsity, 1 - kept / 3000);
  close(cap.capPaper, 100 * (kept / 3000 + (0.22 * 10) / 32));
  close(cap.capMeasured, 100 * (kept / 3000 + ((1 - cap.alpha) * 10) / 32));
  assert.equal(cap.numTasks, 10);
  // Sparse independent masks compress well: α well above the paper's 0.78.
  assert.ok(cap.alpha > 0.78 && cap.alpha < 1, `α = ${cap.alpha}`);
  close(cap.alpha, 1 - cap.encodedBits / cap.rawBits);
});
