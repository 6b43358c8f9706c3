import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AccuracyMatrixBuilder,
  averageAccuracy,
  averageAccuracyCurve,
  averageForgetting,
  backwardTransfer,
  finalAccuracies,
  forgetting,
  forwardTransfer,
} from '../../src/metrics/index';
import { InvalidArgumentError, ShapeMismatchError } from '../../src/errors';

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

// A 3-task run by hand: task 0 drops 90 → 85 → 70, task 1 drops 94 → 88.
const matrix = [[90], [85, 94], [70, 88, 96]];

test('ACC is the mean of the last row', () => {
  close(averageAccuracy(matrix), (70 + 88 + 96) / 3);
  assert.deepEqual(finalAccuracies(matrix), [70, 88, 96]);
  assert.deepEqual(averageAccuracyCurve(matrix), [90, 89.5, (70 + 88 + 96) / 3]);
});

test('BWT averages final minus just-trained accuracy over all but the last task, in percent or fraction', () => {
  close(backwardTransfer(matrix), ((70 - 90) + (88 - 94)) / 2); // -13
  close(backwardTransfer(matrix, { unit: 'fraction' }), -0.13);
});

test('BWT is exactly 0 for a forget-free run', () => {
  assert.equal(backwardTransfer([[97.5], [97.5, 96.25], [97.5, 96.25, 95]]), 0);
});

test('forgetting takes the best earlier accuracy minus the final one, per task', () => {
  assert.deepEqual(forgetting([[90], [95, 80], [70, 85, 92]]), [25, -5]);
  close(averageForgetting([[90], [95, 80], [70, 85, 92]]), 10);
  assert.deepEqual(forgetting(matrix, { unit: 'fraction' }), [0.2, 0.06]);
  assert.deepEqual(forgetting([[90]]), []);
});

test('FWT compares the diagonal with a reference accuracy per task', () => {
  close(forwardTransfer(matrix, [91, 93, 93]), ((90 - 91) + (94 - 93) + (96 - 93)) / 3);
  close(forwardTransfer(matrix, [91, 93, 93], { unit: 'fraction' }), 0.01);
  assert.throws(() => forwardTransfer(matrix, [91, 93]), ShapeMismatchError);
  assert.throws(() => forwardTransfer(matrix, [91, NaN, 93]), /reference\[1\].*NaN/);
});

test('ragged rows and NaN are rejected with a message naming the entry', () => {
  assert.throws(() => averageAccuracy([[90], [85]]), (e: Error) => e instanceof ShapeMismatchError && /row 1.*2 accuracies/.test(e.message));
  assert.throws(() => averageAccuracy([[90], [85, 94, 3]]), ShapeMismatchError);
  assert.throws(() => backwardTransfer([[90], [NaN, 94]]), (e: Error) => e instanceof InvalidArgumentError && /A\[1\]\[0\].*NaN/.test(e.message));
  assert.throws(() => averageAccuracy([[0.9]].map(() => [190])), /0–100/);
  assert.throws(() => averageAccuracy([]), InvalidArgumentError);
});

test('BWT with a single task is an error, not NaN', () => {
  assert.throws(() => backwardTransfer([[90]]), /at least 2 trained tasks/);
  assert.throws(() => averageForgetting([[90]]), /at least 2 trained tasks/);
});

test('an unknown unit is rejected', () => {
  assert.throws(() => backwardTransfer(matrix, { unit: 'points' as never }), /Unknown unit "points"/);
});

test('the builder takes one full row of fresh evaluations per trained task', async () => {
  const b = new AccuracyMatrixBuilder(3);
  b.recordTask([90]);
  assert.throws(() => b.recordTask([85]), ShapeMismatchError); // a row must re-evaluate every task
  b.recordTask([85, 94]);
  const calls: number[] = [];
  const row = await b.evaluateTask(async (task) => {
    calls.push(task);
    return [70, 88, 96][task];
  });
  assert.deepEqual(calls, [0, 1, 2]);
  assert.deepEqual(row, [70, 88, 96]);
  assert.deepEqual(b.toMatrix(), matrix);
  assert.equal(b.trainedTasks, 3);
  assert.throws(() => b.recordTask([1, 2, 3, 4]), /all 3 planned tasks/);
  assert.ok(Object.isFrozen(b.toMatrix()[0]));
});

test('the builder copies rows so later edits to the caller array do not leak in', () => {
  const b = new AccuracyMatrixBuilder();
  const row = [90];
  b.recordTask(row);
  row[0] = 10;
  assert.deepEqual(b.toMatrix(), [[90]]);
  assert.throws(() => new AccuracyMatrixBuilder().toMatrix(), /no task recorded/);
  assert.throws(() => new AccuracyMatrixBuilder(0), /numTasks/);
});
