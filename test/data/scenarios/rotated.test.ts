import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rotated } from '../../../src/data/scenarios/rotated';
import { renderRows } from '../../../src/data/render-rows';
import { tinySet } from '../tiny-data';

// 6 characters × 5 drawings each (labels interleaved), 3×3 images.
const set = tinySet({ count: 30, numClasses: 6, size: 3 });

test('each class holds its drawings in all 4 rotations, split 75/25 per class', () => {
  const s = rotated(set, { numTasks: 2, classesPerTask: 3, drawingsPerClass: 4 });
  assert.equal(s.tasks.length, 2);
  for (const t of s.tasks) {
    assert.equal(t.headWidth, 3);
    // 4 drawings × 4 rotations = 16 per class: 12 train, 4 test.
    assert.equal(t.train.count, 36);
    assert.equal(t.test.count, 12);
    assert.equal(t.val, t.train); // the paper validates on the training set
    const seen = new Map<string, number>();
    for (const sp of [t.train, t.test]) {
      for (let i = 0; i < sp.count; i++) {
        const row = sp.indices[i];
        assert.equal(sp.targets[i], set.labels[row] - t.classes[0]);
        seen.set(`${row}/${sp.rotations![i]}`, sp.targets[i]);
      }
    }
    assert.equal(seen.size, 48); // every (drawing, rotation) exactly once
    for (const key of seen.keys()) {
      const row = key.split('/')[0];
      for (let r = 0; r < 4; r++) assert.equal(seen.get(`${row}/${r}`), seen.get(key));
    }
  }
});

test('rotated pixels equal a hand rotation of the stored drawing', () => {
  const s = rotated(set, { numTasks: 1, classesPerTask: 6, drawingsPerClass: 5 });
  const sp = s.tasks[0].train;
  const i = Array.from(sp.rotations!).indexOf(1);
  const x = renderRows(sp, s.tasks[0].transform, [i]);
  const img = (y: number, xx: number) => set.images[sp.indices[i] * 9 + y * 3 + xx] / 255;
  for (let y = 0; y < 3; y++) for (let xx = 0; xx < 3; xx++) assert.ok(Math.abs(x[y * 3 + xx] - img(xx, 2 - y)) < 1e-6);
});

test('seeded: same seed same split, different seed different', () => {
  const a = rotated(set, { numTasks: 1, classesPerTask: 6, drawingsPerClass: 5, seed: 1 }).tasks[0].train;
  const b = rotated(set, { numTasks: 1, classesPerTask: 6, drawingsPerClass: 5, seed: 1 }).tasks[0].train;
  const c = rotated(set, { numTasks: 1, classesPerTask: 6, drawingsPerClass: 5, seed: 2 }).tasks[0].train;
  assert.deepEqual([a.indices, a.rotations], [b.indices, b.rotations]);
  assert.notDeepEqual([a.indices, a.rotations], [c.indices, c.rotations]);
});

test('too few classes or drawings are explained', () => {
  assert.throws(() => rotated(set, { numTasks: 3, classesPerTask: 3 }), /3 tasks × 3 classes need 9 classes; "tiny" has 6/);
  assert.throws(() => rotated(set, { numTasks: 1, classesPerTask: 6, drawingsPerClass: 6 }), /has 5 images; drawingsPerClass is 6/);
});
