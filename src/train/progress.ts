/**
 * Progress events of the training loop, for the kernel's in-place progress line and the CLI.
 * Plain data: no display logic beyond a one-line text rendering.
 */
import type { EpochMetrics } from './lr-schedule';

/** One progress report: during an epoch (`step`) or after it, with validation (`epoch`). */
export interface ProgressEvent {
  readonly kind: 'step' | 'epoch';
  /** Task index (0-based). */
  readonly task: number;
  /** Epoch index (0-based) and the cap on epochs. */
  readonly epoch: number;
  readonly epochs: number;
  /** Steps done in this epoch (1-based after the first step). */
  readonly step: number;
  /** Steps per epoch: given by the caller, else learned after the first epoch (null before). */
  readonly stepsPerEpoch: number | null;
  /** Mean training loss over this epoch so far. */
  readonly loss: number;
  /** Training accuracy (%) over this epoch so far; null when the loss function returns no logits. */
  readonly accuracy: number | null;
  readonly learningRate: number;
  /** Training samples per second since the task started (validation time excluded). */
  readonly samplesPerSecond: number;
  /** Seconds left if every epoch runs (an upper bound under early stopping); null if unknown. */
  readonly etaSeconds: number | null;
  /** Validation metrics, on `epoch` events when a validation function is given. */
  readonly val?: EpochMetrics;
}

/** Receives progress events; must not throw. */
export type ProgressCallback = (event: ProgressEvent) => void;

function duration(seconds: number): string {
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * Renders an event as one line, e.g.
 * `task 2 epoch 3/50 step 40/79 loss 0.4123 acc 87.50% lr 1.0e-3 812 samples/s ETA 4m10s`.
 * @example
 * ```ts
 * await trainTask({ ...options, onProgress: (e) => console.log(formatProgress(e)) });
 * ```
 */
export function formatProgress(event: ProgressEvent): string {
  const parts = [
    `task ${event.task + 1}`,
    `epoch ${event.epoch + 1}/${event.epochs}`,
    `step ${event.step}/${event.stepsPerEpoch ?? '?'}`,
    `loss ${event.loss.toFixed(4)}`,
  ];
  if (event.accuracy !== null) parts.push(`acc ${event.accuracy.toFixed(2)}%`);
  if (event.val) parts.push(`val loss ${event.val.loss.toFixed(4)} val acc ${event.val.accuracy.toFixed(2)}%`);
  parts.push(`lr ${event.learningRate.toExponential(1)}`, `${Math.round(event.samplesPerSecond)} samples/s`);
  if (event.etaSeconds !== null) parts.push(`ETA ${duration(event.etaSeconds)}`);
  return parts.join(' ');
}
