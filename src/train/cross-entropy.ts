/** Softmax cross-entropy on integer targets, the loss of every method in methods.md. */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Mean (or summed) softmax cross-entropy of `logits` [B, C] against int32 targets `y` [B] in
 * [0, C). Returns a scalar in the caller's tidy scope.
 * @example
 * ```ts
 * const loss = tf.tidy(() => crossEntropy(net.logits(batch.x, task, { training: true }), batch.y));
 * ```
 */
export function crossEntropy(logits: tf.Tensor2D, y: tf.Tensor1D, reduction: 'mean' | 'sum' = 'mean'): tf.Scalar {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits); // [B, C]
    const picked = tf.sum(tf.mul(tf.oneHot(tf.cast(y, 'int32'), logits.shape[1]), logp), 1); // [B]
    return tf.neg(reduction === 'mean' ? tf.mean(picked) : tf.sum(picked)) as tf.Scalar;
  });
}

/** Number of rows whose argmax equals the target, as an int32 scalar in the caller's scope. */
export function countCorrect(logits: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(y, 'int32')), 'int32')) as tf.Scalar);
}
