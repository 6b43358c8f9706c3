import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accuracyMatrixRows,
  formatSummary,
  formatTextTable,
  RESULT_COLUMNS,
  resultsTable,
  runMetricRows,
  summarizeResults,
  toCSV,
  type ResultRow,
} from '../../src/metrics/index';

import type { ColumnTable } from 'arquero';

type Obj = Record<string, unknown>;
const objs = (t: ColumnTable): Obj[] => t.objects() as Obj[];
const info = (method: string, seed: number) => ({ run: `${method}-${seed}`, seed, method, benchmark: 'pmnist' });

function rows(): ResultRow[] {
  return [
    ...accuracyMatrixRows([[90], [80, 94]], info('finetune', 0)),
    ...runMetricRows([[90], [80, 94]], info('finetune', 0), { extra: { cap: 100 } }),
    ...runMetricRows([[92], [84, 96]], info('finetune', 1), { extra: { cap: 100 } }),
    ...runMetricRows([[95], [95, 96]], info('wsn', 0), { extra: { cap: 19.875 } }),
  ];
}

test('the tidy table has the documented columns and one accuracy row per matrix entry', () => {
  const t = resultsTable(rows());
  assert.deepEqual(t.columnNames(), [...RESULT_COLUMNS]);
  const acc = objs(t).filter((r) => r.metric === 'accuracy');
  assert.deepEqual(
    acc.map((r) => [r.trainedTask, r.evalTask, r.value]),
    [[0, 0, 90], [1, 0, 80], [1, 1, 94]],
  );
});

test('run-level rows hold ACC, BWT, forgetting and extras with evalTask null', () => {
  const r = runMetricRows([[90], [80, 94]], info('finetune', 0), { extra: { cap: 100 } });
  assert.deepEqual(r.map((x) => [x.metric, x.value, x.trainedTask, x.evalTask]), [
    ['acc', 87, 1, null],
    ['bwt', -10, 1, null],
    ['forgetting', 10, 1, null],
    ['cap', 100, 1, null],
  ]);
  assert.equal(runMetricRows([[90], [80, 94]], info('f', 0), { bwtUnit: 'fraction' })[1].value, -0.1);
  assert.deepEqual(runMetricRows([[90]], info('f', 0)).map((x) => x.metric), ['acc']);
});

test('the summary gives mean and sample std over seeds, or population std on request', () => {
  const s = summarizeResults(resultsTable(rows()));
  const find = (method: string, metric: string) =>
    objs(s).find((r) => r.method === method && r.metric === metric && r.evalTask === null) as unknown as Record<string, number>;
  const acc = find('finetune', 'acc'); // seeds: 87 and 90
  assert.equal(acc.n, 2);
  assert.equal(acc.mean, 88.5);
  assert.ok(Math.abs(acc.std - Math.sqrt(4.5)) < 1e-12); // sample: ((1.5² + 1.5²) / 1)^0.5
  const pop = summarizeResults(resultsTable(rows()), { std: 'population' });
  const accPop = objs(pop).find((r) => r.method === 'finetune' && r.metric === 'acc') as unknown as Record<string, number>;
  assert.equal(accPop.std, 1.5);
  assert.ok(Number.isNaN(find('wsn', 'acc').std)); // one seed: sample std undefined
  assert.deepEqual(s.columnNames(), ['method', 'benchmark', 'metric', 'trainedTask', 'evalTask', 'n', 'mean', 'std']);
});

test('the text summary prints "mean ± std" per method and metric', () => {
  const text = formatSummary(summarizeResults(resultsTable(rows())), { metrics: ['acc', 'bwt', 'cap'], digits: { bwt: 3 } });
  const lines = text.split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines[0], /^method\s+benchmark\s+acc\s+bwt\s+cap$/);
  assert.match(lines[2], /^finetune\s+pmnist\s+88\.50 ± 2\.12\s+-9\.000 ± 1\.414\s+100\.00 ± 0\.00$/);
  assert.match(lines[3], /^wsn\s+pmnist\s+95\.50\s+0\.000\s+19\.88$/);
});

test('CSV export writes the header and null task columns as empty cells', () => {
  const csv = toCSV(resultsTable(runMetricRows([[90]], info('wsn', 3))));
  assert.equal(csv.trim(), 'run,seed,method,benchmark,trainedTask,evalTask,metric,value\nwsn-3,3,wsn,pmnist,0,,acc,90');
});

test('invalid rows are rejected, NaN values included', () => {
  const good = runMetricRows([[90]], info('wsn', 0))[0];
  assert.throws(() => resultsTable([{ ...good, value: NaN }]), /has value NaN; expected a finite number/);
  assert.throws(() => resultsTable([{ ...good, method: '' }]), /method must be a non-empty string/);
  assert.throws(() => resultsTable([{ ...good, evalTask: -1 }]), /evalTask must be a 0-based task index/);
  assert.throws(() => summarizeResults(resultsTable([]).select('run')), /lacks column/);
});

test('text tables align numeric columns right and text columns left', () => {
  assert.equal(formatTextTable(['name', 'x'], [['a', '1.5'], ['bbb', '10.25']]), 'name      x\n----  -----\na       1.5\nbbb   10.25');
  assert.throws(() => formatTextTable(['a'], [['1', '2']]), /row 0 has 2 cells/);
});
