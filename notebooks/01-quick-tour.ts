// %% [markdown]
// # 01 · Quick tour: one winning subnetwork per task
//
// **Papers.** Kang et al., *Forget-free Continual Learning with Winning Subnetworks* (WSN,
// ICML 2022), building on Frankle & Carbin, *The Lottery Ticket Hypothesis* (ICLR 2019). The
// lifelong-ticket notebooks follow Chen et al., *Long Live the Lottery* (ICLR 2021).
//
// **What this tour shows**, one step per cell: which compute backend TicketLab picked; a
// Permuted-MNIST-style scenario as a table; the masked 784-100-100 MLP of WSN Table 1 and its
// parameters; WSN learning task 1 with a live progress display; task 2 on top of it; the
// accuracy matrix with ACC, BWT and CAP; a Plotly figure and an Arquero table.
//
// **What to expect.** WSN freezes every weight an earlier task selected, so the accuracy on
// task 1 after learning task 2 equals the accuracy right after task 1: **BWT = 0 exactly**, and
// task 1's logits are bit-identical. With c = 0.1 each task selects 10 % of every layer; two
// tasks use at most 20 % of the body, so the union density is ≤ 0.2 and CAP is about
// 100·(union density + 0.22·T/32) %, far below the 200 % of two separate networks. The paper's
// full PMNIST run (10 tasks, c = 0.1) reports ACC 96.14 ± 0.03 %, CAP 40.41 %, BWT 0 (Table 1).
// In quick mode on the offline glyphs (2 000 images per task, 3 epochs, seed 0) we measured
// 74.6 % and 72.2 % on the two tasks, ACC 73.4 %, union density 0.15, CAP 16.4 %: the point
// is the mechanics, not the number.

// %%
// The whole configuration of this notebook. TICKETLAB_NOTEBOOK_MODE=quick (the test suite and
// `scripts/notebooks/run.ts`) shrinks it to run in about a minute on 2 cores.
const mode: 'paper' | 'quick' = process.env.TICKETLAB_NOTEBOOK_MODE === 'quick' ? 'quick' : 'paper';
const quick = mode === 'quick';
const config = {
  mode: mode,
  /** Folder holding `mnist/` with the four official IDX files; without it the offline glyphs are used. */
  dataDir: process.env.TICKETLAB_DATA_DIR ?? '../data',
  seed: 0,
  /** Tasks to learn (the paper runs 10; two are enough to see forget-free learning). */
  numTasks: 2,
  /** c: fraction of every layer's weights a task selects (paper grid 0.03 … 0.5). */
  keepFraction: 0.1,
  /** Images per task before the 10 % validation split, and test images per task. */
  trainImages: quick ? 2_000 : 60_000,
  testImages: quick ? 500 : 10_000,
  /** Per-task training (WSN's PMNIST protocol in paper mode: 5 epochs, batch 10, Adam 1e-3). */
  epochs: quick ? 3 : 5,
  batchSize: quick ? 32 : 10,
  learningRate: 1e-3,
};
config

// %% [markdown]
// ## 1. Backend
//
// TicketLab picks the fastest tfjs backend that works here, GPU first (`node-gpu`, `node`,
// `webgpu`, then `wasm` with TicketLab's own training kernels, then pure `cpu`). The kernel
// already called `initBackend()` when it started; calling it again returns the same report.
// Look for the chosen backend, its thread count and why faster ones were skipped.

// %%
import { initBackend, formatBackendReport } from 'ticketlab';
const backend = await initBackend();
console.log(formatBackendReport(backend));

// %% [markdown]
// ## 2. A scenario: permuted pixels
//
// A *dataset* says where images come from; a *scenario* says how they become tasks. In
// Permuted MNIST every task holds all ten digits under its own fixed pixel permutation, and
// each task has its own 10-way head (task-incremental). If `dataDir/mnist` holds MNIST we use
// it (the first `trainImages` / `testImages` images); otherwise procedurally generated
// 28×28 glyphs (`offlineGrey`) stand in, and a banner says so. Look at the table: same
// classes in every task, a `permuted` transform, 10 % of train held out for validation.

// %%
import * as path from 'path';
import * as aq from 'arquero';
import { display, table } from 'ticketlab/kernel';
import { DatasetNotFoundError, describeScenario, loadMnist, offlineGrey, permuted, type DatasetSplits, type ImageSet } from 'ticketlab';

/** The first `n` images of a set (typed-array views, no copy). */
function firstImages(set: ImageSet, n: number): ImageSet {
  const count = Math.min(n, set.count);
  const pixels = set.height * set.width * set.channels;
  return { ...set, count: count, images: set.images.subarray(0, count * pixels), labels: set.labels.subarray(0, count) };
}

