import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { batches } from '../../src/data/batches';
import { offlineGrey } from '../../src/data/offline/offline-grey';
import { permuted } from '../../src/data/scenarios/permuted';
import type { Scenario, Task } from '../../src/data/types';
import { clnp, type ClnpLearner } from '../../src/methods/clnp';
import { clnpCapacityFigure, clnpNeuronTable, type ClnpNeuronRow } from '../../src/methods/clnp-diagnostics';
import { evaluateLearner } from '../../src/methods/evaluate-learner';
import type { LearnerSetup, TaskSummary, TrainingSettings } from '../../src/methods/types';

const training: TrainingSettings = { epochs: 2, batchSize: 32, testBatchSize: 64, learningRate: 1e-3, lrMin: 1e-6, patience: 6, augment: false };

function scenarioOf(numTasks: number): Scenario {
  return permuted(offlineGrey({ seed: 1, trainCount: 600, testCount: 200 }), { numTasks, seed: 2 });
}

/** Logits of the whole test split of `task` (one batch), as a host array. */
function testLogits(learner: ClnpLearner, task: Task): Float32Array {
  const [batch] = [...batches(task.test, task.transform, { batchSize: task.test.count })];
  const logits = learner.predict(batch.x, task.index);
  const out = logits.dataSync() as Float32Array;
  tf.dispose([logits, batch.x, batch.y]);
  return Float32Array.from(out);
}

function params(learner: ClnpLearner): Map<string, Float32Array> {
  return new Map([...learner.network.params].map(([name, v]) => [name, Float32Array.from(v.dataSync())]));
}

function activeSets(learner: ClnpLearner): number[][] {
  const state = learner.getState();
  tf.dispose([...state.tensors.values()]);
  return (state.json as { active: number[][] }).active;
}

/** What the shared 3-task run records after each task. */
interface AfterTask {
  logits: Float32Array[]; // per learned task
  accuracy: number[];
  params: Map<string, Float32Array>;
  active: number[][];
  summary: TaskSummary;
  tensors: number;
}

const run = { scenario: undefined as unknown as Scenario, learner: undefined as unknown as ClnpLearner, after: [] as AfterTask[], tensorsAtStart: 0 };

before(async () => {
  await useTestBackend('wasm');
  run.scenario = scenarioOf(3);
  const setup: LearnerSetup = { scenario: run.scenario, architecture: 'mlp', training, seed: 3 };
  run.learner = clnp.create(setup, clnp.resolveOptions({ l1Strength: 1e-4, marginPoints: 2 })) as ClnpLearner;
  run.tensorsAtStart = tf.memory().numTensors;
  for (const task of run.scenario.tasks) {
    const summary = await run.learner.learnTask(task, { seed: 10 + task.index });
    const learned = run.scenario.tasks.slice(0, task.index + 1);
    run.after.push({
      logits: learned.map((t) => testLogits(run.learner, t)),
      accuracy: learned.map((t) => evaluateLearner(run.learner, t)),
      params: params(run.learner),
      active: activeSets(run.learner),
      summary,
      tensors: tf.memory().numTensors,
    });
  }
});

test('old tasks give bit-identical outputs after later tasks (the margin is spent only at their own pruning step)', () => {
  const { after } = run;
  for (let t = 1; t < after.length; t++) {
    for (let j = 0; j < t; j++) {
      const then = after[j].logits[j];
      const now = after[t].logits[j];
      assert.equal(now.length, then.length);
      for (let i = 0; i < now.length; i++) assert.ok(now[i] === then[i], `task ${j} logit ${i} changed after task ${t}`);
      assert.equal(after[t].accuracy[j], after[j].accuracy[j]);
    }
  }
  for (const a of after) {
    const d = a.summary.details!;
    assert.ok(d.valAccuracyPruned >= d.valAccuracyUnpruned - 2, `pruned ${d.valAccuracyPruned} within 2 points of ${d.valAccuracyUnpruned}`);
  }
});

