import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderRows } from '../../src/data/render-rows';
import type { InputTransform, TaskSplit } from '../../src/data/types';
import { InvalidArgumentError } from '../../src/errors';
import { tinySet } from './tiny-data';

const set = tinySet({ count: 3, numClasses: 3, size: 3, channels: 1 });
const split = (extra: Partial<TaskSplit> = {}): TaskSplit => ({
  source: set,
  indices: Int32Array.of(0, 1, 2),
  targets: Int32Array.of(0, 1, 2),
  count: 3,
  ...extra,
});
const plain: InputTransform = { outputShape: [3, 3, 1], normalization: { mean: [0], std: [1] } };
const u8 = (i: number, p: number) => set.images[i * 9 + p];
const close = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-6, `at ${i}: ${a[i]} vs ${b[i]}`);
};

test('normalisation matches (u8/255 − mean)/std computed by hand', () => {
  const t: InputTransform = { outputShape: [3, 3, 1], normalization: { mean: [0.1307], std: [0.3081] } };
  const x = renderRows(split(), t, [1]);
  close(x, Array.from({ length: 9 }, (_, p) => (u8(1, p) / 255 - 0.1307) / 0.3081));
});

test('padding reads zero bytes and grey is copied to every channel with its own statistics', () => {
  const t: InputTransform = { outputShape: [5, 5, 3], pad: 1, normalization: { mean: [0.1, 0.2, 0.3], std: [0.5, 0.25, 2] } };
  const x = renderRows(split(), t, [2]);
  const m = [0.1, 0.2, 0.3];
  const s = [0.5, 0.25, 2];
  for (let y = 0; y < 5; y++) {
    for (let xx = 0; xx < 5; xx++) {
      const inside = y >= 1 && y <= 3 && xx >= 1 && xx <= 3;
      const v = inside ? u8(2, (y - 1) * 3 + (xx - 1)) : 0;
      for (let c = 0; c < 3; c++) assert.ok(Math.abs(x[(y * 5 + xx) * 3 + c] - (v / 255 - m[c]) / s[c]) < 1e-6);
    }
  }
});

test('quarter turns equal a hand rotation (np.rot90, counter-clockwise)', () => {
  const img = Array.from({ length: 9 }, (_, p) => u8(0, p) / 255);
  const at = (y: number, x: number) => img[y * 3 + x];
  const rot90 = (f: (y: number, x: number) => number) => (y: number, x: number) => f(x, 2 - y);
  let hand = at;
  for (let k = 0; k < 4; k++) {
    const x = renderRows(split({ rotations: Uint8Array.of(k, 0, 0) }), plain, [0]);
    close(x, Array.from({ length: 9 }, (_, p) => hand(Math.floor(p / 3), p % 3)));
    hand = rot90(hand);
  }
  // One turn: the top row becomes the left column read upwards.
  const one = renderRows(split({ rotations: Uint8Array.of(1, 0, 0) }), plain, [0]);
  close([one[0], one[3], one[6]], [at(0, 2), at(0, 1), at(0, 0)]);
});

test('flip mirrors columns and a crop shift moves the image with zero fill', () => {
  const flipped = renderRows(split(), plain, [0], { flips: Uint8Array.of(1) });
  close(flipped, Array.from({ length: 9 }, (_, p) => u8(0, Math.floor(p / 3) * 3 + (2 - (p % 3))) / 255));
  // dy = 1, dx = −1: output (y, x) reads input (y + 1, x − 1).
  const shifted = renderRows(split(), plain, [0], { shifts: Int8Array.of(1, -1) });
  const want = Array.from({ length: 9 }, (_, p) => {
    const y = Math.floor(p / 3) + 1;
    const x = (p % 3) - 1;
    return y < 3 && x >= 0 ? u8(0, y * 3 + x) / 255 : 0;
  });
  close(shifted, want);
});

test('pixel permutation: output position p takes position perm[p]', () => {
  const perm = Int32Array.of(8, 7, 6, 5, 4, 3, 2, 1, 0);
  const x = renderRows(split(), { ...plain, pixelPermutation: perm }, [1]);
  close(x, Array.from({ length: 9 }, (_, p) => u8(1, perm[p]) / 255));
});

test('a transform that does not fit the source is rejected with advice', () => {
  assert.throws(() => renderRows(split(), { ...plain, outputShape: [4, 4, 1] }, [0]), (e: Error) => e instanceof InvalidArgumentError && /Set pad/.test(e.message));
  assert.throws(() => renderRows(split(), { ...plain, pixelPermutation: Int32Array.of(0, 1) }, [0]), /pixelPermutation has 2 entries/);
});
