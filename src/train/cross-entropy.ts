/**
 * Softmax cross-entropy on integer targets, the loss of every method in methods.md, and the
 * training-accuracy count. On the synchronous CPU backends (wasm, cpu) both are one host pass
 * over the [B, C] logits (a few hundred numbers per step): loss and its gradient
 * (softmax − one-hot) together, instead of ~35 tiny kernels of autodiff through logSoftmax,
 * oneHot, mul, sum and mean, whose engine bookkeeping dominated small networks' steps. Other
 * backends keep tensor ops (reading GPU memory back each step would cost more).
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors';

/** Whether the active backend computes on the host synchronously (cheap reads of small tensors). */
function hostBackend(): boolean {
  const name = tf.getBackend();
  return name === 'wasm' || name === 'cpu';
}

/** Integer targets on the host, checked against the class count. */
function hostTargets(fn: string, y: tf.Tensor1D, classes: number): Int32Array {
  const targets = Int32Array.from(y.dataSync());
  for (let row = 0; row < targets.length; row++) {
    if (!(targets[row] >= 0 && targets[row] < classes)) {
      throw new InvalidArgumentError(`${fn}: target ${targets[row]} at row ${row} is outside [0, ${classes}); the head has ${classes} classes.`);
    }
  }
  return targets;
}

/**
 * Loss and gradient of softmax cross-entropy, in float64 on the host: returns the summed loss
 * and writes ∂(scale · Σ loss)/∂logits into `grad`.
 */
function hostCrossEntropy(logits: Float32Array, targets: Int32Array, classes: number, scale: number, grad: Float32Array): number {
  let total = 0;
  for (let row = 0, at = 0; row < targets.length; row++, at += classes) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[at + c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[at + c] - max);
    total += max + Math.log(sum) - logits[at + targets[row]];
    for (let c = 0; c < classes; c++) {
      grad[at + c] = (Math.exp(logits[at + c] - max) / sum - (c === targets[row] ? 1 : 0)) * scale;
    }
  }
  return total;
}

/**
 * Mean (or summed) softmax cross-entropy of `logits` [B, C] against int32 targets `y` [B] in
 * [0, C). Returns a scalar in the caller's tidy scope; differentiable in `logits`.
 * @throws InvalidArgumentError on wasm and cpu for a target outside [0, C) or a batch-size mismatch
 * @example
 * ```ts
 * const loss = tf.tidy(() => crossEntropy(net.logits(batch.x, task, { training: true }), batch.y));
 * ```
 */
export function crossEntropy(logits: tf.Tensor2D, y: tf.Tensor1D, reduction: 'mean' | 'sum' = 'mean'): tf.Scalar {
  const [rows, classes] = logits.shape;
  if (y.shape[0] !== rows) {
    throw new InvalidArgumentError(`crossEntropy: ${rows} rows of logits but ${y.shape[0]} targets; pass one target per row.`);
  }
  const scale = reduction === 'mean' ? 1 / rows : 1;
  const forward = (z: tf.Tensor2D, save: tf.GradSaveFunc) => {
    if (hostBackend()) {
      const grad = new Float32Array(z.size);
      const total = hostCrossEntropy(z.dataSync() as Float32Array, hostTargets('crossEntropy', y, classes), classes, scale, grad);
      save([tf.tensor2d(grad, [rows, classes])]);
      return { value: tf.scalar(total * scale), gradFunc: (dy: tf.Tensor, [g]: tf.Tensor[]) => tf.mul(g, dy) };
    }
    const oneHot = tf.oneHot(tf.cast(y, 'int32'), classes);
    const picked = tf.sum(tf.mul(oneHot, tf.logSoftmax(z)), 1);
    save([z, oneHot]);
    return {
      value: tf.mul(tf.sum(picked), -scale),
      gradFunc: (dy: tf.Tensor, [saved, target]: tf.Tensor[]) => tf.mul(tf.sub(tf.softmax(saved), target), tf.mul(dy, scale)),
    };
  };
  // customGrad's declared type mixes tensors and the save function in one rest parameter.
  return tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0])(logits) as tf.Scalar;
}

/** Number of rows whose argmax equals the target, as an int32 scalar in the caller's scope. */
export function countCorrect(logits: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar {
  if (!hostBackend()) {
    return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(y, 'int32')), 'int32')) as tf.Scalar);
  }
  const [rows, classes] = logits.shape;
  const z = logits.dataSync();
  const targets = y.dataSync();
  let correct = 0;
  for (let row = 0, at = 0; row < rows; row++, at += classes) {
    let best = 0; // first maximum, as tf.argMax
    for (let c = 1; c < classes; c++) if (z[at + c] > z[at + best]) best = c;
    if (best === targets[row]) correct++;
  }
  return tf.scalar(correct, 'int32');
}
