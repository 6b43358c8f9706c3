/**
 * Best-snapshot bookkeeping: copies of chosen variables, kept off the training path (plain
 * immutable tensors, not variables, so no optimizer or gradient ever sees them), restored
 * exactly (methods.md §1.5: restore the best snapshot at the end of a task).
 */
import * as tf from '@tensorflow/tfjs-core';
import { expectSameShape, InvalidArgumentError } from '../errors';

/** Copies of named variables at one moment. Dispose with {@link disposeSnapshot}. */
export type Snapshot = ReadonlyMap<string, tf.Tensor>;

/**
 * Copies the current value of every variable. The copies belong to the caller (they survive
 * enclosing tidy scopes).
 * @example
 * ```ts
 * const best = takeSnapshot(net.params);
 * ```
 */
export function takeSnapshot(variables: ReadonlyMap<string, tf.Variable>): Snapshot {
  const out = new Map<string, tf.Tensor>();
  for (const [name, v] of variables) out.set(name, tf.keep(tf.clone(v)));
  return out;
}

/**
 * Assigns every snapshot tensor back to the variable of the same name, bit for bit. The
 * snapshot stays valid (it can be restored again).
 * @throws InvalidArgumentError when a name has no variable; ShapeMismatchError on a shape change.
 */
export function restoreSnapshot(variables: ReadonlyMap<string, tf.Variable>, snapshot: Snapshot): void {
  for (const [name, value] of snapshot) {
    const v = variables.get(name);
    if (v === undefined) throw new InvalidArgumentError(`restoreSnapshot: snapshot has "${name}" but no variable has that name.`);
    expectSameShape('restoreSnapshot', `snapshot of "${name}"`, value.shape, v.shape);
  }
  for (const [name, value] of snapshot) variables.get(name)!.assign(value);
}

/** Frees a snapshot's tensors. */
export function disposeSnapshot(snapshot: Snapshot): void {
  tf.dispose([...snapshot.values()]);
}
