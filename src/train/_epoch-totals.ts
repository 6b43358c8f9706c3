/**
 * Internal: an epoch's running totals (summed loss, correct predictions, samples with logits)
 * for {@link trainTask}. On the synchronous CPU backends (wasm, cpu) a step's loss and count are
 * read as numbers (a read there is a copy of a few bytes); elsewhere they stay on the device
 * as one small tensor, read only when progress is reported, so a GPU is never synchronised
 * per step.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Totals of the steps added since the last reset. */
export interface EpochTotals {
  /** Adds one step: its mean loss, its correct count (null without logits) and batch size. */
  add(loss: tf.Scalar, correct: tf.Tensor | null, size: number): void;
  read(): Promise<{ loss: number; correct: number; scored: number }>;
  reset(): void;
  dispose(): void;
}

/** Totals on the host for wasm and cpu, on the device elsewhere. */
export function _epochTotals(): EpochTotals {
  const name = tf.getBackend();
  return name === 'wasm' || name === 'cpu' ? _hostTotals() : _deviceTotals();
}

/** Totals as numbers (wasm, cpu). @internal */
export function _hostTotals(): EpochTotals {
  let loss = 0;
  let correct = 0;
  let scored = 0;
  return {
    add(stepLoss, stepCorrect, size) {
      loss += stepLoss.dataSync()[0] * size;
      if (stepCorrect !== null) {
        correct += stepCorrect.dataSync()[0];
        scored += size;
      }
    },
    read: async () => ({ loss, correct, scored }),
    reset() {
      loss = correct = scored = 0;
    },
    dispose() {},
  };
}

/** Totals as one device tensor [loss, correct, scored] (GPU backends). @internal */
export function _deviceTotals(): EpochTotals {
  let sums = tf.keep(tf.zeros([3]));
  return {
    add(stepLoss, stepCorrect, size) {
      const next = tf.tidy(() => {
        const scored = stepCorrect === null ? tf.zeros([2]) : tf.stack([tf.cast(stepCorrect, 'float32'), tf.scalar(size)]);
        return tf.add(sums, tf.concat([tf.reshape(tf.mul(stepLoss, size), [1]), scored]));
      });
      sums.dispose();
      sums = tf.keep(next); // add runs inside the step's tidy scope
    },
    async read() {
      const [loss, correct, scored] = await sums.data();
      return { loss, correct, scored };
    },
    reset() {
      sums.dispose();
      sums = tf.keep(tf.zeros([3]));
    },
    dispose() {
      sums.dispose();
    },
  };
}