const mnistDir = path.join(config.dataDir, 'mnist');
let data: DatasetSplits;
let dataSource: string;
try {
  const mnist = await loadMnist(mnistDir);
  data = { train: firstImages(mnist.train, config.trainImages), test: firstImages(mnist.test, config.testImages) };
  dataSource = `MNIST from ${path.resolve(mnistDir)}`;
} catch (e) {
  if (!(e instanceof DatasetNotFoundError)) throw e;
  data = offlineGrey({ seed: config.seed, trainCount: config.trainImages, testCount: config.testImages });
  dataSource = 'offline glyphs (offlineGrey)';
  display({
    'text/html':
      '<div style="border:2px solid #d97706;background:#fffbeb;padding:8px 12px;border-radius:4px">' +
      `<b>Offline benchmark.</b> No MNIST in <code>${path.resolve(mnistDir)}</code>, so this run uses ` +
      'procedurally generated glyphs: accuracies are not comparable with the paper. Put the four IDX ' +
      'files there (or set <code>TICKETLAB_DATA_DIR</code>) and re-run for real digits.</div>',
    'text/plain': `OFFLINE BENCHMARK: no MNIST in ${path.resolve(mnistDir)}; using procedurally generated glyphs.`,
  });
}
const scenario = permuted(data, { numTasks: config.numTasks, seed: config.seed });
console.log(`${scenario.name}: ${scenario.tasks.length} tasks, ${scenario.kind}, input ${scenario.inputShape.join('×')}, data: ${dataSource}`);
table(aq.from(describeScenario(scenario)))

// %% [markdown]
// ## 3. A maskable network
//
// WSN's PMNIST network is a bias-free 784-100-100 MLP with one 10-way head per task. Its two
// body kernels (`fc1`, `fc2`) are *maskable*: WSN learns a real-valued score per weight and a
// task uses only the top-c of each layer. Heads are never masked. Expect 78 400 + 10 000 =
// 88 400 maskable weights.

// %%
import { createNetwork } from 'ticketlab';
const preview = createNetwork('mlp', { seed: config.seed, inputShape: scenario.inputShape, heads: scenario.tasks.map((t) => t.headWidth) });
const paramRows = preview.paramInfo.map((p) => ({
  name: p.name,
  kind: p.kind,
  shape: p.shape.join(' × '),
  weights: p.shape.reduce((a, b) => a * b, 1),
  maskable: p.maskable,
  fanIn: p.fanIn,
}));
preview.dispose(); // the WSN learner below builds its own copy from the same seed
console.log(`maskable weights: ${paramRows.filter((r) => r.maskable).reduce((a, r) => a + r.weights, 0)}`);
table(aq.from(paramRows))

// %% [markdown]
// ## 4. WSN learns task 1, with live progress
//
// `wsn.create` builds the learner (network, one score tensor per maskable kernel); `learnTask`
// runs the paper's protocol: a fresh Adam per task, straight-through top-c masks in the forward
// pass, the plateau rule on the validation loss, the best snapshot restored, and the task's
// mask m₁ = top-c of the scores stored at the end. The progress display updates in place
// (status at most 4 times a second, chart every 2 s); the kernel's stop button ends the task
// cleanly at the next step. We also keep task 1's logits on one test batch to compare later.

// %%
import * as tf from '@tensorflow/tfjs-core';
import { AccuracyMatrixBuilder, batches, evaluateLearner, wsn, type WsnLearner } from 'ticketlab';
import { interrupted, progress } from 'ticketlab/kernel';

const training = {
  epochs: config.epochs, batchSize: config.batchSize, testBatchSize: 64, learningRate: config.learningRate,
  lrMin: 1e-6, patience: 6, augment: false,
};
const wsnOptions = wsn.resolveOptions({ keepFraction: config.keepFraction });
const learner: WsnLearner = wsn.create({ scenario: scenario, architecture: 'mlp', training: training, seed: config.seed }, wsnOptions) as WsnLearner;
const accuracy = new AccuracyMatrixBuilder(config.numTasks);

const live1 = progress({ tasks: config.numTasks, chart: true, title: `WSN c=${config.keepFraction}, task 1` });
const task1 = await learner.learnTask(scenario.tasks[0], { seed: config.seed, onProgress: live1.update, shouldStop: interrupted });
const row1 = await accuracy.evaluateTask((j) => evaluateLearner(learner, scenario.tasks[j], training.testBatchSize));
live1.setAccuracyMatrix(accuracy.toMatrix().map((r) => [...r]));
live1.done();

// Task 1's logits on its first test batch, to check after task 2 that nothing moved.
const probe = batches(scenario.tasks[0].test, scenario.tasks[0].transform, { batchSize: 64 }).next().value!;
probe.y.dispose();
const logitsAfterTask1 = learner.predict(probe.x, 0);
table(aq.from([{ task: 1, epochs: task1.epochs, seconds: task1.seconds, testAccuracy: row1[0], ...task1.details }]), { digits: 3 })

