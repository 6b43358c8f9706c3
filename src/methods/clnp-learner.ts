/**
 * The CLNP learner (see clnp.ts for the method, the paper and the deviations): one network,
 * neuron sets per layer, and per task: train free neurons with an L1 penalty, score activity,
 * choose θ by graceful forgetting, prune, consolidate.
 */
import * as tf from '@tensorflow/tfjs-core';
import { batches } from '../data/batches';
import type { Task } from '../data/types';
import { CheckpointError, expectInRange, InvalidArgumentError, warnOnce } from '../errors';
import type { ForwardOptions, Network } from '../models/types';
import { deriveSeed } from '../random';
import { evaluate } from '../train/evaluate';
import type { JsonValue } from '../train/checkpoint';
import type { ClnpNeuronRow } from './clnp-diagnostics';
import { gracefulThreshold } from './graceful-threshold';
import { neuronActivity } from './neuron-activity';
import { networkForSetup } from './network-for-setup';
import { _consolidate, _pruneHook, _trainableSet } from './neuron-bookkeeping';
import { _groupHeads, neuronLayers, type NeuronLayer } from './neuron-layers';
import { trainOnTask } from './train-on-task';
import type { CapacityReport, Learner, LearnerSetup, LearnerState, TaskContext, TaskSummary } from './types';

/** Options of the CLNP method (defaults and sources in clnp.ts). */
export interface ClnpOptions {
  /** L1 strength α of the penalty α·Σ|W| over the trainable body weights, ≥ 0. */
  readonly l1Strength: number;
  /** Graceful-forgetting margin m: validation accuracy may drop this many percentage points, ≥ 0. */
  readonly marginPoints: number;
}

/** A CLNP learner: a {@link Learner} plus the neuron diagnostics. */
export interface ClnpLearner extends Learner {
  /** One row per learned task and layer (copies). */
  neuronRows(): ClnpNeuronRow[];
  /** The network (read-only use: inspect weights; do not train it). */
  readonly network: Network;
}

const count = (flags: Uint8Array): number => flags.reduce((s, f) => s + f, 0);

/** @internal built by `clnp.create`. */
export class _ClnpLearner implements ClnpLearner {
  readonly network: Network;
  private readonly layers: NeuronLayer[];
  /** Per layer: 1 = active (frozen, used by some learned task), 0 = free. */
  private active: Uint8Array[];
  private rows: ClnpNeuronRow[] = [];
  private learned = 0;

  constructor(
    private readonly setup: LearnerSetup,
    private readonly options: ClnpOptions,
  ) {
    this.network = networkForSetup(setup);
    try {
      this.layers = neuronLayers(this.network);
    } catch (error) {
      this.network.dispose();
      throw error;
    }
    this.active = this.layers.map((l) => new Uint8Array(l.neurons));
  }

  neuronRows(): ClnpNeuronRow[] {
    return this.rows.map((r) => ({ ...r }));
  }

