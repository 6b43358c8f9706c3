import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classSplit } from '../../../src/data/scenarios/class-split';
import { taskSplit } from '../../../src/data/scenarios/task-split';
import { describeScenario } from '../../../src/data/scenarios/describe-scenario';
import { InvalidArgumentError } from '../../../src/errors';
import { tinySplits } from '../tiny-data';

const data = tinySplits(400, 100, 20);
const labelOf = (split: { source: { labels: Int32Array }; indices: Int32Array }, i: number) => split.source.labels[split.indices[i]];

test('task split: disjoint classes, local labels 0..k−1, split sizes', () => {
  const s = taskSplit(data, { numTasks: 4, classOrder: 'seeded', seed: 5 });
  assert.equal(s.kind, 'task-il');
  const all = s.tasks.flatMap((t) => t.classes);
  assert.equal(new Set(all).size, 20);
  for (const t of s.tasks) {
    assert.equal(t.headWidth, 5);
    for (const sp of [t.train, t.val, t.test]) {
      for (let i = 0; i < sp.count; i++) assert.equal(sp.targets[i], t.classes.indexOf(labelOf(sp, i)));
    }
    // 5 % random validation of 100 training rows: 5 val, 95 train; 25 test rows.
    assert.deepEqual([t.train.count, t.val.count, t.test.count], [95, 5, 25]);
    const trainRows = new Set(t.train.indices);
    assert.ok(Array.from(t.val.indices).every((r) => !trainRows.has(r)));
  }
});

test('task split with global labels keeps the class id and a head over all classes', () => {
  const s = taskSplit(data, { numTasks: 2, labels: 'global' });
  const t = s.tasks[1];
  assert.equal(t.headWidth, 20);
  for (let i = 0; i < t.test.count; i++) assert.equal(t.test.targets[i], labelOf(t.test, i));
});

test('class split: global targets by position in the class order', () => {
  const order = [19, 3, 7, 0, 1, 2, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
  const s = classSplit(data, { numTasks: 5, classOrder: order });
  assert.equal(s.kind, 'class-il');
  assert.deepEqual(s.tasks[0].classes, [19, 3, 7, 0]);
  for (const t of s.tasks) {
    assert.equal(t.headWidth, 4);
    for (let i = 0; i < t.train.count; i++) assert.equal(t.train.targets[i], order.indexOf(labelOf(t.train, i)));
    // 10 % per class: 2 of 20 rows per class.
    assert.equal(t.val.count, 8);
  }
});

test('same seed gives identical tasks, a different seed different ones', () => {
  const a = classSplit(data, { classOrder: 'seeded', seed: 1 });
  const b = classSplit(data, { classOrder: 'seeded', seed: 1 });
  const c = classSplit(data, { classOrder: 'seeded', seed: 2 });
  assert.deepEqual(a.tasks.map((t) => [t.classes, t.train.indices, t.val.indices]), b.tasks.map((t) => [t.classes, t.train.indices, t.val.indices]));
  assert.notDeepEqual(a.tasks.map((t) => t.classes), c.tasks.map((t) => t.classes));
});

test('validation policies: first fraction unshuffled, none, train', () => {
  const first = taskSplit(data, { numTasks: 1, validation: { kind: 'first-fraction', fraction: 0.1 } }).tasks[0];
  assert.deepEqual(Array.from(first.val.indices), Array.from({ length: 40 }, (_, i) => i));
  const none = taskSplit(data, { numTasks: 1, validation: { kind: 'none' } }).tasks[0];
  assert.equal(none.val.count, 0);
  assert.equal(none.train.count, 400);
  const onTrain = taskSplit(data, { numTasks: 1, validation: { kind: 'train' } }).tasks[0];
  assert.equal(onTrain.val, onTrain.train);
});

test('bad inputs give clear errors', () => {
  assert.throws(() => taskSplit(data, { numTasks: 7 }), (e: Error) => e instanceof InvalidArgumentError && e.message === 'taskSplit: numTasks must divide the 20 classes of "tiny"; got 7. Try 2, 4, 5 or 10.');
  assert.throws(() => classSplit(data, { validation: { kind: 'random-fraction', fraction: 1.5 } }), /validation.fraction must be in \(0, 1\); got 1.5/);
  assert.throws(() => classSplit(data, { classOrder: [0, 1, 2] }), /classOrder must be a permutation of the 20 class ids/);
  assert.throws(() => taskSplit(data, { normalization: 'mnsit' as never }), /Unknown normalization "mnsit"/);
});

test('describeScenario gives one plain row per task', () => {
  const rows = describeScenario(taskSplit(data, { numTasks: 4, normalization: 'mnist' }));
  assert.equal(rows.length, 4);
  assert.deepEqual(
    { ...rows[0], transform: undefined },
    { task: 0, name: 'classes 0, 1, 2, 3, 4', classes: '0, 1, 2, 3, 4', numClasses: 5, train: 95, val: 5, test: 25, headWidth: 5, exemplars: 0, transform: undefined },
  );
  assert.match(rows[0].transform, /4x4x1, mean 0.1307 std 0.3081/);
});
