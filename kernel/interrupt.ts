/**
 * Cooperative interrupts: the kernel's stop button (SIGINT or `interrupt_request`) aborts the
 * current cell's AbortSignal; training loops poll `interrupted()` (or pass it as src/train's
 * `shouldStop`) between steps and return cleanly with the model and results usable.
 * A fresh signal is armed at the start of every cell.
 */
import { InterruptedError } from '../src/errors';

interface InterruptState {
  controller: AbortController;
  listeners: Set<() => void>;
}

const KEY = Symbol.for('ticketlab.kernel.interrupt');

function state(): InterruptState {
  const g = globalThis as unknown as Record<symbol, InterruptState | undefined>;
  let s = g[KEY];
  if (!s) {
    s = { controller: new AbortController(), listeners: new Set() };
    g[KEY] = s;
  }
  return s;
}

/** The current cell's AbortSignal: aborted when the user interrupts the kernel. */
export function interruptSignal(): AbortSignal {
  return state().controller.signal;
}

/**
 * True once the user has interrupted the running cell. Poll it between training steps.
 * @example
 * ```ts
 * import { interrupted } from 'ticketlab/kernel';
 * for (let step = 0; step < 1e6 && !interrupted(); step++) await trainStep();
 * ```
 */
export function interrupted(): boolean {
  return state().controller.signal.aborted;
}

/**
 * Throws InterruptedError if the user interrupted the running cell.
 * @throws InterruptedError after an interrupt.
 */
export function throwIfInterrupted(where = 'cell'): void {
  if (interrupted()) throw new InterruptedError(`${where}: stopped by a kernel interrupt.`);
}

/** Arms a fresh signal (the server calls this when a cell starts). */
export function resetInterrupt(): void {
  state().controller = new AbortController();
}

/** Aborts the current signal (the server calls this on SIGINT / interrupt_request). */
export function triggerInterrupt(): void {
  const s = state();
  if (!s.controller.signal.aborted) s.controller.abort(new InterruptedError('Kernel interrupt.'));
  for (const fn of s.listeners) fn();
}

/** Registers a callback run on every interrupt; returns a function that removes it. */
export function onInterrupt(fn: () => void): () => void {
  state().listeners.add(fn);
  return () => state().listeners.delete(fn);
}
