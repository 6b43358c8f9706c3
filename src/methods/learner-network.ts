/**
 * Small pieces every baseline learner needs (Finetune, EWC, PackNet, SupSup, STL, Multitask):
 * check the scenario, check that tasks come in order (and add a head if one is missing), pick
 * the variables a task trains, and check a `predict` task index. Networks come from
 * {@link networkForSetup}.
 * Unchecked internals: leading underscore, not re-exported from src/index.ts.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Task } from '../data/types';
import { InvalidArgumentError } from '../errors';
import type { Network } from '../models/types';
import type { networkForSetup } from './network-for-setup';
import type { LearnerSetup, ScenarioKind } from './types';

/**
 * Throws unless the setup's scenario kind is one the method supports.
 * @throws InvalidArgumentError naming the method, the kind and the supported ones.
 */
export function _expectScenario(method: string, setup: LearnerSetup, supported: readonly ScenarioKind[]): void {
  if (!supported.includes(setup.scenario.kind)) {
    throw new InvalidArgumentError(
      `${method}.create: scenario "${setup.scenario.name}" is ${setup.scenario.kind}; ${method} supports ${supported.join(', ')}. Use a task-incremental scenario.`,
    );
  }
}

/**
 * Adds heads until `task` has one, each of its task's head width (multi-head task-IL).
 * @throws InvalidArgumentError when tasks arrive out of order (a gap of more than one head).
 */
export function _ensureHead(method: string, network: Network, task: Task): void {
  const have = network.headWidths.length;
  if (task.index > have) {
    throw new InvalidArgumentError(`${method}.learnTask: task ${task.index} arrived after only ${have} task(s); learn tasks in order from 0.`);
  }
  if (task.index === have) network.addHead(task.headWidth);
}

/**
 * The body parameters plus head `task` (the other heads stay out of the optimizer), by name.
 * `body` filters the body parameters (default: all).
 */
export function _bodyAndHead(
  network: Network,
  task: number,
  body: (name: string) => boolean = () => true,
): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const info of network.paramInfo) {
    const keep = info.kind === 'head' ? info.head?.task === task : body(info.name);
    if (keep) out.set(info.name, network.params.get(info.name)!);
  }
  return out;
}

/**
 * Checks a `predict` task index against the number of learned tasks.
 * @throws InvalidArgumentError naming the method and the learned range.
 */
export function _expectLearnedTask(method: string, taskIndex: number, learned: number): void {
  if (!Number.isInteger(taskIndex) || taskIndex < 0 || taskIndex >= learned) {
    throw new InvalidArgumentError(
      `${method}.predict: taskIndex must be an integer in [0, ${learned - 1}] (the tasks learned so far); got ${taskIndex}.${learned === 0 ? ' Call learnTask first.' : ''}`,
    );
  }
}

/**
 * A view of `network` whose `params` also hold `extra` variables (e.g. SupSup's scores), so
 * that code snapshotting `network.params` (the best-epoch snapshot of {@link trainOnTask})
 * covers them too. Everything else is delegated to `network`; disposing the view disposes it.
 */
export function _withParams(network: Network, extra: ReadonlyMap<string, tf.Variable>): Network {
  const params = new Map([...network.params, ...extra]);
  return Object.assign(Object.create(network) as Network, { params });
}
