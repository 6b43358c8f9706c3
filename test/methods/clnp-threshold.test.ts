import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gracefulThreshold, thresholdCandidates } from '../../src/methods/graceful-threshold';
import { InvalidArgumentError } from '../../src/errors';
import { Rng } from '../../src/random';

/** Largest θ among all candidates whose accuracy is within the margin (the definition). */
async function exhaustive(activities: number[], accuracyAt: (theta: number) => number, margin: number): Promise<number> {
  const thetas = thresholdCandidates(activities);
  const floor = accuracyAt(thetas[0]) - margin;
  let best = thetas[0];
  for (const theta of thetas) if (accuracyAt(theta) >= floor) best = theta;
  return best;
}

test('candidates are the sorted distinct activities followed by +Infinity', () => {
  assert.deepEqual(thresholdCandidates([0.3, 0, 0.3, 1]), [0, 0.3, 1, Number.POSITIVE_INFINITY]);
  assert.deepEqual(thresholdCandidates([]), [Number.POSITIVE_INFINITY]);
});

test('bisection returns the largest θ within the margin, as an exhaustive search does, on monotone accuracy', async () => {
  const rng = new Rng(5);
  for (let trial = 0; trial < 200; trial++) {
    const n = 1 + rng.int(60);
    // Ties on purpose: activities on a coarse grid.
    const activities = Array.from({ length: n }, () => Math.round(rng.uniform(0, 1) * 20) / 20);
    // Each distinct group costs a random accuracy drop when pruned: monotone non-increasing.
    const thetas = thresholdCandidates(activities);
    const drops = thetas.map(() => (rng.next() < 0.6 ? 0 : rng.uniform(0, 3)));
    const accuracyAt = (theta: number): number => {
      let acc = 90;
      for (let k = 0; k < thetas.length - 1 && thetas[k] < theta; k++) acc -= drops[k];
      return acc;
    };
    const margin = rng.uniform(0, 5);
    const choice = await gracefulThreshold(activities, accuracyAt, { marginPoints: margin });
    assert.equal(choice.theta, await exhaustive(activities, accuracyAt, margin), `trial ${trial}`);
    assert.equal(choice.accuracy, accuracyAt(choice.theta));
    assert.equal(choice.baselineAccuracy, 90);
    // O(log n): baseline, all-pruned, then ⌈log₂ n⌉ midpoints at most.
    assert.ok(choice.evaluations <= 2 + Math.ceil(Math.log2(thetas.length)), `${choice.evaluations} evaluations for ${thetas.length - 1} groups`);
  }
});

test('pruning everything is chosen (θ = +Infinity) when it costs nothing', async () => {
  const choice = await gracefulThreshold([0.2, 0.4], () => 75, { marginPoints: 0 });
  assert.equal(choice.theta, Number.POSITIVE_INFINITY);
  assert.equal(choice.prunedGroups, 2);
  assert.equal(choice.evaluations, 2);
});

test('a zero margin prunes only groups that cost nothing', async () => {
  // Pruning the 0-activity group is free; the 0.5 group costs a point.
  const accuracyAt = (theta: number): number => (theta <= 0.5 ? 80 : 79);
  const choice = await gracefulThreshold([0, 0, 0.5, 0.9], accuracyAt, { marginPoints: 0 });
  assert.equal(choice.theta, 0.5);
  assert.equal(choice.prunedGroups, 1);
});

test('non-monotone accuracy still yields a θ within the margin at a pass/fail boundary', async () => {
  // A dip at k = 2 and recovery at k = 3: bisection may stop before the dip (documented).
  const table = new Map<number, number>([[0.1, 90], [0.2, 90], [0.3, 80], [0.4, 90], [0.5, 70], [Number.POSITIVE_INFINITY, 10]]);
  const accuracyAt = (theta: number): number => table.get(theta)!;
  const choice = await gracefulThreshold([0.1, 0.2, 0.3, 0.4, 0.5], accuracyAt, { marginPoints: 1 });
  assert.ok(choice.accuracy >= 89, `accuracy ${choice.accuracy} within the margin`);
  const thetas = thresholdCandidates([0.1, 0.2, 0.3, 0.4, 0.5]);
  const next = thetas[thetas.indexOf(choice.theta) + 1];
  assert.ok(accuracyAt(next) < 89, 'the next candidate fails');
});

test('a negative, non-finite or too large margin is refused with advice', async () => {
  for (const bad of [-0.5, Number.NaN, 101]) {
    await assert.rejects(gracefulThreshold([0.1], () => 50, { marginPoints: bad }), (e: unknown) => {
      assert.ok(e instanceof InvalidArgumentError);
      assert.match((e as Error).message, /gracefulThreshold: marginPoints must be in \[0, 100\]/);
      return true;
    });
  }
  await assert.rejects(gracefulThreshold([0.1, Number.NaN], () => 50, { marginPoints: 1 }), /NaN/);
});
