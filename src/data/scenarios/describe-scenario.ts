/**
 * A scenario as plain table rows, one per task: for notebooks (`console.table`) and for the
 * viz helpers (which may wrap the rows in an Arquero table).
 */
import type { InputTransform, Scenario } from '../types';

/** One row of {@link describeScenario}. */
export interface ScenarioRow {
  readonly task: number;
  readonly name: string;
  /** Source class ids, comma-separated (first 12, then "…"). */
  readonly classes: string;
  readonly numClasses: number;
  readonly train: number;
  readonly val: number;
  readonly test: number;
  readonly headWidth: number;
  /** Fixed exemplars of this task's classes (class-IL replay), 0 when none. */
  readonly exemplars: number;
  /** The input transform in words, e.g. "pad 2, 32x32x3, permuted". */
  readonly transform: string;
}

function _transformText(t: InputTransform, rotations: boolean): string {
  const parts = [`${t.outputShape.join('x')}`];
  if (t.pad) parts.unshift(`pad ${t.pad}`);
  if (rotations) parts.push('quarter turns');
  if (t.pixelPermutation) parts.push('permuted');
  const { mean, std } = t.normalization;
  const unit = mean.every((m) => m === 0) && std.every((s) => s === 1);
  parts.push(unit ? '[0,1]' : `mean ${mean.map((m) => m.toFixed(4)).join('/')} std ${std.map((s) => s.toFixed(4)).join('/')}`);
  return parts.join(', ');
}

/**
 * Returns one plain row per task (task, classes, split sizes, head width, exemplars, transform).
 * @example
 * ```ts
 * console.table(describeScenario(permuted(offlineGrey({ seed: 1 }))));
 * ```
 */
export function describeScenario(scenario: Scenario): ScenarioRow[] {
  return scenario.tasks.map((task) => ({
    task: task.index,
    name: task.name,
    classes: task.classes.slice(0, 12).join(', ') + (task.classes.length > 12 ? ', …' : ''),
    numClasses: task.classes.length,
    train: task.train.count,
    val: task.val.count,
    test: task.test.count,
    headWidth: task.headWidth,
    exemplars: task.exemplars?.count ?? 0,
    transform: _transformText(task.transform, !!task.train.rotations),
  }));
}