  async learnTask(task: Task, context: TaskContext): Promise<TaskSummary> {
    if (task.index !== this.learned) {
      throw new InvalidArgumentError(`clnp.learnTask: tasks must come in order; expected task ${this.learned}, got ${task.index}. Use a fresh learner to start over.`);
    }
    const { network, layers, setup, options } = this;
    const wasFree = this.active.map((a) => a.map((f) => 1 - f));
    const trainable = _trainableSet(network, layers, this.active, task.index);
    let result;
    try {
      result = await trainOnTask({
        network,
        task,
        training: setup.training,
        context,
        variables: trainable.variables,
        updateMasks: trainable.updateMasks,
        extraLoss: options.l1Strength > 0 ? () => this.l1Penalty(trainable.updateMasks) : undefined,
      });
    } finally {
      tf.dispose([...trainable.updateMasks.values()]);
    }
    const batchSize = setup.training.testBatchSize;
    const scores = await this.activity(task, batchSize);
    const heads = _groupHeads(layers);
    const candidates = heads.flatMap((i) => Array.from(scores[i]).filter((__, j) => wasFree[i][j] === 1));
    const prunedAt = (theta: number): Uint8Array[] => layers.map((_, i) => wasFree[i].map((f, j) => (f === 1 && scores[i][j] < theta ? 1 : 0)));
    const valAccuracy = async (weight?: ForwardOptions['weight']): Promise<number> => {
      const split = task.val.count > 0 ? task.val : task.train;
      return (await evaluate(network, task.index, (bs) => batches(split, task.transform, { batchSize: bs }), { batchSize, weight })).accuracy;
    };
    const choice = await gracefulThreshold(
      candidates,
      async (theta) => {
        const hook = _pruneHook(layers, prunedAt(theta));
        try {
          return await valAccuracy(hook.weight);
        } finally {
          hook.dispose();
        }
      },
      { marginPoints: options.marginPoints },
    );
    const pruned = prunedAt(choice.theta);
    const before = this.active;
    this.active = layers.map((_, i) => before[i].map((a, j) => (a === 1 || (wasFree[i][j] === 1 && pruned[i][j] === 0) ? 1 : 0)));
    _consolidate(network, layers, this.active, task.index, deriveSeed(setup.seed, 'clnp'));
    const consolidatedAccuracy = await valAccuracy();
    if (consolidatedAccuracy !== choice.accuracy) {
      warnOnce(
        'clnp-consolidation',
        `clnp: task ${task.index} validation accuracy is ${consolidatedAccuracy}% after consolidation but ${choice.accuracy}% with the pruning hook; ` +
          'they should agree exactly. Please report this with the architecture and backend.',
      );
    }
    const taskRows = heads.map((i) => this.row(task.index, layers[i], before[i], wasFree[i], pruned[i]));
    this.rows.push(...taskRows);
    this.learned = task.index + 1;
    this.warnIfFull(taskRows);
    const details: Record<string, number> = {
      theta: choice.theta,
      valAccuracyUnpruned: choice.baselineAccuracy,
      valAccuracyPruned: consolidatedAccuracy,
      thresholdEvaluations: choice.evaluations,
      prunedNeurons: heads.reduce((s, i) => s + count(pruned[i]), 0),
      density: this.capacity().density!,
    };
    for (const r of taskRows) {
      details[`free/${r.layer}`] = r.free;
      details[`reused/${r.layer}`] = r.reused;
    }
    return { epochs: result.history.length, seconds: result.seconds, interrupted: result.stopped === 'interrupted', details };
  }

  /**
   * Activity per layer (methods.md §3 item 2). Tied layers (residual groups) all get their
   * group's score: the mean over the group's distinct activations, so they prune together.
   */
  private async activity(task: Task, batchSize: number): Promise<Float32Array[]> {
    const names = [...new Set(this.layers.map((l) => l.activation))];
    const activity = await neuronActivity(this.network, task, { layers: names, batchSize });
    const groupScore = new Map<number, Float32Array>();
    for (const head of _groupHeads(this.layers)) {
      const members = [...new Set(this.layers.filter((l) => l.group === head).map((l) => l.activation))].map((a) => activity.get(a)!);
      groupScore.set(head, Float32Array.from(members[0], (_, j) => members.reduce((s, m) => s + m[j], 0) / members.length));
    }
    return this.layers.map((l) => groupScore.get(l.group)!);
  }

  /** α·Σ|W ⊙ U| over the body kernels, U = update mask (only trainable entries count). */
  private l1Penalty(updateMasks: ReadonlyMap<string, tf.Tensor>): tf.Scalar {
    const terms = this.layers.map((l) => tf.sum(tf.abs(tf.mul(this.network.params.get(l.kernel.name)!, updateMasks.get(l.kernel.name)!))));
    return tf.mul(tf.addN(terms), this.options.l1Strength) as tf.Scalar;
  }

