import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accuracyHeatmapFigure,
  accuracyLinesFigure,
  capacityFigure,
  densityAccuracyFigure,
  overlapHeatmapFigure,
  type PlotlyFigure,
} from '../../src/viz/index';
import { finalAccuracies, maskOverlap, maskReuse } from '../../src/metrics/index';
import { ShapeMismatchError, UnknownNameError } from '../../src/errors';

const u8 = (...v: number[]): Uint8Array => Uint8Array.from(v);
const plain = (fig: PlotlyFigure): void => assert.deepEqual(JSON.parse(JSON.stringify(fig)), fig, 'figure must be plain JSON');
const axisTitle = (fig: PlotlyFigure, axis: 'xaxis' | 'yaxis'): unknown => (fig.layout[axis] as { title: { text: string } }).title.text;

test('accuracy heatmap snapshot: lower triangle, null above, 1-based tasks, annotated cells', () => {
  const fig = accuracyHeatmapFigure([[90], [85, 94.25]], { title: 'A' });
  plain(fig);
  assert.deepEqual(fig.data, [
    {
      type: 'heatmap',
      x: [1, 2],
      y: [1, 2],
      z: [[90, null], [85, 94.25]],
      zmin: 0,
      zmax: 100,
      colorscale: 'Viridis',
      colorbar: { title: { text: 'accuracy (%)' } },
      hovertemplate: 'after task %{y}<br>task %{x}: %{z:.2f}%<extra></extra>',
    },
  ]);
  assert.deepEqual(fig.layout.title, { text: 'A' });
  assert.equal(axisTitle(fig, 'xaxis'), 'evaluated task');
  assert.equal(axisTitle(fig, 'yaxis'), 'after training task');
  assert.equal((fig.layout.yaxis as Record<string, unknown>).autorange, 'reversed');
  const notes = fig.layout.annotations as { x: number; y: number; text: string }[];
  assert.deepEqual(notes.map((a) => [a.x, a.y, a.text]), [[1, 1, '90.0'], [1, 2, '85.0'], [2, 2, '94.3']]);
  assert.throws(() => accuracyHeatmapFigure([[90], [85]]), ShapeMismatchError);
});

test('accuracy lines: one scatter trace per method with optional error bars', () => {
  const fig = accuracyLinesFigure([
    { name: 'finetune', y: finalAccuracies([[90], [70, 95]]) },
    { name: 'wsn', y: [95, 96], error: [0.1, 0.2] },
  ]);
  plain(fig);
  assert.deepEqual(fig.data.map((t) => [t.type, t.mode, t.name, t.x, t.y]), [
    ['scatter', 'lines+markers', 'finetune', [1, 2], [70, 95]],
    ['scatter', 'lines+markers', 'wsn', [1, 2], [95, 96]],
  ]);
  assert.deepEqual(fig.data[1].error_y, { type: 'data', array: [0.1, 0.2], visible: true });
  assert.equal(fig.data[0].error_y, undefined);
  assert.equal(axisTitle(fig, 'xaxis'), 'task');
  assert.equal(axisTitle(fig, 'yaxis'), 'accuracy (%)');
  assert.throws(() => accuracyLinesFigure([]), /at least one series/);
  assert.throws(() => accuracyLinesFigure([{ name: 'x', y: [1, NaN] }]), /series\[0\] \("x"\)\.y\[1\].*NaN/);
  assert.throws(() => accuracyLinesFigure([{ name: 'x', y: [1], error: [1, 2] }]), ShapeMismatchError);
});

test('density scatter groups points by method and plots percent of weights kept or removed', () => {
  const points = [
    { method: 'wsn', density: 0.13, accuracy: 94.84, label: 'c=0.03' },
    { method: 'packnet', density: 0.9, accuracy: 96.37 },
    { method: 'wsn', density: 0.5, accuracy: 96.41, label: 'c=0.3' },
  ];
  const fig = densityAccuracyFigure(points);
  plain(fig);
  assert.equal(fig.data.length, 2);
  assert.deepEqual(fig.data.map((t) => [t.type, t.name, t.mode]), [['scatter', 'wsn', 'markers+text'], ['scatter', 'packnet', 'markers']]);
  assert.deepEqual(fig.data[0].x, [13, 50]);
  assert.deepEqual(fig.data[0].text, ['c=0.03', 'c=0.3']);
  assert.equal(axisTitle(fig, 'xaxis'), 'density (% of weights kept)');
  const sparse = densityAccuracyFigure(points, { x: 'sparsity', logX: true });
  assert.ok(Math.abs((sparse.data[1].x as number[])[0] - 10) < 1e-9);
  assert.equal((sparse.layout.xaxis as Record<string, unknown>).type, 'log');
  assert.equal(axisTitle(sparse, 'xaxis'), 'sparsity (% of weights removed)');
  assert.throws(() => densityAccuracyFigure([{ method: 'a', density: 13, accuracy: 90 }]), /density must be a fraction in \[0, 1\]; got 13/);
});

test('capacity figure: used or free percent per layer after each task, plus all layers', () => {
  const reuse = maskReuse([
    { a: u8(1, 1, 0, 0), b: u8(1, 0) },
    { a: u8(0, 1, 1, 0), b: u8(0, 1) },
  ]);
  const fig = capacityFigure(reuse);
  plain(fig);
  assert.deepEqual(fig.data.map((t) => [t.type, t.name, t.x, t.y]), [
    ['scatter', 'a', [1, 2], [50, 75]],
    ['scatter', 'b', [1, 2], [50, 100]],
    ['scatter', 'all layers', [1, 2], [50, 100 * (5 / 6)]],
  ]);
  assert.equal(axisTitle(fig, 'yaxis'), 'weights used by any task (%)');
  const free = capacityFigure(reuse, { show: 'free', layers: ['b'], includeTotal: false });
  assert.deepEqual(free.data.map((t) => t.y), [[50, 0]]);
  assert.equal(axisTitle(free, 'yaxis'), 'weights still free (%)');
  assert.throws(() => capacityFigure(reuse, { layers: ['c'] }), UnknownNameError);
});

test('overlap heatmap shows the IoU matrix with values in [0, 1]', () => {
  const iou = maskOverlap([{ a: u8(1, 1, 0) }, { a: u8(0, 1, 1) }]);
  const fig = overlapHeatmapFigure(iou);
  plain(fig);
  assert.equal(fig.data[0].type, 'heatmap');
  assert.deepEqual(fig.data[0].z, [[1, 1 / 3], [1 / 3, 1]]);
  assert.equal(fig.data[0].zmax, 1);
  assert.deepEqual((fig.layout.annotations as { text: string }[]).map((a) => a.text), ['1.00', '0.33', '0.33', '1.00']);
  assert.equal(axisTitle(fig, 'xaxis'), 'task');
  assert.throws(() => overlapHeatmapFigure([[1, 0.5]]), ShapeMismatchError);
  assert.throws(() => overlapHeatmapFigure([[1.5]]), /iou\[0\]\[0\] must be in \[0, 1\]/);
});
