/**
 * Class-incremental evaluation of the lifelong-tickets protocol (methods.md §2.1): logits over
 * every class seen so far (heads 0..k−1 concatenated, `main` branch), per-task top-1 accuracy
 * and standard accuracy SA = their mean over learned tasks. Model selection and the BU/TD
 * decisions read the validation split, never test (pitfall P7).
 */
import { batches } from '../data/batches';
import type { Scenario, TaskSplit } from '../data/types';
import { expectInRange, expectThat } from '../errors';
import type { ForwardOptions, Network } from '../models/types';
import { evaluate } from '../train/evaluate';

/** Which split of each task to evaluate. */
export type EvalSplit = 'val' | 'test';

/** Accuracies over the classes of the first `learnedTasks` tasks, in %. */
export interface SeenAccuracy {
  /** Top-1 accuracy on each learned task's images, logits over all seen classes. */
  readonly perTask: readonly number[];
  /** Standard accuracy SA: mean of `perTask`. */
  readonly mean: number;
  /** Accuracy on the pooled images of all learned tasks. */
  readonly pooled: number;
}

/**
 * The pooled split (same source) of tasks 0..learnedTasks−1 of a class-incremental scenario.
 * @throws InvalidArgumentError when the tasks' splits do not share one image source
 * @example
 * ```ts
 * const val = seenSplit(cil, 3, 'val'); // validation images of the first three tasks
 * ```
 */
export function seenSplit(scenario: Scenario, learnedTasks: number, which: EvalSplit): TaskSplit {
  const parts = scenario.tasks.slice(0, learnedTasks).map((t) => t[which]);
  expectThat(parts.length > 0 && parts.every((p) => p.source === parts[0].source), `seenSplit: the ${which} splits of tasks 1..${learnedTasks} must share one image source; build the scenario with lifelongCil.`);
  const count = parts.reduce((n, p) => n + p.count, 0);
  const indices = new Int32Array(count);
  const targets = new Int32Array(count);
  let at = 0;
  for (const p of parts) {
    indices.set(p.indices, at);
    targets.set(p.targets, at);
    at += p.count;
  }
  return { source: parts[0].source, indices, targets, count };
}

/**
 * Per-task, mean (SA) and pooled accuracy of `network` after `learnedTasks` tasks, class-
 * incremental: logits of heads 0..learnedTasks−1 of `branch` (default `main`) concatenated.
 * @throws InvalidArgumentError for a bad task count
 * @example
 * ```ts
 * const { mean } = await evaluateSeen(net, cil, 2, { split: 'test' }); // SA after two tasks
 * ```
 */
export async function evaluateSeen(
  network: Network,
  scenario: Scenario,
  learnedTasks: number,
  options: { readonly split?: EvalSplit; readonly weight?: ForwardOptions['weight']; readonly branch?: string; readonly batchSize?: number } = {},
): Promise<SeenAccuracy> {
  expectInRange('evaluateSeen', 'learnedTasks', learnedTasks, { min: 1, max: Math.min(scenario.tasks.length, network.headWidths.length), integer: true });
  const which = options.split ?? 'val';
  const transform = scenario.tasks[0].transform;
  const forward = { concatUpTo: true, branch: options.branch ?? 'main', weight: options.weight, batchSize: options.batchSize ?? 256 };
  const perTask: number[] = [];
  let correct = 0;
  let count = 0;
  for (const task of scenario.tasks.slice(0, learnedTasks)) {
    const split = task[which];
    const result = await evaluate(network, learnedTasks - 1, (bs) => batches(split, transform, { batchSize: bs }), forward);
    perTask.push(result.accuracy);
    correct += (result.accuracy * result.count) / 100;
    count += result.count;
  }
  return { perTask, mean: perTask.reduce((a, b) => a + b, 0) / perTask.length, pooled: (100 * correct) / count };
}