// %% [markdown]
// `taskDensity` should be c = 0.1 and `allocatedWeights` about 10 % of 88 400 = 8 840: the first
// task takes all its weights from the free pool. Test accuracy is task 1's row of the matrix.
//
// ## 5. Task 2 on top of task 1
//
// Task 2 gets its own scores' top-c, may *reuse* weights task 1 selected (frozen, read only),
// and trains only weights that are still free. Look at `reusedWeights` (shared with task 1)
// and `allocatedWeights` (new ones), and at the max |Δ logit| of task 1: it must be 0.

// %%
const live2 = progress({ tasks: config.numTasks, chart: true, title: `WSN c=${config.keepFraction}, task 2` });
const task2 = await learner.learnTask(scenario.tasks[1], { seed: config.seed + 1, onProgress: live2.update, shouldStop: interrupted });
const row2 = await accuracy.evaluateTask((j) => evaluateLearner(learner, scenario.tasks[j], training.testBatchSize));
live2.setAccuracyMatrix(accuracy.toMatrix().map((r) => [...r]));
live2.done();

const logitsAfterTask2 = learner.predict(probe.x, 0);
const maxLogitChange = tf.tidy(() => tf.max(tf.abs(tf.sub(logitsAfterTask2, logitsAfterTask1))).dataSync()[0]);
tf.dispose([logitsAfterTask1, logitsAfterTask2, probe.x]);
console.log(`task 1 after task 2: ${row2[0].toFixed(2)} % (right after task 1: ${row1[0].toFixed(2)} %); max |Δ logit| = ${maxLogitChange}`);
table(aq.from([{ task: 2, epochs: task2.epochs, seconds: task2.seconds, testAccuracy: row2[1], ...task2.details }]), { digits: 3 })

// %% [markdown]
// ## 6. Metrics: accuracy matrix, ACC, BWT, CAP
//
// `A[i][j]` is the test accuracy on task j after training task i (lower triangle). **ACC** is
// the mean of the last row; **BWT** the mean change of old tasks since they were learned (0 for
// WSN); **CAP** the memory of the shared body plus the compressed masks, in % of one dense
// network: measured with our Huffman encoding (α measured) and with the paper's α = 0.78.

// %%
import { averageAccuracy, backwardTransfer, wsnCapacity } from 'ticketlab';
const A = accuracy.toMatrix();
const cap = wsnCapacity(learner.taskMasks());
const metrics = aq.from([
  { metric: 'ACC (%)', value: averageAccuracy(A), meaning: 'mean accuracy over tasks after the last task' },
  { metric: 'BWT (points)', value: backwardTransfer(A), meaning: 'change on old tasks; WSN: exactly 0' },
  { metric: 'CAP (%, α = 0.78)', value: cap.capPaper, meaning: 'paper convention; 2 dense nets = 200 %' },
  { metric: 'CAP (%, measured α)', value: cap.capMeasured, meaning: `our encoding, α = ${cap.alpha.toFixed(3)}` },
  { metric: 'union density', value: cap.unionDensity, meaning: `weights used by any task; ≤ ${config.numTasks} · c` },
]);
display(table(aq.table({ 'after task': A.map((_, i) => i + 1), 'task 1': A.map((r) => r[0]), 'task 2': A.map((r) => r[1] ?? null) }), { digits: 2 }));
table(metrics, { digits: 3 })

// %% [markdown]
// ## 7. Plots and the tidy results table
//
// Figures are Plotly specs built by `src/viz` (no display code there) and shown with
// `plotly()`; they render offline in Jupyter and in exported HTML. The heatmap is the accuracy
// matrix; the capacity plot shows how much of each layer the tasks have used so far (it grows
// sub-linearly when tasks reuse weights).

// %%
import { accuracyHeatmapFigure, capacityFigure, accuracyMatrixRows, resultsTable, runMetricRows } from 'ticketlab';
import { plotly } from 'ticketlab/kernel';
display(plotly(accuracyHeatmapFigure(A, { title: `WSN c=${config.keepFraction}: accuracy matrix (%)` })));
plotly(capacityFigure(learner.diagnostics().reuse, { title: 'Used weights per layer (%)' }))

// %% [markdown]
// The same numbers as one tidy Arquero table (one row per measurement: run, seed, method,
// benchmark, trained task, evaluated task, metric, value): filter, pivot or `toCSV` it.

// %%
const info = { run: 'quick-tour', seed: config.seed, method: `wsn c=${config.keepFraction}`, benchmark: scenario.name };
const results = resultsTable([...accuracyMatrixRows(A, info), ...runMetricRows(A, info, { extra: { cap: cap.capPaper } })]);
learner.dispose();
table(results, { digits: 3 })

// %% [markdown]
// ## Where next
//
// - `runExperiment({ benchmark: 'pmnist', method: 'wsn', seeds: [0, 1, 2] })` runs the whole
//   protocol over seeds with caching and resumable checkpoints.
// - Change `keepFraction` in the config cell and re-run: smaller c means lower CAP and, up to
//   a point, lower accuracy.
