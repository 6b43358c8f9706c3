/**
 * Per-task, per-layer bookkeeping of a mask sequence: how many of task t's weights were
 * already used by an earlier task (reused, frozen in WSN), how many it allocated newly, and
 * how full each layer is afterwards (used / free capacity over tasks).
 */
import { type HostMasks, validateTaskMasks } from './mask-density';

/** Counts for one task and one layer (or the whole network). All counts are weights. */
export interface ReuseCount {
  /** |m_t|: weights selected by task t. */
  readonly kept: number;
  /** |m_t ∩ M_{t−1}|: selected weights already in the union of earlier tasks. */
  readonly reused: number;
  /** |m_t \ M_{t−1}|: selected weights used by no earlier task. */
  readonly allocated: number;
  /** |M_t|: union of tasks 0..t after task t. */
  readonly used: number;
  /** All weights of the layer. */
  readonly total: number;
  /** used / total, 0–1. */
  readonly usedFraction: number;
  /** 1 − usedFraction: capacity still free for later tasks. */
  readonly freeFraction: number;
  /** reused / kept, 0–1 (0 when kept is 0). */
  readonly reuseFraction: number;
}

/** {@link maskReuse} result for one task. */
export interface TaskReuse extends ReuseCount {
  /** 0-based task index. */
  readonly task: number;
  readonly perLayer: Readonly<Record<string, ReuseCount>>;
}

function reuseCount(kept: number, reused: number, used: number, total: number): ReuseCount {
  const usedFraction = total === 0 ? 0 : used / total;
  return {
    kept,
    reused,
    allocated: kept - reused,
    used,
    total,
    usedFraction,
    freeFraction: 1 - usedFraction,
    reuseFraction: kept === 0 ? 0 : reused / kept,
  };
}

/**
 * Reuse versus new allocation per task and layer, and the union's fill level after each task.
 * Task 0 reuses nothing (its union before is empty).
 * @param masksPerTask one mask set per task in training order (same layers and lengths)
 * @returns one entry per task, with network totals and `perLayer` counts
 * @throws InvalidArgumentError | ShapeMismatchError on invalid masks
 * @example
 * ```ts
 * const r = maskReuse([{ a: new Uint8Array([1, 1, 0, 0]) }, { a: new Uint8Array([0, 1, 1, 0]) }]);
 * r[1].reused; // 1
 * r[1].allocated; // 1
 * r[1].usedFraction; // 0.75
 * ```
 */
export function maskReuse(masksPerTask: readonly HostMasks[]): TaskReuse[] {
  validateTaskMasks('maskReuse', masksPerTask);
  const names = Object.keys(masksPerTask[0]);
  const union: Record<string, Uint8Array> = {};
  for (const name of names) union[name] = new Uint8Array(masksPerTask[0][name].length);
  return masksPerTask.map((masks, task) => {
    const perLayer: Record<string, ReuseCount> = {};
    let kept = 0;
    let reused = 0;
    let used = 0;
    let total = 0;
    for (const name of names) {
      const m = masks[name];
      const u = union[name];
      let k = 0;
      let r = 0;
      let n = 0;
      for (let i = 0; i < m.length; i++) {
        k += m[i];
        r += m[i] & u[i];
        u[i] |= m[i];
        n += u[i];
      }
      perLayer[name] = reuseCount(k, r, n, m.length);
      kept += k;
      reused += r;
      used += n;
      total += m.length;
    }
    return { task, ...reuseCount(kept, reused, used, total), perLayer };
  });
}