test('weights into active neurons stay frozen and connections from free neurons into active ones and old heads stay zero', () => {
  const { after, learner } = run;
  const layers = ['fc1', 'fc2'];
  for (let t = 1; t < after.length; t++) {
    const prev = after[t - 1];
    const cur = after[t];
    layers.forEach((layer, l) => {
      const name = `${layer}/kernel`;
      const [rows, cols] = learner.network.params.get(name)!.shape;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const i: number = r * cols + c;
          if (prev.active[l][c]) assert.ok(cur.params.get(name)![i] === prev.params.get(name)![i], `${name}[${r},${c}] moved in task ${t}`);
          if (l > 0 && cur.active[l][c] && !cur.active[l - 1][r]) assert.equal(cur.params.get(name)![i], 0, `${name}[${r},${c}] reads a free neuron`);
        }
      }
    });
    for (let j = 0; j < t; j++) {
      const head = `head/main/${j}/kernel`;
      assert.deepEqual(cur.params.get(head), prev.params.get(head), `head ${j} changed in task ${t}`);
    }
  }
  for (let t = 0; t < after.length; t++) {
    const head = after[t].params.get(`head/main/${t}/kernel`)!;
    const width = run.scenario.tasks[t].headWidth;
    after[t].active[1].forEach((a, r) => {
      if (!a) for (let c = 0; c < width; c++) assert.equal(head[r * width + c], 0, `head ${t} reads free neuron ${r}`);
    });
  }
});

test('free-neuron counts never increase and match a hand count from the weights', () => {
  const { after, learner } = run;
  const rows = learner.neuronRows();
  const layers = ['fc1', 'fc2'];
  layers.forEach((layer, l) => {
    const mine = rows.filter((r) => r.layer === layer);
    assert.equal(mine.length, after.length);
    mine.forEach((r, t) => {
      const active = after[t].active[l].reduce((s, a) => s + a, 0);
      assert.equal(r.active, active);
      assert.equal(r.free, r.neurons - active);
      assert.equal(r.reused, t === 0 ? 0 : mine[t - 1].active);
      assert.equal(r.added + r.pruned, t === 0 ? r.neurons : mine[t - 1].free, 'every free neuron trained and was kept or pruned');
      if (t > 0) assert.ok(r.free <= mine[t - 1].free);
      assert.equal(after[t].summary.details![`free/${layer}`], r.free);
      if (t + 1 < after.length) {
        // Hand count: columns whose every weight kept its bits through the next task are the frozen (active) ones.
        const name = `${layer}/kernel`;
        const [inputs, cols] = learner.network.params.get(name)!.shape;
        let frozen = 0;
        for (let c = 0; c < cols; c++) {
          let same = true;
          for (let i = 0; i < inputs && same; i++) same = after[t + 1].params.get(name)![i * cols + c] === after[t].params.get(name)![i * cols + c];
          if (same) frozen++;
        }
        assert.equal(frozen, active, `${layer} after task ${t}`);
      }
    });
  });
  // Hand count on the last layer: head t reads exactly the active neurons (nonzero rows).
  after.forEach((a, t) => {
    const head = a.params.get(`head/main/${t}/kernel`)!;
    const width = run.scenario.tasks[t].headWidth;
    let nonzeroRows = 0;
    for (let r = 0; r < head.length / width; r++) if (head.subarray(r * width, (r + 1) * width).some((v) => v !== 0)) nonzeroRows++;
    assert.equal(nonzeroRows, rows.find((r) => r.task === t && r.layer === 'fc2')!.active);
  });
  assert.ok(rows.some((r) => r.pruned > 0), 'graceful forgetting pruned some neurons');
});

test('learning a task and predicting leak no tensors', () => {
  for (const a of run.after) assert.equal(a.tensors, run.tensorsAtStart);
});

test('capacity is one dense network with the active-neuron fraction as density', () => {
  const cap = run.learner.capacity();
  assert.equal(cap.capPercent, 100);
  const rows = run.learner.neuronRows().filter((r) => r.task === 2);
  assert.equal(cap.density, rows.reduce((s, r) => s + r.active, 0) / rows.reduce((s, r) => s + r.neurons, 0));
});

test('diagnostics come as an Arquero table and a Plotly figure of free capacity per layer', () => {
  const rows: ClnpNeuronRow[] = run.learner.neuronRows();
  const table = clnpNeuronTable(rows);
  assert.deepEqual(table.columnNames(), ['task', 'layer', 'neurons', 'reused', 'added', 'pruned', 'active', 'free', 'freePercent']);
  assert.equal(table.numRows(), 6);
  const figure = clnpCapacityFigure(rows);
  assert.deepEqual(figure.data.map((d) => d.name), ['fc1', 'fc2', 'all layers']);
  assert.deepEqual(figure.data[0].x, [1, 2, 3]);
  assert.deepEqual(figure.data[0].y, rows.filter((r) => r.layer === 'fc1').map((r) => r.free));
  assert.throws(() => clnpCapacityFigure([]), /at least one task/);
});
