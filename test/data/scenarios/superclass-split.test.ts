import { test } from 'node:test';
import assert from 'node:assert/strict';
import { superclassSplit } from '../../../src/data/scenarios/superclass-split';
import { tinySplits } from '../tiny-data';

// 12 fine classes in 4 superclasses of 3, fine ids scattered: coarse = (7·fine) mod 4.
const coarse = (l: number) => (7 * l) % 4;
const data = tinySplits(240, 60, 12, { coarse });

test('one task per superclass, label = k·task + rank of the fine id inside it, global head', () => {
  const s = superclassSplit(data);
  assert.equal(s.tasks.length, 4);
  for (const [t, task] of s.tasks.entries()) {
    assert.deepEqual(task.classes, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].filter((f) => coarse(f) === t));
    assert.equal(task.headWidth, 12);
    for (const sp of [task.train, task.val, task.test]) {
      for (let i = 0; i < sp.count; i++) {
        const fine = sp.source.labels[sp.indices[i]];
        assert.equal(coarse(fine), t);
        assert.equal(sp.targets[i], 3 * t + task.classes.indexOf(fine));
      }
    }
  }
  assert.deepEqual(s.tasks[0].transform.normalization, { mean: [0], std: [1] });
});

test('local labels and a custom superclass order', () => {
  const s = superclassSplit(data, { labels: 'local', superclassOrder: [3, 2, 1, 0] });
  assert.equal(s.tasks[0].headWidth, 3);
  assert.ok(s.tasks[0].classes.every((f) => coarse(f) === 3));
  assert.ok(Array.from(s.tasks[0].test.targets).every((y) => y >= 0 && y < 3));
});

test('data without coarse labels is rejected', () => {
  assert.throws(() => superclassSplit(tinySplits(20, 10, 4)), /has no coarseLabels/);
});
