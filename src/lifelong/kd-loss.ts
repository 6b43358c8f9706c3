/**
 * Knowledge-distillation loss of lottery teaching (Chen et al., ICLR 2021; Hinton et al. 2015),
 * methods.md §2.3 step 4:
 *
 *   KD = T² · mean_batch Σ_classes −softmax(z_teacher / T) · log_softmax(z_student / T),  T = 2.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expectInRange, expectSameShape } from '../errors';

/**
 * Hinton KD loss of student logits against fixed teacher logits, both [B, C]; temperature T > 0
 * (default 2). Teacher logits are constants (stored before the task), so no gradient reaches them. Returns a scalar in the caller's tidy scope.
 * @throws InvalidArgumentError for T ≤ 0; ShapeMismatchError when the shapes differ
 * @example
 * ```ts
 * const loss = tf.tidy(() => kdLoss(student, teacher)); // T = 2
 * ```
 */
export function kdLoss(student: tf.Tensor2D, teacher: tf.Tensor2D, temperature = 2): tf.Scalar {
  const t = expectInRange('kdLoss', 'temperature', temperature, { min: 0, minInclusive: false, hint: 'The paper uses T = 2.' });
  expectSameShape('kdLoss', 'teacher logits', teacher.shape, student.shape);
  return tf.tidy(() => {
    const target = tf.softmax(tf.div(teacher, t)); // [B, C]
    const logp = tf.logSoftmax(tf.div(student, t)); // [B, C]
    const perRow = tf.neg(tf.sum(tf.mul(target, logp), 1)); // [B]
    return tf.mul(tf.mean(perRow), t * t) as tf.Scalar;
  });
}
