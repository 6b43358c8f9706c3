/**
 * Finetune, the lower-bound baseline of the WSN tables (Kang et al., ICML 2022, Tables 1–2;
 * methods.md §4): the same multi-head backbone trained on each task in turn with no
 * protection. All shared weights update on every task; task t trains the body plus its own
 * head (earlier heads are left alone, so forgetting comes from the shared body only).
 * CAP = 100 % (one dense network, no masks).
 *
 * Protocol: the WSN-paper per-task loop ({@link trainOnTask}: fresh optimizer per task, plateau
 * rule, best validation snapshot), Adam at the benchmark's learning rate by default.
 * Deviations: none known; the paper does not state Finetune's optimizer, so it gets WSN's.
 */
import type { Task } from '../data/types';
import { _bodyAndHead, _ensureHead } from './learner-network';
import { _checkOptimizerOptions, _mergeOptions, _optimizerFields, type OptimizerOptions } from './method-options';
import { _MultiHeadLearner } from './multi-head-learner';
import { trainOnTask } from './train-on-task';
import type { ContinualMethod, LearnerSetup, TaskContext, TaskSummary } from './types';

/** Options of {@link finetune}. */
export interface FinetuneOptions extends OptimizerOptions {}

/** The paper-protocol defaults: Adam at the benchmark's rate. */
const defaults: FinetuneOptions = Object.freeze({ optimizer: 'adam', learningRate: null });

class FinetuneLearner extends _MultiHeadLearner {
  constructor(
    setup: LearnerSetup,
    private readonly options: FinetuneOptions,
  ) {
    super('finetune', setup, finetune.scenarios);
  }

  async learnTask(task: Task, context: TaskContext): Promise<TaskSummary> {
    _ensureHead(this.method, this.network, task);
    const result = await trainOnTask({
      network: this.network,
      task,
      training: this.setup.training,
      context,
      variables: _bodyAndHead(this.network, task.index),
      ..._optimizerFields(this.options, this.setup.training),
    });
    this.learned = Math.max(this.learned, task.index + 1);
    return { epochs: result.history.length, seconds: result.seconds, interrupted: result.stopped === 'interrupted' };
  }
}

/**
 * Finetune: sequential training of one multi-head network without any protection.
 * @example
 * ```ts
 * const learner = finetune.create(setup, finetune.resolveOptions());
 * for (const task of setup.scenario.tasks) await learner.learnTask(task, { seed: task.index });
 * ```
 */
export const finetune: ContinualMethod<FinetuneOptions> = Object.freeze({
  name: 'finetune',
  description: 'Sequential fine-tuning of one multi-head network, no protection (lower bound)',
  scenarios: ['task-il'] as const,
  defaults,
  resolveOptions(options?: Partial<FinetuneOptions>): FinetuneOptions {
    const merged = _mergeOptions('finetune', defaults, options);
    _checkOptimizerOptions('finetune', merged);
    return merged;
  },
  create(setup: LearnerSetup, options: FinetuneOptions) {
    return new FinetuneLearner(setup, finetune.resolveOptions(options));
  },
});
