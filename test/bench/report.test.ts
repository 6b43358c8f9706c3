import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compare, formatTable, summarizeReps } from '../../bench/report';
import type { Workload } from '../../bench/workloads/types';

const workload = (name: string, unmaskedOf?: string): Workload =>
  ({ name, title: name, unit: 'samples/s', batch: 64, unmaskedOf, prepare: async () => { throw new Error('not run'); } }) as Workload;

/** Repetitions of 100 samples taking these milliseconds. */
const reps = (ms: number[]) => ms.map((m) => ({ samples: 100, ms: m }));

test('the masked/unmasked ratio is the median over interleaved repetition pairs, so drift shared by a pair cancels', () => {
  const plain = workload('mlp');
  const masked = workload('mlp-wsn', 'mlp');
  // The machine slows down 2× over the run; each masked rep takes 1.1× its paired plain rep.
  const plainMs = [10, 12, 14, 16, 20];
  const results = new Map([
    ['mlp', summarizeReps(plain, reps(plainMs), plainMs, 0, 'mlp-wsn')],
    ['mlp-wsn', summarizeReps(masked, reps(plainMs.map((m) => 1.1 * m)), plainMs, 0, 'mlp')],
  ]);
  const [row] = compare([plain, masked], results, new Map()).masked;
  assert.ok(Math.abs(row.ratio - 1.1) < 1e-12, `ratio ${row.ratio}`);
  assert.deepEqual(row.pairs && { n: row.pairs.n }, { n: 5 });
  assert.ok(row.met);
  assert.match(formatTable([], [row], results), /1\.10× \[1\.10–1\.10\] over 5 pairs/);

  // Measured separately (not interleaved): the ratio of the median throughputs, no pair range.
  const separate = new Map([
    ['mlp', summarizeReps(plain, reps([10, 10, 10]), [10, 10, 10], 0)],
    ['mlp-wsn', summarizeReps(masked, reps([13, 13, 13]), [13, 13, 13], 0)],
  ]);
  const [apart] = compare([plain, masked], separate, new Map()).masked;
  assert.ok(Math.abs(apart.ratio - 1.3) < 1e-12);
  assert.equal(apart.pairs, undefined);
  assert.equal(apart.met, false);
  assert.match(formatTable([], [apart], separate), /medians of separate runs/);
});