  private row(task: number, l: NeuronLayer, before: Uint8Array, wasFree: Uint8Array, pruned: Uint8Array): ClnpNeuronRow {
    const i = this.layers.indexOf(l);
    const active = count(this.active[i]);
    return { task, layer: l.layer, neurons: l.neurons, reused: count(before), added: count(wasFree) - count(pruned), pruned: count(pruned), active, free: l.neurons - active };
  }

  private warnIfFull(rows: readonly ClnpNeuronRow[]): void {
    const remaining = this.setup.scenario.tasks.length - this.learned;
    if (remaining === 0) return;
    for (const r of rows.filter((x) => x.free === 0)) {
      warnOnce(
        `clnp-full-${r.layer}`,
        `clnp: layer "${r.layer}" has no free neurons left after task ${r.task} with ${remaining} task(s) to go; later tasks can only reuse ` +
          `its frozen neurons (if every layer is full, only their heads train). Widen the layer, raise l1Strength, or raise marginPoints so pruning frees more neurons.`,
      );
    }
  }

  predict(x: tf.Tensor4D, taskIndex: number): tf.Tensor2D {
    if (this.learned === 0) throw new InvalidArgumentError('clnp.predict: no task learned yet; call learnTask first.');
    expectInRange('clnp.predict', 'taskIndex', taskIndex, { min: 0, max: this.learned - 1, integer: true, hint: 'Predict only on learned tasks.' });
    return tf.tidy(() => this.network.logits(x, taskIndex, { training: false }));
  }

  /** CAP 100 %: one dense network, neuron sets are bookkeeping only. Density = active neurons / all neurons (a tied group counts once). */
  capacity(): CapacityReport {
    const heads = _groupHeads(this.layers);
    const total = heads.reduce((s, i) => s + this.layers[i].neurons, 0);
    const used = heads.reduce((s, i) => s + count(this.active[i]), 0);
    return { capPercent: 100, density: total === 0 ? 0 : used / total };
  }

  getState(): LearnerState {
    const tensors = new Map<string, tf.Tensor>();
    for (const [name, v] of this.network.params) tensors.set(`param:${name}`, tf.clone(v));
    const json: JsonValue = {
      method: 'clnp',
      learned: this.learned,
      active: this.active.map((a) => Array.from(a)),
      rows: this.rows.map((r) => ({ ...r })),
    };
    return { json, tensors };
  }

  setState(state: LearnerState): void {
    const json = state?.json as { method?: unknown; learned?: unknown; active?: unknown; rows?: unknown } | null;
    const fail = (what: string): never => {
      throw new CheckpointError(`clnp.setState: ${what}. Restore a state saved by clnp with the same architecture and scenario.`);
    };
    if (json === null || typeof json !== 'object' || json.method !== 'clnp') fail('the state was not saved by clnp');
    const { learned, active, rows } = json as { learned: unknown; active: unknown; rows: unknown };
    if (!Number.isInteger(learned) || (learned as number) < 0 || (learned as number) > this.setup.scenario.tasks.length) fail(`"learned" is ${String(learned)}`);
    if (!Array.isArray(active) || active.length !== this.layers.length || active.some((a, i) => !Array.isArray(a) || a.length !== this.layers[i].neurons)) {
      fail(`"active" does not match the ${this.layers.length} layers of ${this.network.architecture}`);
    }
    if (!Array.isArray(rows)) fail('"rows" is missing');
    for (const [name, v] of this.network.params) {
      const t = state.tensors.get(`param:${name}`);
      if (t === undefined) fail(`the state has no tensor "param:${name}"`);
      if (t!.shape.join(',') !== v.shape.join(',')) fail(`tensor "param:${name}" has shape [${t!.shape}], expected [${v.shape}]`);
    }
    for (const [name, v] of this.network.params) v.assign(state.tensors.get(`param:${name}`)!);
    this.learned = learned as number;
    this.active = (active as number[][]).map((a) => Uint8Array.from(a, (f) => (f ? 1 : 0)));
    this.rows = (rows as ClnpNeuronRow[]).map((r) => ({ ...r }));
  }

  dispose(): void {
    this.network.dispose();
  }
}
