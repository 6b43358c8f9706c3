import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskDensity, maskOverlap, maskReuse, unionMasks } from '../../src/metrics/index';
import { InvalidArgumentError, ShapeMismatchError, UnknownNameError } from '../../src/errors';

const u8 = (...v: number[]): Uint8Array => Uint8Array.from(v);
const tasks = [
  { a: u8(1, 1, 0, 0), b: u8(1, 0, 0, 0, 0, 0, 0, 0) },
  { a: u8(0, 1, 1, 0), b: u8(1, 1, 0, 0, 0, 0, 0, 0) },
];

test('density is counted per layer and over all weights, weighting layers by size', () => {
  const d = maskDensity(tasks[0]);
  assert.deepEqual(d.perLayer.a, { kept: 2, total: 4, density: 0.5, sparsity: 0.5 });
  assert.equal(d.perLayer.b.density, 1 / 8);
  assert.equal(d.kept, 3);
  assert.equal(d.total, 12);
  assert.equal(d.density, 0.25);
  assert.equal(d.sparsity, 0.75);
});

test('the union is the OR of all task masks and leaves inputs untouched', () => {
  const u = unionMasks(tasks);
  assert.deepEqual([...u.a], [1, 1, 1, 0]);
  assert.deepEqual([...u.b], [1, 1, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual([...tasks[0].a], [1, 1, 0, 0]);
});

test('IoU between tasks: pooled over layers, per layer, empty masks count as identical', () => {
  const iou = maskOverlap(tasks);
  // pooled: intersection {a1, b0} = 2, union {a0,a1,a2,b0,b1} = 5
  assert.deepEqual(iou, [[1, 0.4], [0.4, 1]]);
  assert.deepEqual(maskOverlap(tasks, { layer: 'a' }), [[1, 1 / 3], [1 / 3, 1]]);
  assert.deepEqual(maskOverlap([{ a: u8(0, 0) }, { a: u8(0, 0) }]), [[1, 1], [1, 1]]);
  assert.throws(() => maskOverlap(tasks, { layer: 'c' }), UnknownNameError);
});

test('reuse counts weights already in the union before the task; the rest are newly allocated', () => {
  const r = maskReuse(tasks);
  assert.equal(r[0].reused, 0);
  assert.equal(r[0].allocated, 3);
  assert.equal(r[1].kept, 4);
  assert.equal(r[1].reused, 2); // a1 and b0
  assert.equal(r[1].allocated, 2); // a2 and b1
  assert.equal(r[1].used, 5);
  assert.equal(r[1].perLayer.a.reused, 1);
  assert.equal(r[1].perLayer.a.usedFraction, 0.75);
  assert.equal(r[1].perLayer.a.freeFraction, 0.25);
  assert.equal(r[1].perLayer.b.reuseFraction, 0.5);
  assert.equal(r[1].task, 1);
});

test('masks with other layers, lengths or non-binary values are rejected', () => {
  assert.throws(() => unionMasks([tasks[0], { a: u8(1, 1, 0, 0) }]), (e: Error) => e instanceof ShapeMismatchError && /missing \[b\]/.test(e.message));
  assert.throws(() => unionMasks([tasks[0], { a: u8(1), b: tasks[0].b }]), /has 1 weights; the first mask set has 4/);
  assert.throws(() => maskDensity({ a: u8(0, 2) }), (e: Error) => e instanceof InvalidArgumentError && /\["a"\]\[1\] is 2/.test(e.message));
  assert.throws(() => maskDensity({ a: [1, 0] as unknown as Uint8Array }), /must be a Uint8Array/);
  assert.throws(() => maskDensity({}), /no layers/);
  assert.throws(() => unionMasks([]), /at least one/);
});
