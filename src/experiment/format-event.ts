/**
 * One-line text of an experiment progress event, for the CLI's stderr and logs.
 */
import { formatProgress } from '../train/progress';
import type { ExperimentEvent } from './experiment-types';

function duration(seconds: number): string {
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * Renders an event as one line, or null for events not worth a line (`train` step events;
 * epoch events are shown).
 * @example
 * ```ts
 * runExperiment({ ...spec, onProgress: (e) => { const line = formatExperimentEvent(e); if (line) console.error(line); } });
 * // [wsn c=0.1 seed 0 1/3] task 2/10 done in 3.1s: acc 91.2 90.8 | ETA 25s
 * ```
 */
export function formatExperimentEvent(event: ExperimentEvent): string | null {
  const head = `[${event.label} seed ${event.seed} ${event.seedIndex + 1}/${event.seeds}]`;
  switch (event.kind) {
    case 'run-start':
      if (event.cached) return `${head} cached result (${event.runId})`;
      return event.resumedTasks > 0 ? `${head} resuming after task ${event.resumedTasks}/${event.tasks} (${event.runId})` : `${head} start (${event.runId})`;
    case 'task-start':
      return null;
    case 'train':
      return event.progress.kind === 'epoch' ? `${head} ${formatProgress(event.progress).replace(/^task \d+/, `task ${event.task + 1}/${event.tasks}`)}` : null;
    case 'task-end':
      return `${head} task ${event.task + 1}/${event.tasks} done in ${event.seconds.toFixed(1)}s: acc ${event.accuracies.map((a) => a.toFixed(1)).join(' ')} | ETA ${duration(event.etaSeconds)}`;
    case 'run-end':
      return event.cached ? null : `${head} finished: ACC ${event.acc.toFixed(2)}% in ${duration(event.seconds)}`;
  }
}
