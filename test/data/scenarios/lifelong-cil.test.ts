import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lifelongCil, lifelongCifar10Order } from '../../../src/data/scenarios/lifelong-cil';
import { describeScenario } from '../../../src/data/scenarios/describe-scenario';
import { tinySet, tinySplits } from '../tiny-data';

const data = tinySplits(500, 100, 10, { size: 4, channels: 3, name: 'cifar10' });
const pool = tinySet({ count: 60, numClasses: 1, size: 4, channels: 3, name: 'pool' });

test('code class order, targets re-indexed by position, per-class val/test, exemplars of own classes', () => {
  const s = lifelongCil(data, { exemplarsPerClass: 10, unlabeled: pool, unlabeledCount: 50, seed: 4 });
  assert.equal(s.kind, 'class-il');
  assert.deepEqual(s.tasks.map((t) => t.classes), [[9, 8], [7, 1], [5, 0], [3, 4], [6, 2]]);
  assert.deepEqual(s.tasks[0].transform.normalization, { mean: [0.4914, 0.4822, 0.4465], std: [0.2023, 0.1994, 0.201] });
  for (const t of s.tasks) {
    assert.equal(t.headWidth, 2);
    // 50 train images per class: 5 val, 45 train; exemplars ⊂ train.
    assert.deepEqual([t.train.count, t.val.count, t.test.count, t.exemplars!.count], [90, 10, 20, 20]);
    const trainRows = new Set(t.train.indices);
    assert.ok(Array.from(t.exemplars!.indices).every((r) => trainRows.has(r)));
    assert.ok(Array.from(t.val.indices).every((r) => !trainRows.has(r)));
    for (const sp of [t.train, t.val, t.test, t.exemplars!]) {
      for (let i = 0; i < sp.count; i++) assert.equal(sp.targets[i], lifelongCifar10Order.indexOf(sp.source.labels[sp.indices[i]]));
    }
  }
  assert.equal(s.unlabeled!.count, 50);
  assert.ok(Array.from(s.unlabeled!.targets).every((y) => y === -1));
  assert.equal(describeScenario(s)[2].exemplars, 20);
});

test('exemplars and hold-outs are fixed by the seed', () => {
  const a = lifelongCil(data, { exemplarsPerClass: 5, seed: 1 });
  const b = lifelongCil(data, { exemplarsPerClass: 5, seed: 1 });
  const c = lifelongCil(data, { exemplarsPerClass: 5, seed: 2 });
  assert.deepEqual(a.tasks.map((t) => t.exemplars!.indices), b.tasks.map((t) => t.exemplars!.indices));
  assert.notDeepEqual(a.tasks.map((t) => t.exemplars!.indices), c.tasks.map((t) => t.exemplars!.indices));
});

test('too many exemplars or a bad task count are explained', () => {
  assert.throws(() => lifelongCil(data, { exemplarsPerClass: 46 }), /class 9 has 45 training images after validation; exemplarsPerClass is 46/);
  assert.throws(() => lifelongCil(data, { numTasks: 3 }), /numTasks must divide the 10 classes of "cifar10"; got 3/);
  assert.throws(() => lifelongCil(data, { valFraction: -0.1 }), /valFraction must be in \[0, 1\)/);
});
